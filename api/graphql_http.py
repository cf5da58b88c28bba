"""GraphQL over HTTP: the `application/graphql-response+json` media type.

A client that accepts it gets that content type, and a request that failed before execution
(a document that does not parse or validate, variables that do not coerce) gets 400 with no
`data` entry, as the GraphQL-over-HTTP specification asks. Clients asking for plain
`application/json` keep the traditional 200.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from starlette.datastructures import Headers, MutableHeaders
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

MEDIA_TYPE = "application/graphql-response+json"


def error_response(
    message: str,
    code: str,
    *,
    status_code: int = 200,
    headers: Mapping[str, str] | None = None,
    **extensions: Any,
) -> JSONResponse:
    """A GraphQL error answered before the schema runs, with its stable code."""
    return JSONResponse(
        {"errors": [{"message": message, "extensions": {"code": code, **extensions}}]},
        status_code=status_code,
        headers=headers,
    )


def _prefers_graphql_response(accept: str) -> bool:
    """Whether the client accepts the GraphQL response type at least as much as plain JSON."""
    weights: dict[str, float] = {}
    for part in accept.split(","):
        media, _, params = part.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        weights[media.strip().lower()] = quality
    wanted = weights.get(MEDIA_TYPE, 0.0)
    return wanted > 0 and wanted >= weights.get("application/json", 0.0)


class GraphQLResponseMiddleware:
    def __init__(self, app: ASGIApp, path: str = "/graphql") -> None:
        self.app = app
        self.path = path

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["path"] != self.path
            or not _prefers_graphql_response(Headers(scope=scope).get("accept", ""))
        ):
            await self.app(scope, receive, send)
            return
        start: Message | None = None
        body = b""

        async def collect(message: Message) -> None:
            nonlocal start, body
            if message["type"] == "http.response.start":
                start = message
                return
            body += message.get("body", b"")
            if message.get("more_body"):
                return
            assert start is not None
            headers = MutableHeaders(scope=start)
            if headers.get("content-type", "").startswith("application/json"):
                body, start["status"] = _as_graphql_response(body, start["status"])
                headers["content-type"] = f"{MEDIA_TYPE}; charset=utf-8"
                headers["content-length"] = str(len(body))
            await send(start)
            await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, collect)


def _as_graphql_response(body: bytes, status: int) -> tuple[bytes, int]:
    if status != 200:
        return body, status
    try:
        result = json.loads(body)
    except json.JSONDecodeError:
        return body, status
    if not isinstance(result, dict):
        return body, status
    errors = result.get("errors") or []
    # No error has a path: execution never began, so it is a bad request.
    if errors and result.get("data") is None and all("path" not in e for e in errors):
        result.pop("data", None)
        return json.dumps(result).encode(), 400
    return body, status
