"""Automatic persisted queries (Apollo's protocol), so a CDN can cache GraphQL over GET.

A client sends `extensions={"persistedQuery":{"version":1,"sha256Hash":…}}` without the query;
if the hash is unknown it gets `PERSISTED_QUERY_NOT_FOUND` and sends the query once with its
hash, which registers it. Queries live in the database, so every server process knows them.

A registration is only noted here, in `scope["state"]["persisted_query"]`; the schema stores
it once the query has parsed, validated, passed the limits and been charged like any other
request (see `schema.context.Context.persist_query`), so the table never holds text that is
not a query this API would run.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qsl, urlencode

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.graphql_http import error_response
from db import persisted
from schema.limits import MAX_OPERATIONS


def _error(message: str, code: str, status_code: int = 200) -> JSONResponse:
    # Never cached: the hash may be registered a moment later.
    return error_response(
        message, code, status_code=status_code, headers={"Cache-Control": "no-store"}
    )


class PersistedQueriesMiddleware:
    def __init__(
        self, app: ASGIApp, sessions: async_sessionmaker[AsyncSession], path: str = "/graphql"
    ) -> None:
        self.app = app
        self.sessions = sessions
        self.path = path

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] != self.path:
            await self.app(scope, receive, send)
            return
        if scope["method"] == "GET":
            params = dict(
                parse_qsl(scope["query_string"].decode("latin-1"), keep_blank_values=True)
            )
            resolved = await self._resolve(scope, params, _json(params.get("extensions")))
            if isinstance(resolved, JSONResponse):
                await resolved(scope, receive, send)
                return
            if resolved is not params:  # the stored query filled in
                scope = {**scope, "query_string": urlencode(resolved).encode()}
            await self.app(scope, receive, send)
        elif scope["method"] == "POST":
            body = await _read_body(receive)
            payload = _json(body.decode(errors="replace"))
            if isinstance(payload, list) and len(payload) > MAX_OPERATIONS:
                response = _error(
                    f"a batch holds at most {MAX_OPERATIONS} operations, got {len(payload)}",
                    "TOO_MANY_OPERATIONS",
                    status_code=400,
                )
                await response(scope, receive, send)
                return
            if not isinstance(payload, dict):
                await self.app(scope, _replay(body), send)
                return
            resolved = await self._resolve(scope, payload, payload.get("extensions"))
            if isinstance(resolved, JSONResponse):
                await resolved(scope, receive, send)
                return
            # Only a filled-in request is written anew; any other goes on byte for byte.
            rewritten = body if resolved is payload else json.dumps(resolved).encode()
            await self.app(scope, _replay(rewritten), send)
        else:
            await self.app(scope, receive, send)

    async def _resolve(
        self, scope: Scope, request: dict[str, Any], extensions: Any
    ) -> dict[str, Any] | JSONResponse:
        """The request with its query filled in from the store, or the error to answer."""
        persisted_query = extensions.get("persistedQuery") if isinstance(extensions, dict) else None
        if not isinstance(persisted_query, dict):
            return request
        digest = persisted_query.get("sha256Hash")
        if persisted_query.get("version") != 1 or not isinstance(digest, str):
            return _error("Unsupported persisted query version", "PERSISTED_QUERY_NOT_SUPPORTED")
        query = request.get("query")
        if isinstance(query, str) and query:
            if persisted.sha256(query) != digest:
                return _error("provided sha does not match query", "PERSISTED_QUERY_HASH_MISMATCH")
            if len(query) > persisted.MAX_QUERY_LENGTH:
                return _error("query too long to persist", "PERSISTED_QUERY_TOO_LONG")
            scope.setdefault("state", {})["persisted_query"] = (digest, query)
            return request
        stored = await persisted.lookup(self.sessions, digest)
        if stored is None:
            return _error("PersistedQueryNotFound", "PERSISTED_QUERY_NOT_FOUND")
        return {**request, "query": stored}


def _json(text: str | None) -> Any:
    if not text:
        return None
    try:
        return json.loads(text)
    except (json.JSONDecodeError, RecursionError):  # Strawberry refuses it with a code
        return None


async def _read_body(receive: Receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        chunks.append(message.get("body", b""))
        if not message.get("more_body"):
            return b"".join(chunks)


def _replay(body: bytes) -> Receive:
    """A `receive` that hands the (possibly rewritten) body to the app once."""
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return receive
