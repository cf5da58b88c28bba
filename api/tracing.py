"""OpenTelemetry tracing, when its standard environment variables ask for it: a span per
request and one per SQL statement, exported as `OTEL_TRACES_EXPORTER` says (`otlp` to
`OTEL_EXPORTER_OTLP_ENDPOINT`, or `console`), named by `OTEL_SERVICE_NAME`.

Without those variables nothing of OpenTelemetry is imported and no middleware is added.
The packages come with the `tracing` extra (`pip install smartcity-thailand-api[tracing]`).
"""

from __future__ import annotations

import importlib.metadata
import logging
import os
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.middleware import Middleware
from starlette.routing import BaseRoute
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.observation import Observation, Routes

logger = logging.getLogger("smartcity.tracing")
SERVICE = "smartcity-thailand-api"
# The provider `_set_provider` made from the environment; None until then.
_provider: Any = None


def requested(environ: Mapping[str, str] = os.environ) -> bool:
    """Whether the environment asks for traces (the variables OpenTelemetry's SDKs read)."""
    if environ.get("OTEL_SDK_DISABLED", "").strip().lower() == "true":
        return False
    exporters = environ.get("OTEL_TRACES_EXPORTER")
    if exporters is not None:
        return exporters.strip().lower() not in ("", "none")
    return bool(
        environ.get("OTEL_EXPORTER_OTLP_ENDPOINT")
        or environ.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")
    )


def instrument(engine: AsyncEngine, routes: Sequence[BaseRoute]) -> list[Middleware]:
    """Trace `engine`'s statements and return the middleware that traces requests, when the
    environment asks for traces; otherwise nothing, at no cost."""
    if not requested():
        return []
    try:
        from opentelemetry.instrumentation.asgi import OpenTelemetryMiddleware
        from opentelemetry.instrumentation.sqlalchemy import SQLAlchemyInstrumentor
    except ImportError:
        logger.error(
            "OTEL_* variables ask for traces, but OpenTelemetry is not installed: "
            "pip install 'smartcity-thailand-api[tracing]'; serving without traces"
        )
        return []
    _set_provider()
    instrumentor = SQLAlchemyInstrumentor()
    if instrumentor.is_instrumented_by_opentelemetry:
        # One app per served process; a process building another (tests) traces the new one.
        instrumentor.uninstrument()
    # Its declared range stops below SQLAlchemy 2.1, whose engine events it uses are those of
    # 2.0 (tests/test_logging.py checks that statements are traced).
    instrumentor.instrument(engine=engine.sync_engine, skip_dep_check=True)
    named = Routes(routes)

    def span_details(scope: Scope) -> tuple[str, dict[str, Any]]:
        # The route's template, never the raw path: a span name says what kind of request.
        route = named.template(scope.get("path", ""))
        return f"{scope.get('method', 'HTTP')} {route}", {"http.route": route}

    return [
        Middleware(
            OpenTelemetryMiddleware,
            default_span_details=span_details,
            exclude_spans=["receive", "send"],  # a span per ASGI message is noise
        ),
        Middleware(OperationAttributes),
    ]


class OperationAttributes:
    """Adds the GraphQL operations a request ran, and their cost, to its span."""

    def __init__(self, app: ASGIApp) -> None:
        from opentelemetry import trace

        self.app = app
        self.current_span = trace.get_current_span

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        state = scope.setdefault("state", {})

        async def annotated_send(message: Message) -> None:
            # When the answer starts, its operations have run; the span ends with its body.
            observation: Observation | None = state.get("observation")
            if message["type"] == "http.response.start" and observation is not None:
                span = self.current_span()
                names = [name for name in observation.operations if name is not None]
                if names:
                    span.set_attribute("graphql.operation.name", ",".join(names))
                if observation.cost is not None:
                    span.set_attribute("smartcity.cost", observation.cost)
            await send(message)

        await self.app(scope, receive, annotated_send)


def _set_provider() -> None:
    """The process's tracer provider, from the environment, unless one is set already (by
    the application embedding this one, or a test)."""
    global _provider
    from opentelemetry import trace
    from opentelemetry.sdk.resources import SERVICE_NAME, SERVICE_VERSION, Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor

    if not isinstance(trace.get_tracer_provider(), trace.ProxyTracerProvider):
        return
    resource = Resource.create(
        {SERVICE_VERSION: importlib.metadata.version("smartcity-thailand-api")}
    )
    if str(resource.attributes.get(SERVICE_NAME, "")).startswith("unknown_service"):
        resource = resource.merge(Resource({SERVICE_NAME: SERVICE}))
    provider = TracerProvider(resource=resource)  # its sampler from OTEL_TRACES_SAMPLER
    for exporter in _exporters(os.environ):
        provider.add_span_processor(BatchSpanProcessor(exporter))
    trace.set_tracer_provider(provider)
    _provider = provider


def flush() -> None:
    """Export the spans still waiting, as the app stops: uvicorn ends the process by its
    signal once shut down, so the SDK's exit handler never runs."""
    if _provider is not None:
        _provider.force_flush()


def _exporters(environ: Mapping[str, str]) -> list[Any]:
    """The exporters `OTEL_TRACES_EXPORTER` names (`otlp` by default), from the entry
    points the exporter packages register."""
    exporters = []
    for listed in environ.get("OTEL_TRACES_EXPORTER", "otlp").split(","):
        name = listed.strip().lower()
        if name in ("", "none"):
            continue
        # The OTLP exporter installed is the HTTP one (OTLP's default protocol).
        found = importlib.metadata.entry_points(
            group="opentelemetry_traces_exporter",
            name="otlp_proto_http" if name == "otlp" else name,
        )
        if not found:
            logger.error("no trace exporter %r is installed; its spans are not exported", name)
            continue
        exporters.append(next(iter(found)).load()())
    return exporters
