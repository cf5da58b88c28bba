"""Request bodies are capped in size and in time before anything reads them whole.

A body declared larger than the limit is refused from its `Content-Length`, before the app
sees it; any other body is counted as it streams in (a chunked one declares no length), so
the app never receives more than the limit. A body still arriving after the time limit is
refused too. Either refusal closes the connection.

Most clients (httpx, requests, browsers' fetch) send the whole body before they read any
answer: closing on them mid-upload resets the connection and they never see the 413. So the
rest of a refused body, up to `DRAIN_BYTES` and within the time limit, is read and thrown
away before answering (never kept: memory stays flat). A client that asked
`Expect: 100-continue` (curl, for large bodies) has sent nothing yet and is answered at once.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping

from starlette.datastructures import Headers
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.asgi import WatchedSend
from api.graphql_http import error_response

DRAIN_BYTES = 64_000_000
"""The most of a refused body read (and discarded) so the client can read the refusal."""


class _BodyRefused(Exception):
    """Raised from the wrapped `receive`, so every consumer of the body (our middlewares,
    Starlette's `Request.body()`, Strawberry) stops at once; `BodyLimitMiddleware` answers."""

    def __init__(self, response: Response, *, drain: bool) -> None:
        super().__init__(response.status_code)
        self.response = response
        self.drain = drain


class BodyLimitMiddleware:
    """Refuses bodies over `max_bytes` (413 `PAYLOAD_TOO_LARGE`) and bodies not received
    in full within `timeout_seconds` of the request's headers (408 `BODY_TIMEOUT`)."""

    def __init__(
        self,
        app: ASGIApp,
        max_bytes: int,
        timeout_seconds: float,
        by_path: Mapping[str, int] | None = None,
    ) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.timeout_seconds = timeout_seconds
        self.by_path = dict(by_path or {})  # paths that take larger bodies (uploads)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        max_bytes = self.by_path.get(scope["path"], self.max_bytes)
        request_id = scope.get("state", {}).get("request_id")
        deadline = asyncio.get_running_loop().time() + self.timeout_seconds
        declared = _declared_length(headers)
        if declared > max_bytes:
            # Waiting for `100 Continue`, the client has sent nothing and never will; a body
            # too large to drain would be cut off anyway.
            if declared <= DRAIN_BYTES and headers.get("expect", "").lower() != "100-continue":
                await _drain(receive, deadline)
            await self._too_large(max_bytes, request_id)(scope, receive, send)
            return
        received = 0
        complete = False

        async def receive_capped() -> Message:
            nonlocal received, complete
            if complete:  # the body is in; what follows is waiting for a disconnect
                return await receive()
            message = await _before(deadline, receive)
            if message is None:
                raise _BodyRefused(self._too_slow(request_id), drain=False)
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                complete = not message.get("more_body", False)
                if received > max_bytes:
                    raise _BodyRefused(self._too_large(max_bytes, request_id), drain=not complete)
            return message

        watch = WatchedSend(send)

        try:
            await self.app(scope, receive_capped, watch)
        except _BodyRefused as refusal:
            if watch.started:  # too late to answer: let the server drop the connection
                raise
            if refusal.drain:
                await _drain(receive, deadline)
            await refusal.response(scope, receive, send)

    def _too_large(self, max_bytes: int, request_id: str | None) -> Response:
        return _refusal(
            f"the request body is larger than the limit of {max_bytes} bytes",
            "PAYLOAD_TOO_LARGE",
            413,
            max_bytes,
            request_id,
        )

    def _too_slow(self, request_id: str | None) -> Response:
        return _refusal(
            f"the request body did not arrive in full within {self.timeout_seconds} s",
            "BODY_TIMEOUT",
            408,
            self.timeout_seconds,
            request_id,
        )


def _refusal(
    message: str, code: str, status: int, maximum: float, request_id: str | None
) -> Response:
    """A refused body's answer; the connection closes, as the body may still be arriving."""
    return error_response(
        message,
        code,
        status_code=status,
        headers={"Connection": "close"},
        maximum=maximum,
        requestId=request_id,
    )


def _declared_length(headers: Headers) -> int:
    """The `Content-Length`, or 0 when there is none (or it is malformed: the server
    refuses those itself, and the streamed bytes are counted anyway)."""
    try:
        return int(headers.get("content-length", "0"))
    except ValueError:
        return 0


async def _before(deadline: float, receive: Receive) -> Message | None:
    """The next message, or None if the deadline passes first."""
    timeout = asyncio.timeout_at(deadline)
    try:
        async with timeout:
            return await receive()
    except TimeoutError:
        if timeout.expired():
            return None
        raise


async def _drain(receive: Receive, deadline: float) -> None:
    """Read and discard the rest of a refused body, so that the client, done sending, reads
    the answer instead of a reset connection: at most `DRAIN_BYTES`, and not past the
    deadline (then the answer goes out and the connection closes mid-upload)."""
    left = DRAIN_BYTES
    while left > 0:
        message = await _before(deadline, receive)
        if message is None or message["type"] != "http.request":
            return
        left -= len(message.get("body", b""))
        if not message.get("more_body", False):
            return
