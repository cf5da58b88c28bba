"""uvicorn's HTTP protocol with a deadline and a size cap on every request's head.

uvicorn times out a connection only while it is idle between requests (`timeout_keep_alive`),
and its httptools parser keeps every header it is sent. A connection that opens and sends
nothing, or trickles its request line and headers a byte at a time (slowloris), is kept open
for as long as the client likes; one that streams headers without end fills the memory
(900 MB in 8 s, measured). Here the head of each request must arrive in full within
`HEADER_TIMEOUT_SECONDS`, counted from the connection opening or from the request's first
byte, or the connection is closed; and a head larger than `MAX_HEADER_BYTES` is answered
431 `HEADERS_TOO_LARGE` and the connection closed. Bodies have their own limits
(`api.bodies`).
"""

from __future__ import annotations

import asyncio
import json
from functools import cache

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from api.settings import Settings


@cache
def _settings() -> Settings:
    # Read once per process from the environment, as `create_app` reads its settings: a
    # protocol class is handed to uvicorn by reference (and to each worker process), so it
    # carries no arguments.
    return Settings()


def _headers_too_large(limit: int) -> bytes:
    """A whole HTTP response, written before uvicorn has a request to answer."""
    body = json.dumps(
        {
            "errors": [
                {
                    "message": f"the request line and headers are larger than {limit} bytes",
                    "extensions": {"code": "HEADERS_TOO_LARGE", "maximum": limit},
                }
            ]
        }
    ).encode()
    head = (
        "HTTP/1.1 431 Request Header Fields Too Large\r\n"
        "content-type: application/json\r\n"
        f"content-length: {len(body)}\r\n"
        "connection: close\r\n\r\n"
    )
    return head.encode() + body


class HeadTimeoutProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol (its default), closing a connection whose request head
    does not arrive in full in time, or is too large."""

    _head_deadline: asyncio.TimerHandle | None = None
    _head_bytes = 0

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._await_head()

    def data_received(self, data: bytes) -> None:
        awaited = self._head_deadline
        super().data_received(data)
        if self._head_deadline is None or self._head_deadline is not awaited:
            return  # a head was completed (or begun) within the data: at most one read more
        # Counted here, not in the parser's callbacks: httptools buffers a header line until
        # it ends, so one endless line would never reach them.
        self._head_bytes += len(data)
        limit = _settings().max_header_bytes
        if self._head_bytes > limit and not self.transport.is_closing():
            self._head_arrived()
            self.transport.write(_headers_too_large(limit))
            self.transport.close()

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._await_head()

    def on_headers_complete(self) -> None:
        self._head_arrived()
        super().on_headers_complete()

    def connection_lost(self, exc: Exception | None) -> None:
        self._head_arrived()
        super().connection_lost(exc)

    def _await_head(self) -> None:
        if self._head_deadline is None:
            self._head_bytes = 0
            self._head_deadline = self.loop.call_later(
                _settings().header_timeout_seconds, self._head_timed_out
            )

    def _head_arrived(self) -> None:
        if self._head_deadline is not None:
            self._head_deadline.cancel()
            self._head_deadline = None

    def _head_timed_out(self) -> None:
        self._head_deadline = None
        if not self.transport.is_closing():
            self.transport.close()
