"""Who is asking: an API key (a larger budget) or, without one, the client's address."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

from api.graphql_http import error_response
from db import keys
from db.enums import KeyRole


@dataclass(frozen=True)
class Client:
    id: str  # what its budget is counted under: `key:PREFIX` or `address:HOST`
    budget: int
    role: KeyRole | None = None  # None: anonymous
    key_id: int | None = None
    name: str | None = None  # the key's name, which the audit trail records


def presented_key(headers: Headers) -> str | None:
    """`Authorization: Bearer <key>` or `X-API-Key: <key>`."""
    authorization = headers.get("authorization", "")
    if authorization.lower().startswith("bearer "):
        return authorization[7:].strip()
    return headers.get("x-api-key")


class ClientMiddleware:
    """Puts the `Client` in `scope["state"]`; an unknown or revoked key gets 401."""

    def __init__(
        self,
        app: ASGIApp,
        sessions: async_sessionmaker[AsyncSession],
        anonymous_budget: int,
        key_budget: int,
    ) -> None:
        self.app = app
        self.sessions = sessions
        self.anonymous_budget = anonymous_budget
        self.key_budget = key_budget

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        key = presented_key(Headers(scope=scope))
        if key is None:
            host = scope["client"][0] if scope.get("client") else "unknown"
            client = Client(f"address:{host}", self.anonymous_budget)
        else:
            async with self.sessions() as session:
                record = await keys.find(session, key)
            if record is None:
                response = error_response(
                    "unknown or revoked API key",
                    "INVALID_API_KEY",
                    status_code=401,
                    headers={"WWW-Authenticate": 'Bearer realm="smartcity"'},
                )
                await response(scope, receive, send)
                return
            client = Client(
                f"key:{record.prefix}",
                record.budget or self.key_budget,
                role=record.role,
                key_id=record.id,
                name=record.name,
            )
        scope.setdefault("state", {})["client"] = client
        await self.app(scope, receive, send)
