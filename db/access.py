"""One request's database access."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import asyncpg  # type: ignore[import-untyped]
from sqlalchemy import func
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.util.concurrency import greenlet_spawn
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession
from sqlmodel.sql.expression import Select, SelectOfScalar

T = TypeVar("T")
R = TypeVar("R")


class DriverStatementError(Exception):
    """A rendered statement the database refused (its error is the cause)."""


class Fixed:
    """A statement that never changes (the data version's read), rendered once per
    database: see `Rendered`."""

    def __init__(self, statement: Any) -> None:
        self.statement = statement
        self._rendered: dict[str, Rendered | None] = {}

    def rendered(self, dialect: Dialect) -> Rendered | None:
        if dialect.name not in self._rendered:
            self._rendered[dialect.name] = Rendered.of(self.statement, dialect)
        return self._rendered[dialect.name]


@dataclass(frozen=True)
class Rendered:
    """A select rendered once for PostgreSQL's driver (asyncpg): its SQL, and its parameters
    in order, as SQLAlchemy itself would pass them."""

    sql: str
    parameters: tuple[Any, ...]

    @classmethod
    def of(cls, statement: Any, dialect: Dialect) -> Rendered | None:
        """None where the statement cannot be rendered ahead: not PostgreSQL, or parameters
        whose SQL depends on their values (`IN` lists), which SQLAlchemy expands per run."""
        if dialect.name != "postgresql":
            return None
        compiled = statement.compile(dialect=dialect)
        if any(bind.expanding or bind.literal_execute for bind in compiled.binds.values()):
            return None
        values = compiled.construct_params()
        parameters = []
        for name in compiled.positiontup or ():
            # Each value as the column's type gives it to the driver (an enum's name, a
            # decimal as stored): what SQLAlchemy does before every execution.
            process = compiled.binds[name].type.dialect_impl(dialect).bind_processor(dialect)
            parameters.append(values[name] if process is None else process(values[name]))
        return cls(compiled.string, tuple(parameters))


class RequestFinishedError(RuntimeError):
    """A read on the session of a request that has already finished (or been stopped)."""


class Db:
    """A session plus a lock.

    DataLoaders dispatch their batches concurrently, but an `AsyncSession` runs one statement
    at a time, so every read goes through the lock. Each read is also shielded from
    cancellation: a request stopped by its time limit lets the statement under way finish,
    and `close` takes the same lock first, so a session is never closed in the middle of an
    operation. After `close`, reads are refused: a DataLoader batch that a stopped request
    left scheduled would otherwise open a new connection that nobody returns to the pool.
    """

    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self._lock = asyncio.Lock()
        self._closed = False
        # What the request cost the database, logged when it ends (and counted by tests).
        self.statements = 0
        self.rows_read = 0

    async def _locked(self, operation: Callable[[], Awaitable[Sequence[R]]]) -> Sequence[R]:
        async def run() -> Sequence[R]:
            async with self._lock:
                if self._closed:
                    raise RequestFinishedError("the request has finished; its session is closed")
                rows = await operation()
                self.statements += 1
                self.rows_read += len(rows)
                return rows

        return await asyncio.shield(run())

    async def close(self) -> None:
        """Close the session once the statement under way (if any) has finished."""
        async with self._lock:
            self._closed = True
            await self.session.close()

    async def rollback(self) -> None:
        """End a transaction a failed statement left unusable (PostgreSQL refuses every
        statement after an error until then)."""
        async with self._lock:
            await self.session.rollback()

    @property
    def dialect(self) -> str:
        """`sqlite` or `postgresql`."""
        return self.sql_dialect.name

    @property
    def sql_dialect(self) -> Dialect:
        return self.session.get_bind().dialect

    async def value(self, statement: Any, rendered: Rendered | None = None) -> Any:
        """The single value a Core select returns.

        Given the statement `rendered` (PostgreSQL), its SQL goes to the driver on a
        connection straight from the pool: no session, no transaction, no statement built
        again. The session's way costs three times the round trip of a small read, which is
        what most requests are. Otherwise the statement runs on the session's connection,
        as Core: the ORM adds nothing to a statement that loads no objects."""

        async def run() -> Sequence[Any]:
            if rendered is not None:
                return [await self._driver_value(rendered)]
            connection = await self.session.connection()
            return [(await connection.execute(statement)).scalar_one()]

        return (await self._locked(run))[0]

    async def _driver_value(self, rendered: Rendered) -> Any:
        engine = self.session.bind
        assert isinstance(engine, AsyncEngine)
        pooled = await engine.raw_connection()
        driver = pooled.driver_connection
        assert driver is not None  # checked out alive (see `db.engine`)
        try:
            return await driver.fetchval(rendered.sql, *rendered.parameters)
        except asyncpg.PostgresError as error:
            raise DriverStatementError(str(error)) from error
        except BaseException:
            # A connection that failed mid-statement (the server gone, or the request stopped)
            # is not put back for the next request to meet.
            await greenlet_spawn(pooled.invalidate)
            raise
        finally:
            await greenlet_spawn(pooled.close)  # back to the pool (SQLAlchemy's own steps)

    async def all(self, statement: SelectOfScalar[T]) -> Sequence[T]:
        async def run() -> Sequence[T]:
            return (await self.session.exec(statement)).all()

        return await self._locked(run)

    async def rows(self, statement: Select[*tuple[Any, ...]] | Any) -> Sequence[Any]:
        """Rows of several columns (a Core or SQLModel select)."""

        async def run() -> Sequence[Any]:
            return (await self.session.exec(statement)).all()

        return await self._locked(run)

    async def count(self, statement: Any) -> int:
        """How many rows `statement` returns, ignoring its ordering."""
        counted = select(func.count()).select_from(statement.order_by(None).subquery())

        async def run() -> Sequence[int]:
            return [(await self.session.exec(counted)).one()]

        return (await self._locked(run))[0]

    async def page(self, statement: Any, *, offset: int, limit: int) -> Sequence[Any]:
        """Rows `offset` to `offset + limit` of a Core or SQLModel select."""
        if limit <= 0:
            return []
        return await self.rows(statement.offset(offset).limit(limit))
