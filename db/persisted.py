"""Automatic persisted queries: store a query under its SHA-256, look it up by the hash."""

from __future__ import annotations

import hashlib

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from db.tables import PersistedQuery

MAX_QUERY_LENGTH = 20000


def sha256(query: str) -> str:
    return hashlib.sha256(query.encode()).hexdigest()


async def lookup(sessions: async_sessionmaker[AsyncSession], digest: str) -> str | None:
    async with sessions() as session:
        row = await session.get(PersistedQuery, digest)
        return None if row is None else row.query


async def register(
    sessions: async_sessionmaker[AsyncSession], digest: str, query: str, *, keep: int
) -> None:
    """Store `query` under `digest` (already checked to be its SHA-256); idempotent.

    The table holds at most `keep` queries: the oldest registrations beyond that are
    dropped. A client whose query was dropped gets PERSISTED_QUERY_NOT_FOUND and, as the
    protocol says, sends it once more.
    """
    async with sessions() as session:
        if await session.get(PersistedQuery, digest) is not None:
            return
        session.add(PersistedQuery(sha256=digest, query=query))
        try:
            await session.commit()
        except IntegrityError:  # another process registered it at the same moment
            await session.rollback()
            return
        newest = (
            select(PersistedQuery.sha256)
            .order_by(col(PersistedQuery.updated_at).desc(), col(PersistedQuery.sha256))
            .offset(keep)
        )
        await session.exec(delete(PersistedQuery).where(col(PersistedQuery.sha256).in_(newest)))
        await session.commit()
