"""One request's database access."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any, TypeVar

from sqlalchemy import func
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession
from sqlmodel.sql.expression import Select, SelectOfScalar

T = TypeVar("T")


class Db:
    """A session plus a lock.

    DataLoaders dispatch their batches concurrently, but an `AsyncSession` runs one statement
    at a time, so every read goes through the lock.
    """

    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self._lock = asyncio.Lock()

    @property
    def dialect(self) -> str:
        """`sqlite` or `postgresql`."""
        return self.session.get_bind().dialect.name

    async def all(self, statement: SelectOfScalar[T]) -> Sequence[T]:
        async with self._lock:
            return (await self.session.exec(statement)).all()

    async def rows(self, statement: Select[*tuple[Any, ...]] | Any) -> Sequence[Any]:
        """Rows of several columns (a Core or SQLModel select)."""
        async with self._lock:
            return (await self.session.exec(statement)).all()

    async def count(self, statement: SelectOfScalar[Any]) -> int:
        """How many rows `statement` returns, ignoring its ordering."""
        counted = select(func.count()).select_from(statement.order_by(None).subquery())
        async with self._lock:
            return (await self.session.exec(counted)).one()

    async def page(self, statement: SelectOfScalar[T], *, offset: int, limit: int) -> Sequence[T]:
        if limit <= 0:
            return []
        return await self.all(statement.offset(offset).limit(limit))
