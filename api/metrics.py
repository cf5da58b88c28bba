"""Prometheus metrics: what the API served, refused and cached, and its database pool.

With one server process the metrics live in prometheus-client's default registry. With
several (`smartcity serve --workers N`), `PROMETHEUS_MULTIPROC_DIR` names an empty directory
the serve command creates before starting them: each process then writes its values to
files there, and whichever process is scraped sums them all (prometheus-client's
multiprocess mode, chosen when it is imported, so the variable must be set before).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from typing import Literal

from prometheus_client import (
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    multiprocess,
    start_http_server,
)
from prometheus_client.exposition import choose_encoder
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.requests import Request
from starlette.responses import Response

from api.clients import Client
from api.graphql_http import error_response
from db.enums import KeyRole
from schema.result_store import Data, ResultStore

logger = logging.getLogger("smartcity.metrics")

MULTIPROCESS = "PROMETHEUS_MULTIPROC_DIR" in os.environ

REQUESTS = Counter(
    "smartcity_requests",
    "HTTP requests answered, by GraphQL operation name (the route where there is none) and status.",
    ["operation", "status"],
)
LATENCY = Histogram(
    "smartcity_request_duration_seconds",
    "Time from a request's arrival to its answer's last byte, by operation and status.",
    ["operation", "status"],
    # The API answers a cached query in about a millisecond: the default buckets start at 5.
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
COST = Histogram(
    "smartcity_query_cost_points",
    "Points each GraphQL operation was charged (extensions.cost.requestedQueryCost).",
    buckets=(1, 2, 5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000),
)
ERRORS = Counter(
    "smartcity_error_codes",
    "Requests answered with an error, by its extensions.code: refusals (RATE_LIMITED, "
    "TOO_MANY_NODES, FORBIDDEN, PAYLOAD_TOO_LARGE, ...) and failures; a request with several "
    "errors of one code counts once for it.",
    ["code"],
)
RESULT_CACHE = Counter(
    "smartcity_result_cache_lookups",
    "Lookups in the cache of answers to repeated queries, by outcome (hit or miss).",
    ["outcome"],
)
# Gauges of a process that has stopped leave the sum when it says so (`mark_process_dead`).
CHECKED_OUT = Gauge(
    "smartcity_db_connections_checked_out",
    "Database connections in use by requests now, over all server processes.",
    multiprocess_mode="livesum",
)
POOL_SIZE = Gauge(
    "smartcity_db_pool_size",
    "Database connections the server processes keep open (each may open "
    "DATABASE_MAX_OVERFLOW more at a peak).",
    multiprocess_mode="livesum",
)

_HITS = RESULT_CACHE.labels("hit")
_MISSES = RESULT_CACHE.labels("miss")


def registry() -> CollectorRegistry:
    """What a scrape reads: this process's metrics, or every process's in multiprocess mode."""
    if not MULTIPROCESS:
        return REGISTRY
    combined = CollectorRegistry()
    multiprocess.MultiProcessCollector(combined)  # type: ignore[no-untyped-call]
    return combined


def watch_pool(engine: AsyncEngine) -> None:
    """Keep the pool gauges in step with `engine`'s pool, as connections come and go."""
    pool = engine.sync_engine.pool
    size = getattr(pool, "size", None)  # a queue pool's; SQLite in memory has none
    if callable(size):
        POOL_SIZE.set(size())
    if not event.contains(engine.sync_engine, "checkout", _checked_out):  # once per engine
        event.listen(engine.sync_engine, "checkout", _checked_out)
        event.listen(engine.sync_engine, "checkin", _checked_in)


def _checked_out(*_: object) -> None:
    CHECKED_OUT.inc()


def _checked_in(*_: object) -> None:
    CHECKED_OUT.dec()


class CountedResults:
    """A `ResultStore` that counts its hits and misses."""

    def __init__(self, store: ResultStore) -> None:
        self.store = store

    async def get(self, key: str) -> Data | None:
        data = await self.store.get(key)
        (_MISSES if data is None else _HITS).inc()
        return data

    async def put(self, key: str, data: Data) -> None:
        await self.store.put(key, data)


def endpoint(access: Literal["admin", "open"]) -> Callable[[Request], Awaitable[Response]]:
    """`/metrics` on the app: for an admin API key only, unless `access` is open."""
    scraped = registry()

    async def metrics(request: Request) -> Response:
        client: Client | None = getattr(request.state, "client", None)
        if access == "admin" and (client is None or client.role is not KeyRole.ADMIN):
            return error_response(
                "the metrics are for an admin API key (Authorization: Bearer <key>)",
                "FORBIDDEN",
                status_code=403,
            )
        encoder, content_type = choose_encoder(request.headers.get("accept", ""))
        return Response(
            encoder(scraped), media_type=content_type, headers={"Cache-Control": "no-store"}
        )

    return metrics


@contextmanager
def exported(port: int | None) -> Iterator[None]:
    """While the app runs: its metrics on `port` of 127.0.0.1 if given, for a scraper on the
    same host (no key asked); and, in multiprocess mode, this process's gauges dropped from
    the sums when it stops."""
    server = None
    if port is not None:
        try:
            server, _thread = start_http_server(port, addr="127.0.0.1", registry=registry())
        except OSError:
            if not MULTIPROCESS:
                raise
            # Another process of this server already serves every process's metrics there.
            logger.debug("metrics port %d already served by another process", port)
    try:
        yield
    finally:
        if server is not None:
            server.shutdown()
            server.server_close()
        if MULTIPROCESS:
            multiprocess.mark_process_dead(os.getpid())  # type: ignore[no-untyped-call]
