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


class Db:
    """A session plus a lock.

    DataLoaders dispatch their batches concurrently, but an `AsyncSession` runs one statement
    at a time, so every read goes through the lock. Each read is also shielded from
    cancellation: a request stopped by its time limit lets the statement under way finish,
    and whoever closes the session takes the same lock first, so a session is never closed
    in the middle of an operation.
    """

    def __init__(self, session: AsyncSession, lock: asyncio.Lock | None = None) -> None:
        self.session = session
        self._lock = lock or asyncio.Lock()

    async def _locked(self, operation: Callable[[], Awaitable[R]]) -> R:
        async def run() -> R:
            async with self._lock:
                return await operation()

        return await asyncio.shield(run())

    @property
    def dialect(self) -> str:
        """`sqlite` or `postgresql`."""
        return self.session.get_bind().dialect.name

    async def all(self, statement: SelectOfScalar[T]) -> Sequence[T]:
        async def run() -> Sequence[T]:
            return (await self.session.exec(statement)).all()

        return await self._locked(run)

    async def rows(self, statement: Select[*tuple[Any, ...]] | Any) -> Sequence[Any]:
        """Rows of several columns (a Core or SQLModel select)."""

        async def run() -> Sequence[Any]:
            return (await self.session.exec(statement)).all()

        return await self._locked(run)

    async def count(self, statement: SelectOfScalar[Any]) -> int:
        """How many rows `statement` returns, ignoring its ordering."""
        counted = select(func.count()).select_from(statement.order_by(None).subquery())

        async def run() -> int:
            return (await self.session.exec(counted)).one()

        return await self._locked(run)

    async def page(self, statement: SelectOfScalar[T], *, offset: int, limit: int) -> Sequence[T]:
        if limit <= 0:
            return []
        return await self.all(statement.offset(offset).limit(limit))
