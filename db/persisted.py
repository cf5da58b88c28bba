"""Automatic persisted queries: store a query under its SHA-256, look it up by the hash."""

from __future__ import annotations

import hashlib

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from db.tables import PersistedQuery

MAX_QUERY_LENGTH = 20000


def sha256(query: str) -> str:
    return hashlib.sha256(query.encode()).hexdigest()


async def lookup(sessions: async_sessionmaker[AsyncSession], digest: str) -> str | None:
    async with sessions() as session:
        row = await session.get(PersistedQuery, digest)
        return None if row is None else row.query


async def register(sessions: async_sessionmaker[AsyncSession], digest: str, query: str) -> None:
    """Store `query` under `digest` (already checked to be its SHA-256); idempotent."""
    async with sessions() as session:
        if await session.get(PersistedQuery, digest) is not None:
            return
        session.add(PersistedQuery(sha256=digest, query=query))
        try:
            await session.commit()
        except IntegrityError:  # another process registered it at the same moment
            await session.rollback()
