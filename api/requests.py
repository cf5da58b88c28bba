"""Request IDs and time limits (pure ASGI middleware)."""

from __future__ import annotations

import asyncio
import logging
import re
import uuid

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.asgi import WatchedSend
from api.graphql_http import error_response

logger = logging.getLogger("smartcity.requests")
VALID_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestIdMiddleware:
    """Every request has an ID (the client's `X-Request-ID` if sane), echoed on the response
    and written with any error logged for it, so a user's report finds the log line."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = Headers(scope=scope).get("x-request-id", "")
        request_id = given if VALID_ID.match(given) else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message)["X-Request-ID"] = request_id
            await send(message)

        await self.app(scope, receive, send_with_id)


class TimeoutMiddleware:
    """Stop a request that runs past its time: the client gets a TIMEOUT error, the work is
    cancelled (its database statements too), and the session is closed by the middleware
    inside this one, so nothing is left behind."""

    def __init__(self, app: ASGIApp, seconds: float, path: str = "/graphql") -> None:
        self.app = app
        self.seconds = seconds
        self.path = path

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] != self.path:
            await self.app(scope, receive, send)
            return
        watch = WatchedSend(send)

        try:
            async with asyncio.timeout(self.seconds):
                await self.app(scope, receive, watch)
        except TimeoutError:
            request_id = scope.get("state", {}).get("request_id")
            logger.warning("request %s stopped after %s s", request_id, self.seconds)
            if watch.started:
                raise
            response = error_response(
                f"the request took longer than {self.seconds} s and was stopped; "
                "ask for less, or use the bulk downloads",
                "TIMEOUT",
                status_code=503,
                headers={"Retry-After": "1"},
                requestId=request_id,
            )
            await response(scope, receive, send)
