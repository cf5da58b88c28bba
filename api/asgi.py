"""What our pure-ASGI middlewares share."""

from __future__ import annotations

from starlette.types import Message, Send


class WatchedSend:
    """`send`, remembering whether the response has begun: until then a middleware may still
    answer in its place; after, the status is sent and only dropping the connection is left."""

    def __init__(self, send: Send) -> None:
        self._send = send
        self.started = False

    async def __call__(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.started = True
        await self._send(message)
