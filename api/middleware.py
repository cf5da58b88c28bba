"""Pure-ASGI middleware."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession
from starlette.types import ASGIApp, Receive, Scope, Send


class DatabaseSessionMiddleware:
    """Opens one database session per HTTP request and always closes it.

    The session sits in `scope["state"]["session"]`, where the GraphQL context picks it up;
    reads only, so nothing is ever committed from here.
    """

    def __init__(self, app: ASGIApp, sessions: async_sessionmaker[AsyncSession]) -> None:
        self.app = app
        self.sessions = sessions

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        async with self.sessions() as session:
            scope.setdefault("state", {})["session"] = session
            await self.app(scope, receive, send)
