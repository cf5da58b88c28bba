"""The Starlette application factory, served by uvicorn (`uvicorn --factory api.app:create_app`)."""

from __future__ import annotations

import gc
import importlib.metadata
import logging
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from functools import partial
from typing import Any, cast

import orjson
from cross_web import AsyncHTTPRequestAdapter, HTTPException
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession
from starlette.applications import Starlette
from starlette.datastructures import Headers
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Route
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse, GraphQLRequestData
from strawberry.http.base import BaseRequestProtocol
from strawberry.types import ExecutionResult
from strawberry.types.unset import UNSET

from api import catalog, datapackage, downloads, logs, metrics, tracing
from api.assets import Assets
from api.bodies import BodyLimitMiddleware
from api.caching import HttpCachingMiddleware, is_browser_navigation
from api.clients import Client, ClientMiddleware
from api.faults import DatabaseUnavailableMiddleware
from api.graphql_http import GraphQLResponseMiddleware
from api.imports import PATH as IMPORTS
from api.imports import Imports
from api.malformed_requests import check_payload, decode_json, response_for
from api.middleware import DatabaseSessionMiddleware
from api.observation import ObservationMiddleware, note_operation
from api.pages import Pages
from api.persisted_queries import PersistedQueriesMiddleware
from api.programme_page import ProgrammePage
from api.ratelimit import ClientBudget, Counters, MemoryCounters, RedisCounters
from api.requests import RequestIdMiddleware, TimeoutMiddleware
from api.result_cache import RedisResults, result_store
from api.security import SecurityHeadersMiddleware
from api.settings import Settings
from db import hooks, persisted
from db.access import Db
from db.audit import Actor
from db.changes import data_version
from db.engine import create_engine, read_session_factory, session_factory
from db.enums import EditChannel
from schema import identity
from schema.build import build_schema
from schema.context import Context
from schema.fast_path import answer_prepared
from schema.protection import LONE_SURROGATE
from schema.result_store import ResultStore

logger = logging.getLogger("smartcity")
VERSION = importlib.metadata.version("smartcity-thailand-api")

# What gets ETags and revalidation: GraphQL over GET, the downloads and the catalog.
CACHED = ("/graphql", "/downloads/", "/catalog.jsonld", "/.well-known/dcat-catalog")


class SmartCityGraphQL(GraphQL[Context, None]):
    """Strawberry's ASGI app, with our typed context built on the request's session, and our
    self-hosted explorer instead of Strawberry's CDN-loaded GraphiQL page."""

    def __init__(
        self,
        pages: Pages,
        settings: Settings,
        counters: Counters,
        sessions: async_sessionmaker[AsyncSession],
        results: ResultStore | None,
    ) -> None:
        self.schema_ = build_schema(
            introspection=settings.introspection,
            field_suggestions=settings.field_suggestions,
            compiled=settings.compiled_queries,
        )
        super().__init__(self.schema_, graphql_ide="graphiql")
        self.pages = pages
        self.settings = settings
        self.counters = counters
        self.sessions = sessions
        self.results = results

    async def render_graphql_ide(self, request: Request) -> HTMLResponse:
        return self.pages.explorer(request)

    async def run(  # type: ignore[override]  # HTTP only: /graphql is no WebSocket route
        self, request: Request, context: Context = UNSET, root_value: None = UNSET
    ) -> Response:
        # Strawberry answers its refusals in plain text; ours carry a JSON error and a code.
        try:
            return await super().run(request, context, root_value)
        except HTTPException as error:
            return response_for(error)

    async def execute_single(
        self,
        request: Request,
        request_adapter: AsyncHTTPRequestAdapter,
        sub_response: Response,
        context: Context,
        root_value: None,
        request_data: GraphQLRequestData,
    ) -> ExecutionResult:
        # A prepared operation is answered without Strawberry's per-request machinery.
        answered = await answer_prepared(
            self.schema_,
            context,
            request_data.query,
            request_data.operation_name,
            request_data.variables,
        )
        if answered is None:
            answered = await super().execute_single(
                request, request_adapter, sub_response, context, root_value, request_data
            )
        note_operation(
            request.state,
            self.schema_,
            request_data.query,
            request_data.operation_name,
            answered,
        )
        return answered

    async def process_result(
        self, request: Request, result: ExecutionResult
    ) -> GraphQLHTTPResponse:
        processed = await super().process_result(request, result)
        if errors := processed.get("errors"):
            # In the document's order, not the order fields happened to fail in (resolvers
            # run side by side): the same request gets the same answer, byte for byte.
            errors.sort(key=_error_position)
            for error in cast("list[dict[str, Any]]", errors):
                # A message may quote the request back, and a lone surrogate there is no
                # character UTF-8 can carry: the body could not be encoded at all.
                error["message"] = LONE_SURROGATE.sub("\ufffd", error["message"])
        return processed

    def encode_json(self, data: object) -> bytes:
        # UTF-8 as it is (Thai text is not escaped), and a fraction of `json.dumps`'s time.
        return orjson.dumps(data)

    def parse_json(self, data: str | bytes) -> object:
        """The POST body: UTF-8 JSON holding an operation object or a batch of them."""
        payload = decode_json(data)
        check_payload(payload)
        return payload

    def parse_query_params(self, params: Mapping[str, str | None]) -> dict[str, object]:
        # GET parameters: Strawberry checks the decoded values' types itself.
        parsed: dict[str, object] = dict(params)
        for name in ("variables", "extensions"):
            if value := params.get(name):
                parsed[name] = decode_json(value, f"the {name} parameter")
        return parsed

    def should_render_graphql_ide(self, request: BaseRequestProtocol) -> bool:
        # A browser navigating here asks for HTML first: it gets the explorer, pre-filled
        # from `?query=`, so a link can share a query. Programs get the query run.
        if request.method == "GET" and is_browser_navigation(Headers(request.headers)):
            return True
        return super().should_render_graphql_ide(request)

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket
    ) -> Context:
        client: Client = request.state.client
        assert isinstance(response, Response)  # Strawberry's sub-response for headers
        # A query sent with its hash (see api.persisted_queries), stored once admitted.
        registration: tuple[str, str] | None = getattr(request.state, "persisted_query", None)
        return Context(
            db=request.state.db,
            budget=ClientBudget(
                self.counters, client.id, client.budget, self.settings.budget_window_seconds
            ),
            response=response,
            request_id=request.state.request_id,
            retry_after_seconds=self.settings.unavailable_retry_after_seconds,
            persist_query=None
            if registration is None
            else partial(
                persisted.register,
                self.sessions,
                *registration,
                keep=self.settings.max_persisted_queries,
            ),
            results=self.results,
            role=client.role,
            actor=None
            if client.key_id is None
            else Actor(str(client.name), EditChannel.GRAPHQL, client.key_id),
            writes=self.sessions,
        )


def _error_position(error: Any) -> tuple[Any, ...]:
    """Where a formatted error points in the document (`GraphQLFormattedError`)."""
    locations = error.get("locations") or [{"line": 0, "column": 0}]
    path = [(part, "") if isinstance(part, int) else (-1, part) for part in error.get("path") or []]
    return (locations[0]["line"], locations[0]["column"], path, error["message"])


def create_served_app() -> Starlette:
    """The app as `smartcity serve` runs it: logging in `LOG_FORMAT` (JSON lines by
    default), the app built, then everything built so far (the
    schema, the tables, every module) frozen out of the garbage collector's sight. The
    collector's full passes would otherwise walk those hundreds of thousands of objects,
    which live as long as the process, every few thousand requests: pauses of tens of
    milliseconds that showed as the p99 latency under load."""
    settings = Settings()
    logs.configure(settings.log_format)
    app = create_app(settings)
    gc.freeze()
    return app


def create_app(
    settings: Settings | None = None,
    engine: AsyncEngine | None = None,
    assets: Assets | None = None,
) -> Starlette:
    """Build the app. Tests pass their own engine (and may pass the browser assets);
    otherwise `DATABASE_URL` decides."""
    hooks.install()  # every write keeps the change feed and search in step
    settings = settings or Settings()
    engine = engine or create_engine(
        settings.database_url,
        statement_timeout_ms=settings.statement_timeout_ms,
        pool_size=settings.database_pool_size,
        max_overflow=settings.database_max_overflow,
    )
    sessions = session_factory(engine)  # for writes: edits, imports, persisted queries
    reads = read_session_factory(engine)  # for everything a request only reads
    counters: Counters = (
        RedisCounters(settings.redis_url, retry_seconds=settings.redis_retry_seconds)
        if settings.redis_url
        else MemoryCounters()
    )
    assets = assets or Assets()
    pages = Pages(assets, settings.max_import_bytes)
    results = result_store(settings, engine.url)
    graphql = SmartCityGraphQL(
        pages,
        settings,
        counters,
        sessions,
        None if results is None else metrics.CountedResults(results),
    )
    metrics.watch_pool(engine)
    uploads = Imports(settings, counters, sessions)
    programme = ProgrammePage(
        pages,
        graphql.schema_,
        graphql.results,
        settings.unavailable_retry_after_seconds,
        VERSION,
    )
    dcat = catalog.Catalog(settings)
    # Every archive this process writes carries the Data Package its schema describes.
    files = downloads.Downloads(pages, datapackage.install(graphql.schema_._schema))

    async def health(_request: Request) -> JSONResponse:
        """Liveness and readiness: 200 only when the database answers. With Redis configured,
        where the rate-limit counters are: Redis down is `degraded`, still 200, as the API
        serves on with each process counting apart."""
        try:
            async with engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
        except (SQLAlchemyError, OSError):
            logger.exception("health check: database unreachable")
            return JSONResponse(
                {"status": "error", "database": "unreachable"},
                status_code=503,
                headers={"Retry-After": str(settings.unavailable_retry_after_seconds)},
            )
        report = {"status": "ok", "database": engine.dialect.name}
        if isinstance(counters, RedisCounters):
            report["rateLimits"] = await counters.status()
            if report["rateLimits"] != "redis":
                report["status"] = "degraded"
        return JSONResponse(report)

    async def version(_request: Request) -> JSONResponse:
        """Which release serves, which schema, and which data: what to quote in a report."""
        async with reads() as session:
            data = await data_version(Db(session))
        return JSONResponse(
            {
                "version": VERSION,
                "schema": identity.digest(graphql.schema_),
                "dataVersion": data,
            },
            headers={"Cache-Control": "no-store"},
        )

    served_sdl = identity.sdl(graphql.schema_)
    sdl_etag = f'"{identity.digest(graphql.schema_)}"'

    async def schema_sdl(request: Request) -> Response:
        """The schema as SDL, for codegen and for comparing releases; it changes only with
        a release, so it is revalidated by its digest."""
        headers = {"ETag": sdl_etag, "Cache-Control": "public, max-age=300, must-revalidate"}
        if sdl_etag in request.headers.get("if-none-match", ""):
            return Response(status_code=304, headers=headers)
        return PlainTextResponse(served_sdl, headers=headers)

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        with metrics.exported(settings.metrics_port):
            yield
        tracing.flush()
        await counters.close()
        if isinstance(results, RedisResults):
            await results.close()
        await engine.dispose()

    routes = [
        Route("/", programme.page),
        Route("/programme/{chart}.csv", programme.csv),
        Route("/health", health),
        Route("/version", version),
        Route("/schema.graphql", schema_sdl),
        Route("/graphql", graphql, methods=["GET", "POST"]),
        Route(IMPORTS, uploads.upload, methods=["POST"]),
        Route("/steward", pages.steward),
        Route("/assets/{digest}/{name}", assets.serve),
        Route("/downloads/", files.index),
        Route(f"/downloads/{downloads.DESCRIPTOR}", files.datapackage),
        Route("/downloads/{name}", downloads.download),
        Route("/catalog.jsonld", dcat.serve),
        Route("/.well-known/dcat-catalog", dcat.serve),
    ]
    if settings.metrics_port is None:
        routes.append(Route("/metrics", metrics.endpoint(settings.metrics)))

    return Starlette(
        routes=routes,
        middleware=[
            # Outermost: a request refused by any middleware below is counted and logged too.
            *tracing.instrument(engine, routes),
            Middleware(
                ObservationMiddleware, routes=routes, pseudonym_key=settings.log_pseudonym_key
            ),
            Middleware(
                CORSMiddleware,
                allow_origins=["*"],
                allow_methods=["GET", "POST"],
                allow_headers=["Content-Type", "Authorization", "X-API-Key", "X-Request-ID"],
                expose_headers=[
                    "ETag",
                    "Retry-After",
                    "X-Request-ID",
                    "X-RateLimit-Limit",
                    "X-RateLimit-Remaining",
                    "X-RateLimit-Reset",
                    "X-RateLimit-Resource",
                ],
                max_age=86_400,
            ),
            Middleware(SecurityHeadersMiddleware),
            Middleware(RequestIdMiddleware),
            # Before anything that reads the body (persisted queries, Strawberry), and with
            # its own clock: the request timeout starts only once the body is in.
            Middleware(
                BodyLimitMiddleware,
                max_bytes=settings.max_body_bytes,
                timeout_seconds=settings.body_timeout_seconds,
                by_path={IMPORTS: settings.max_import_bytes},
            ),
            Middleware(
                DatabaseUnavailableMiddleware,
                retry_after_seconds=settings.unavailable_retry_after_seconds,
            ),
            Middleware(
                ClientMiddleware,
                sessions=reads,
                anonymous_budget=settings.anonymous_budget,
                key_budget=settings.key_budget,
            ),
            Middleware(HttpCachingMiddleware, sessions=reads, prefixes=CACHED),
            Middleware(GraphQLResponseMiddleware),
            Middleware(PersistedQueriesMiddleware, sessions=reads),
            Middleware(TimeoutMiddleware, seconds=settings.request_timeout_seconds),
            Middleware(DatabaseSessionMiddleware, sessions=reads),
        ],
        lifespan=lifespan,
    )
