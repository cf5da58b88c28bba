"""HTTP caching for GraphQL over GET and the downloads: ETags from the data's version.

The ETag hashes the data version (the change feed's newest sequence number) with the request,
so it changes exactly when the data does. A client or CDN revalidating with `If-None-Match`
gets 304 with no body, and the query is not even run.
"""

from __future__ import annotations

import hashlib

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from db.access import Db
from db.changes import data_version

CACHE_CONTROL = "public, max-age=60, must-revalidate"


def is_browser_navigation(headers: Headers) -> bool:
    """A browser asking for a page (HTML first), not a program asking for data."""
    return headers.get("accept", "").split(",", 1)[0].strip().lower() == "text/html"


class HttpCachingMiddleware:
    def __init__(
        self, app: ASGIApp, sessions: async_sessionmaker[AsyncSession], prefixes: tuple[str, ...]
    ) -> None:
        self.app = app
        self.sessions = sessions
        self.prefixes = prefixes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] != "GET"
            or not scope["path"].startswith(self.prefixes)
        ):
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        if is_browser_navigation(headers):
            await self.app(scope, receive, send)
            return
        async with self.sessions() as session:
            version = await data_version(Db(session))
        fingerprint = "\n".join(
            [
                str(version),
                scope["path"],
                scope["query_string"].decode("latin-1"),
                headers.get("accept", ""),
            ]
        )
        etag = '"' + hashlib.sha256(fingerprint.encode()).hexdigest()[:32] + '"'
        caching = {"ETag": etag, "Cache-Control": CACHE_CONTROL, "Vary": "Accept"}

        if etag in [tag.strip() for tag in headers.get("if-none-match", "").split(",")]:
            await send(
                {
                    "type": "http.response.start",
                    "status": 304,
                    "headers": [(k.lower().encode(), v.encode()) for k, v in caching.items()],
                }
            )
            await send({"type": "http.response.body", "body": b""})
            return

        async def send_with_etag(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] == 200:
                response_headers = MutableHeaders(scope=message)
                if "no-store" not in response_headers.get("cache-control", ""):
                    for name, value in caching.items():
                        response_headers[name] = value
            await send(message)

        await self.app(scope, receive, send_with_etag)
