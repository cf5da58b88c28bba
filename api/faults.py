"""The database being unreachable is answered honestly: 503 with a code and `Retry-After`.

Anything below this middleware may need the database before it answers: the API-key lookup,
the HTTP cache's data version, persisted-query lookups, the downloads and the catalog. When
the database is down, restarting or out of connections, whichever of them meets it first
raises; here that becomes a GraphQL-style error the client can act on (retry later), never
a 500 and never a message naming a host, a port or a driver. Real bugs pass on untouched.
"""

from __future__ import annotations

import logging

from starlette.types import ASGIApp, Receive, Scope, Send

from api.asgi import WatchedSend
from api.graphql_http import error_response
from db.engine import is_unavailable
from schema.errors import ErrorCodes

logger = logging.getLogger("smartcity.faults")


class DatabaseUnavailableMiddleware:
    def __init__(self, app: ASGIApp, retry_after_seconds: int) -> None:
        self.app = app
        self.retry_after_seconds = retry_after_seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        watch = WatchedSend(send)

        try:
            await self.app(scope, receive, watch)
        except Exception as error:
            # Once a response has begun its status cannot change: the connection drops.
            if watch.started or not is_unavailable(error):
                raise
            request_id = scope.get("state", {}).get("request_id")
            # The detail (host, port, driver's words) is for the log, not the client.
            logger.warning("database unavailable (request %s): %r", request_id, error)
            seconds = self.retry_after_seconds
            response = error_response(
                ErrorCodes.unavailable_message(seconds),
                ErrorCodes.UNAVAILABLE,
                status_code=503,
                headers={"Retry-After": str(seconds), "Cache-Control": "no-store"},
                requestId=request_id,
                retryAfter=seconds,
            )
            await response(scope, receive, send)
