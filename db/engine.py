"""Engines for the embedded SQLite default and for PostgreSQL, both through async drivers."""

from __future__ import annotations

import socket
import sqlite3
from collections.abc import Iterator
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DBAPIError, DisconnectionError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlmodel.ext.asyncio.session import AsyncSession

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
    statement that runs longer (SQLite has no such setting).

    A pooled connection the server has closed (a restart ends every connection) is replaced
    when it is checked out, before a request sees it: without that, each would fail the one
    request that drew it. The check reads the driver's own state, so it costs no round trip,
    where SQLAlchemy's `pool_pre_ping` would cost three on asyncpg (BEGIN, a ping, ROLLBACK)
    on every request.
    """
    parsed = async_url(url)
    if statement_timeout_ms and parsed.get_backend_name() == "postgresql":
        kwargs.setdefault("connect_args", {})["server_settings"] = {
            "statement_timeout": str(statement_timeout_ms)
        }
    engine = create_async_engine(parsed, **kwargs)
    if engine.dialect.name == "sqlite":
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
    else:
        event.listen(engine.sync_engine, "checkout", _refuse_closed)
    return engine


def _refuse_closed(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
    # SQLAlchemy discards a connection refused here and checks out another (or connects).
    if dbapi_connection.driver_connection.is_closed():
        raise DisconnectionError("the server closed this pooled connection")


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # SQLite leaves foreign keys off unless asked; WAL lets readers run while the seed writes.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, class_=AsyncSession, expire_on_commit=False)


def read_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions for serving reads: each statement runs on its own (autocommit), so a request
    costs one round trip per statement and no BEGIN or ROLLBACK around them. Nothing is lost:
    at PostgreSQL's READ COMMITTED each statement takes its own snapshot anyway. Writes keep
    `session_factory`, whose transactions make them atomic."""
    return session_factory(engine.execution_options(isolation_level="AUTOCOMMIT"))


# PostgreSQL SQLSTATEs meaning "no server for us right now": class 08 (connection exception),
# class 53 (insufficient resources: too many connections, out of memory or disk), and the
# server shutting down or still starting up (57P01 admin, 57P02 crash, 57P03 cannot connect).
_UNAVAILABLE_SQLSTATES = ("08", "53", "57P01", "57P02", "57P03")
# SQLite says the same in words; its other OperationalErrors ("no such table") are bugs.
_UNAVAILABLE_SQLITE = ("unable to open database file", "database is locked", "disk I/O error")


def is_unavailable(error: BaseException) -> bool:
    """Whether `error` (or anything that caused it) says the database cannot serve now —
    unreachable, restarting, out of connections — rather than a statement being wrong.

    The first kind is worth retrying after a while; the second is a bug to log and fix.
    """
    return any(_says_unavailable(cause) for cause in _causes(error))


def _says_unavailable(error: BaseException) -> bool:
    if isinstance(error, DBAPIError) and error.connection_invalidated:
        return True  # SQLAlchemy saw the connection die under the statement
    if isinstance(error, PoolTimeoutError):
        return True  # every pooled connection busy for the pool's whole timeout
    if isinstance(error, (ConnectionError, TimeoutError, socket.gaierror)):
        return True  # refused, reset, timed out, or the host's name does not resolve
    if type(error) is OSError:
        # asyncio's own "Multiple exceptions: [Errno 111] …" when every address of a host
        # (localhost: ::1 and 127.0.0.1) refused the connection.
        return True
    sqlstate = getattr(error, "sqlstate", None)
    if isinstance(sqlstate, str) and sqlstate.startswith(_UNAVAILABLE_SQLSTATES):
        return True
    return isinstance(error, sqlite3.OperationalError) and str(error).startswith(
        _UNAVAILABLE_SQLITE
    )


def _causes(error: BaseException) -> Iterator[BaseException]:
    """`error`, what caused it, and what any exception group holds, each once. An
    exception's context counts as Python's tracebacks show it: not after `raise … from`,
    so an error raised on purpose while handling a timeout is not taken for an outage."""
    pending, seen = [error], set()
    while pending:
        current = pending.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        if isinstance(current, BaseExceptionGroup):
            pending.extend(current.exceptions)
        context = None if current.__suppress_context__ else current.__context__
        for linked in (current.__cause__, context):
            if linked is not None:
                pending.append(linked)
