"""Engines for the embedded SQLite default and for PostgreSQL, both through async drivers."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlmodel.ext.asyncio.session import AsyncSession

import db.changes
import db.search  # noqa: F401  (its flush hook keeps search documents in step with writes)

_ASYNC_DRIVERS = {"sqlite": "sqlite+aiosqlite", "postgresql": "postgresql+asyncpg"}


def async_url(url: str | URL) -> URL:
    """The URL with its async driver: `postgresql://…` becomes `postgresql+asyncpg://…`."""
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend not in _ASYNC_DRIVERS:
        raise ValueError(f"unsupported database {backend!r}: use sqlite or postgresql")
    return parsed.set(drivername=_ASYNC_DRIVERS[backend])


def create_engine(
    url: str | URL, *, statement_timeout_ms: int | None = None, **kwargs: Any
) -> AsyncEngine:
    """An async engine; on PostgreSQL, `statement_timeout_ms` makes the server cancel any
    statement that runs longer (SQLite has no such setting)."""
    parsed = async_url(url)
    if statement_timeout_ms and parsed.get_backend_name() == "postgresql":
        kwargs.setdefault("connect_args", {})["server_settings"] = {
            "statement_timeout": str(statement_timeout_ms)
        }
    engine = create_async_engine(parsed, **kwargs)
    if engine.dialect.name == "sqlite":
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # SQLite leaves foreign keys off unless asked; WAL lets readers run while the seed writes.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, class_=AsyncSession, expire_on_commit=False)
