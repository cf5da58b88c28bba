"""What the API writes about itself: JSON log lines, one access line per request, and
OpenTelemetry traces when its environment variables ask for them."""

from __future__ import annotations

import hashlib
import io
import json
import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from opentelemetry import trace
from opentelemetry.instrumentation.sqlalchemy import SQLAlchemyInstrumentor
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from sqlalchemy.engine import URL
from sqlalchemy.ext.asyncio import AsyncEngine

from api import logs, tracing
from api.observation import pseudonym
from db.enums import KeyRole
from tests.graphql import app_client
from tests.server import live_server

NAMED = 'query ChiangMai { province(code: "TH-50") { nameEn } }'
REQUEST_ID = "report-1234-abcd"


@pytest.fixture
def json_lines() -> Iterator[io.StringIO]:
    """What the `smartcity` loggers write, rendered by the served app's JSON formatter."""
    output = io.StringIO()
    handler = logging.StreamHandler(output)
    handler.setFormatter(logs.formatter("json"))
    smartcity = logging.getLogger("smartcity")
    smartcity.addHandler(handler)
    level = smartcity.level
    smartcity.setLevel(logging.DEBUG)
    try:
        yield output
    finally:
        smartcity.setLevel(level)
        smartcity.removeHandler(handler)


def _lines(output: io.StringIO, logger: str) -> list[dict[str, Any]]:
    lines = [json.loads(line) for line in output.getvalue().splitlines()]
    return [line for line in lines if line["logger"] == logger]


async def test_each_request_has_one_json_access_line(
    seeded_engine: AsyncEngine, role_keys: dict[KeyRole, str], json_lines: io.StringIO
) -> None:
    key = role_keys[KeyRole.READER]
    async with app_client(seeded_engine, log_pseudonym_key="a log key") as http:
        response = await http.post(
            "/graphql",
            json={"query": NAMED},
            headers={"Authorization": f"Bearer {key}", "X-Request-ID": REQUEST_ID},
        )
    assert response.status_code == 200
    [access] = _lines(json_lines, "smartcity.access")
    [sessions] = _lines(json_lines, "smartcity.sessions")
    assert access["level"] == "info"
    assert datetime.fromisoformat(access["timestamp"]).tzinfo is not None
    assert access["message"] == "POST /graphql 200"
    assert {k: access[k] for k in ("request_id", "method", "route", "operation", "status")} == {
        "request_id": REQUEST_ID,
        "method": "POST",
        "route": "/graphql",
        "operation": "ChiangMai",
        "status": 200,
    }
    assert access["cost"] == response.json()["extensions"]["cost"]["requestedQueryCost"]
    assert access["duration_ms"] > 0
    # The reads the session middleware counted for this request, as its own line says.
    assert access["statements"] == sessions["statements"] >= 1
    assert access["rows_read"] == sessions["rows_read"] >= 1
    # Who asked, as a pseudonym of the key's ID (`key:` and its prefix, the part after `sck_`
    # that `smartcity keys list` shows): neither the key nor its prefix is written.
    prefix = key.removeprefix("sck_")[:8]
    assert access["client"] == pseudonym(b"a log key", f"key:{prefix}")
    assert prefix not in json_lines.getvalue()
    # Lines logged while serving a request carry its ID too.
    assert sessions["request_id"] == REQUEST_ID


async def test_the_access_line_names_refusals_and_hashes_addresses(
    seeded_engine: AsyncEngine, json_lines: io.StringIO
) -> None:
    async with app_client(seeded_engine, max_body_bytes=1_000) as http:
        response = await http.post("/graphql", content=b"{" * 2_000)
    assert response.status_code == 413
    [access] = _lines(json_lines, "smartcity.access")
    assert access["status"] == 413
    assert access["error_codes"] == ["PAYLOAD_TOO_LARGE"]
    assert access["operation"] is None
    # Refused before the client was known: no pseudonym, and never the address.
    assert access["client"] is None
    assert "testclient" not in json_lines.getvalue()


async def test_anonymous_clients_are_known_by_a_keyed_pseudonym_of_their_address(
    seeded_engine: AsyncEngine, json_lines: io.StringIO
) -> None:
    async with app_client(seeded_engine, log_pseudonym_key="a log key") as http:
        await http.get("/health")
    async with app_client(seeded_engine) as http:  # no key set: one of its own
        await http.get("/health")
        await http.get("/health")
    configured, *drawn = (line["client"] for line in _lines(json_lines, "smartcity.access"))
    # httpx's in-process transport reports the client as 127.0.0.1.
    assert configured == pseudonym(b"a log key", "address:127.0.0.1")
    assert "127.0.0.1" not in json_lines.getvalue()
    # Unkeyed, a pseudonym is stable within the process, and no plain hash of the address.
    assert drawn[0] == drawn[1] != configured
    assert drawn[0] != hashlib.sha256(b"address:127.0.0.1").hexdigest()[:16]


def test_text_format_is_one_readable_line() -> None:
    record = logging.LogRecord(
        "smartcity.x", logging.WARNING, __file__, 1, "disk %s", ("full",), None
    )
    record.request_id = REQUEST_ID
    line = logs.formatter("text").format(record)
    assert "\n" not in line
    assert "disk full" in line
    assert REQUEST_ID in line


def test_served_logs_are_json_lines(seeded_database_url: URL, tmp_path: Path) -> None:
    """`smartcity serve` as run: uvicorn's own lines and the access lines are JSON objects,
    and uvicorn's plain access line is gone."""
    with live_server(seeded_database_url, tmp_path) as base:
        httpx.post(f"{base}/graphql", json={"query": NAMED}, headers={"X-Request-ID": REQUEST_ID})
    log = (tmp_path / "serve.log").read_text()
    # Lines before the app configured logging are the CLI's own (migrations, seeding).
    served = log[log.index('{"') :].splitlines()
    lines = [json.loads(line) for line in served]
    accesses = [line for line in lines if line.get("request_id") == REQUEST_ID]
    assert [line["logger"] for line in accesses] == ["smartcity.access"]
    assert accesses[0]["operation"] == "ChiangMai"
    assert any(line["logger"] == "uvicorn.error" for line in lines)
    assert "HTTP/1.1" not in log
    assert "color_message" not in log  # uvicorn's copy with terminal colour codes


# A process has one tracer provider, set once: every test that traces shares this exporter.
_SPANS = InMemorySpanExporter()


@pytest.fixture
def spans() -> Iterator[InMemorySpanExporter]:
    """This process's tracer provider, keeping spans in memory: set before the app is built,
    the app takes it in place of one made from the environment."""
    if not isinstance(trace.get_tracer_provider(), TracerProvider):
        provider = TracerProvider()
        provider.add_span_processor(SimpleSpanProcessor(_SPANS))
        trace.set_tracer_provider(provider)
    _SPANS.clear()
    yield _SPANS
    SQLAlchemyInstrumentor().uninstrument()


async def test_requests_and_statements_are_traced_when_asked(
    seeded_engine: AsyncEngine, spans: InMemorySpanExporter, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OTEL_TRACES_EXPORTER", "console")
    async with app_client(seeded_engine) as http:
        response = await http.post("/graphql", json={"query": NAMED})
    assert response.status_code == 200
    finished = spans.get_finished_spans()
    [request] = [span for span in finished if span.name == "POST /graphql"]
    assert request.attributes is not None
    assert request.attributes["graphql.operation.name"] == "ChiangMai"
    assert request.attributes["http.route"] == "/graphql"
    statements = [
        span
        for span in finished
        if span.attributes is not None and "db.statement" in span.attributes
    ]
    assert statements
    assert {span.context.trace_id for span in statements} == {request.context.trace_id}


def test_nothing_of_tracing_is_loaded_without_its_variables(seeded_database_url: URL) -> None:
    """A process of its own, as the served app starts: with no OTEL_* variable no tracing
    module is imported (redis-py imports OpenTelemetry's metrics API on its own whenever it
    is installed) and no middleware is added."""
    url = seeded_database_url.render_as_string(hide_password=False)
    program = (
        "import sys\n"
        "from api.app import create_app\n"
        "from api.settings import Settings\n"
        f"app = create_app(Settings(database_url={url!r}))\n"
        "print(sorted(m for m in sys.modules if m.startswith(\n"
        "    ('opentelemetry.instrumentation', 'opentelemetry.sdk.trace'))))\n"
        "print(sorted(m.cls.__name__ for m in app.user_middleware))\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("OTEL_")}
    result = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, env=env, check=True
    )
    modules, middleware = result.stdout.splitlines()
    assert modules == "[]"
    assert "ObservationMiddleware" in middleware
    assert "OpenTelemetryMiddleware" not in middleware


@pytest.mark.parametrize(
    ("environ", "asked"),
    [
        ({}, False),
        ({"OTEL_SERVICE_NAME": "api"}, False),
        ({"OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:4318"}, True),
        ({"OTEL_TRACES_EXPORTER": "console"}, True),
        ({"OTEL_TRACES_EXPORTER": "none", "OTEL_EXPORTER_OTLP_ENDPOINT": "http://h:4318"}, False),
        ({"OTEL_TRACES_EXPORTER": "console", "OTEL_SDK_DISABLED": "true"}, False),
    ],
)
def test_traces_are_asked_for_by_the_standard_variables(
    environ: dict[str, str], asked: bool
) -> None:
    assert tracing.requested(environ) is asked


def test_served_app_exports_traces_as_the_environment_says(
    seeded_database_url: URL, tmp_path: Path
) -> None:
    settings = {"OTEL_TRACES_EXPORTER": "console", "OTEL_SERVICE_NAME": "smartcity-test"}
    with live_server(seeded_database_url, tmp_path, settings) as base:
        httpx.post(f"{base}/graphql", json={"query": NAMED})
    # The console exporter writes each span as an indented JSON object, at the latest when
    # the process ends.
    log = (tmp_path / "serve.log").read_text()
    assert '"name": "POST /graphql"' in log
    assert '"graphql.operation.name": "ChiangMai"' in log
    assert '"service.name": "smartcity-test"' in log
    assert '"db.statement": "SELECT' in log
