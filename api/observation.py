"""What each request did, counted in the metrics and written as one access-log line.

The outermost middleware starts an `Observation` in `scope["state"]`; the GraphQL view notes
each operation it ran there (`note_operation`), and when the answer has gone the middleware
counts the request and logs it. Every label value is bounded: a route's template, never a
raw path, and operation names only from documents that validated, up to a fixed number.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
import secrets
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache, partial
from typing import TYPE_CHECKING, Any

import orjson
from starlette.datastructures import State
from starlette.routing import BaseRoute, Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from strawberry.types import ExecutionResult

from api import logs, metrics
from schema.compiled import operation_of

if TYPE_CHECKING:
    from schema.build import SmartCitySchema

access_log = logging.getLogger("smartcity.access")

# Distinct operation names a process labels its metrics with; later ones count under the
# route, so clients inventing names cannot grow the metrics without bound.
MAX_OPERATION_NAMES = 200
MAX_NAME_LENGTH = 100
UNMATCHED = "unmatched"  # the route label of a path no route serves (a 404)
# Error answers written before GraphQL runs (`api.graphql_http.error_response`) start so.
_ERROR_BODY = b'{"errors":['
_ERROR_BODY_MAX_BYTES = 4_096
_CODE = re.compile(r"^[A-Z][A-Z0-9_]{0,63}$")


@dataclass(slots=True)
class Observation:
    """One request's GraphQL operations (None: unnamed), their cost and error codes."""

    operations: list[str | None] = field(default_factory=list)
    cost: int | None = None
    codes: set[str] = field(default_factory=set)

    def note_codes(self, codes: Iterable[object]) -> None:
        for code in codes:
            self.codes.add(code if isinstance(code, str) and _CODE.match(code) else "OTHER")


def note_operation(
    state: State,
    schema: SmartCitySchema,
    query: str | None,
    operation_name: str | None,
    result: ExecutionResult,
) -> None:
    """Record an operation the GraphQL view ran for the request whose `request.state` this is."""
    observation: Observation | None = getattr(state, "observation", None)
    if observation is None:  # an app built without the middleware
        return
    prepared = schema.documents.get(query)  # only a document that validated is kept there
    operation = None if prepared is None else operation_of(prepared.document, operation_name)
    observation.operations.append(
        operation.name.value if operation is not None and operation.name else None
    )
    cost = (result.extensions or {}).get("cost", {}).get("requestedQueryCost")
    if isinstance(cost, int):
        metrics.COST.observe(cost)
        observation.cost = (observation.cost or 0) + cost
    observation.note_codes((error.extensions or {}).get("code") for error in result.errors or ())


class Routes:
    """The template of the route that serves a path: `/downloads/{name}`, not the name."""

    def __init__(self, routes: Sequence[BaseRoute]) -> None:
        plain = [route for route in routes if isinstance(route, Route)]
        self.exact = {route.path for route in plain if not route.param_convertors}
        self.templated = [
            (route.path_regex, route.path) for route in plain if route.param_convertors
        ]

    def template(self, path: str) -> str:
        if path in self.exact:
            return path
        for regex, template in self.templated:
            if regex.match(path):
                return template
        return UNMATCHED


def pseudonym(key: bytes, client_id: str) -> str:
    """Who asked, as a stable pseudonym: requests of one key or address can be told apart
    and followed in the log, without the key or the address written there. Keyed, because
    a plain hash of an address is undone by hashing all four billion of them."""
    return hmac.new(key, client_id.encode(), hashlib.sha256).hexdigest()[:16]


class ObservationMiddleware:
    """Counts every HTTP request in the metrics and writes its access-log line."""

    def __init__(
        self, app: ASGIApp, routes: Sequence[BaseRoute], pseudonym_key: str | None
    ) -> None:
        self.app = app
        self.routes = Routes(routes)
        key = secrets.token_bytes(32) if pseudonym_key is None else pseudonym_key.encode()
        self.pseudonym = lru_cache(maxsize=4_096)(partial(pseudonym, key))
        self.names: set[str] = set()
        # Each (operation, status)'s metric children, looked up once: `labels()` takes a lock
        # and checks its arguments on every call.
        self.children: dict[tuple[str, int], tuple[Any, Any]] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        state = scope.setdefault("state", {})
        observation = state["observation"] = Observation()
        status = 500  # if the app fails before answering, the server answers so
        first_body = True

        async def observed_send(message: Message) -> None:
            nonlocal status, first_body
            if message["type"] == "http.response.start":
                status = message["status"]
            elif message["type"] == "http.response.body" and first_body:
                first_body = False
                if not observation.operations:
                    _note_error_body(observation, message)
            await send(message)

        request = logs.REQUEST.set(state)
        try:
            await self.app(scope, receive, observed_send)
        finally:
            duration = time.perf_counter() - started
            route = self.routes.template(scope["path"])
            self._count(observation, route, status, duration)
            self._log(scope, state, observation, route, status, duration)
            logs.REQUEST.reset(request)

    def _operation(self, observation: Observation, route: str) -> str:
        """The label: the one named operation the request ran, else its route."""
        if len(observation.operations) != 1:
            return route  # none (not GraphQL, or refused before running), or a batch
        name = observation.operations[0]
        if name is None or len(name) > MAX_NAME_LENGTH:
            return route
        if name not in self.names:
            if len(self.names) >= MAX_OPERATION_NAMES:
                return route
            self.names.add(name)
        return name

    def _count(self, observation: Observation, route: str, status: int, duration: float) -> None:
        key = (self._operation(observation, route), status)
        children = self.children.get(key)
        if children is None:
            labels = (key[0], str(status))
            children = self.children[key] = (
                metrics.REQUESTS.labels(*labels),
                metrics.LATENCY.labels(*labels),
            )
        requests, latency = children
        requests.inc()
        latency.observe(duration)
        for code in observation.codes:
            metrics.ERRORS.labels(code).inc()

    def _log(
        self,
        scope: Scope,
        state: dict[str, Any],
        observation: Observation,
        route: str,
        status: int,
        duration: float,
    ) -> None:
        if not access_log.isEnabledFor(logging.INFO):
            return
        client = state.get("client")
        db = state.get("db")
        operations = [name for name in observation.operations if name is not None]
        access_log.info(
            "%s %s %d",
            scope["method"],
            route,
            status,
            extra={
                "request_id": state.get("request_id"),
                "method": scope["method"],
                "route": route,
                "operation": ",".join(operations) or None,
                "cost": observation.cost,
                "duration_ms": round(duration * 1000, 3),
                "status": status,
                "client": None if client is None else self.pseudonym(client.id),
                "statements": None if db is None else db.statements,
                "rows_read": None if db is None else db.rows_read,
                "error_codes": sorted(observation.codes) or None,
            },
        )


def _note_error_body(observation: Observation, message: Message) -> None:
    """The codes of an error answered before GraphQL ran (a refused body, key, or
    persisted query): small JSON bodies of a known start, so no other body is parsed."""
    body: bytes = message.get("body", b"")
    if not body.startswith(_ERROR_BODY) or len(body) > _ERROR_BODY_MAX_BYTES:
        return
    try:
        errors = orjson.loads(body)["errors"]
        observation.note_codes(error["extensions"]["code"] for error in errors)
    except (orjson.JSONDecodeError, KeyError, TypeError):
        return
