"""One request's database access."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, TypeVar

from sqlalchemy import func
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession
from sqlmodel.sql.expression import Select, SelectOfScalar

T = TypeVar("T")
R = TypeVar("R")


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
        return self.session.get_bind().dialect.name

    async def value(self, statement: Any) -> Any:
        """The single value a Core select returns, run on the session's connection: the ORM
        adds nothing to a statement that loads no objects, and costs more than the database
        takes to answer one compiled query."""

        async def run() -> Sequence[Any]:
            connection = await self.session.connection()
            return [(await connection.execute(statement)).scalar_one()]

        return (await self._locked(run))[0]

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
