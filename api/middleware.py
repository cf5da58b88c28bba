"""Pure-ASGI middleware."""

from __future__ import annotations

import logging

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession
from starlette.types import ASGIApp, Receive, Scope, Send

from db.access import Db
from db.engine import is_unavailable

logger = logging.getLogger("smartcity.sessions")


class DatabaseSessionMiddleware:
    """Opens one database session per HTTP request and always closes it.

    The request's `Db` (the session and its lock) sits in `scope["state"]["db"]`, where the
    GraphQL context and the downloads pick it up; reads only, so nothing is ever committed
    from here.
    """

    def __init__(self, app: ASGIApp, sessions: async_sessionmaker[AsyncSession]) -> None:
        self.app = app
        self.sessions = sessions

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        db = Db(self.sessions())
        scope.setdefault("state", {})["db"] = db
        try:
            await self.app(scope, receive, send)
        finally:
            logger.debug(
                "%s %s: %d statements, %d rows read",
                scope["method"],
                scope["path"],
                db.statements,
                db.rows_read,
                extra={"statements": db.statements, "rows_read": db.rows_read},
            )
            try:
                # After any statement still finishing for a cancelled request (see `Db`).
                await db.close()
            except Exception as error:
                # The database went away after the answer was sent (a restart): closing
                # rolls back on a dead connection, which SQLAlchemy then discards. The
                # request is served, so this is no error of the application's.
                if not is_unavailable(error):
                    raise
                logger.warning("database connection lost while closing a session: %r", error)
