"""`/metrics`: who may read it, and that its counters follow what the API served.

The metrics are the process's own (prometheus-client's default registry), shared by every
app a test builds: each test compares a scrape after its requests with one before.
"""

from __future__ import annotations

import socket
from pathlib import Path

import httpx
from asgi_lifespan import LifespanManager
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy.engine import URL
from sqlalchemy.ext.asyncio import AsyncEngine

from api.app import create_app
from api.observation import MAX_OPERATION_NAMES
from api.settings import Settings
from db.enums import KeyRole
from tests.graphql import app_client
from tests.server import live_server

NAMED = 'query ChiangMai { province(code: "TH-50") { nameEn } }'
TOO_MANY_NODES = (
    "{ cities(first: 100) { nodes { projects(first: 100) { nodes { "
    "milestones(first: 100) { nodes { key } } } } } } }"
)


def metric(text: str, name: str, **labels: str) -> float:
    """The value of the sample `name` with `labels` in a scrape; 0 if it has none yet."""
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == name and all(sample.labels.get(k) == v for k, v in labels.items()):
                return sample.value
    return 0.0


async def scrape(http: httpx.AsyncClient, admin_key: str) -> str:
    response = await http.get("/metrics", headers={"Authorization": f"Bearer {admin_key}"})
    assert response.status_code == 200, response.text
    return response.text


async def test_metrics_need_an_admin_key(
    seeded_http: httpx.AsyncClient, role_keys: dict[KeyRole, str]
) -> None:
    anonymous = await seeded_http.get("/metrics")
    assert anonymous.status_code == 403
    assert anonymous.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    for role in (KeyRole.READER, KeyRole.EDITOR):
        refused = await seeded_http.get(
            "/metrics", headers={"Authorization": f"Bearer {role_keys[role]}"}
        )
        assert refused.status_code == 403
        assert refused.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    allowed = await seeded_http.get(
        "/metrics", headers={"Authorization": f"Bearer {role_keys[KeyRole.ADMIN]}"}
    )
    assert allowed.status_code == 200
    assert allowed.headers["content-type"].startswith("text/plain")
    names = {family.name for family in text_string_to_metric_families(allowed.text)}
    assert {"smartcity_requests", "smartcity_request_duration_seconds"} <= names


async def test_open_metrics_need_no_key(seeded_engine: AsyncEngine) -> None:
    async with app_client(seeded_engine, metrics="open") as http:
        response = await http.get("/metrics")
    assert response.status_code == 200
    assert "smartcity_requests_total" in response.text


async def test_requests_are_counted_by_operation_and_status(
    seeded_http: httpx.AsyncClient, role_keys: dict[KeyRole, str]
) -> None:
    admin = role_keys[KeyRole.ADMIN]
    before = await scrape(seeded_http, admin)
    costs = []
    for _ in range(2):
        response = await seeded_http.post("/graphql", json={"query": NAMED})
        assert response.json()["data"] == {"province": {"nameEn": "Chiang Mai"}}
        costs.append(response.json()["extensions"]["cost"]["requestedQueryCost"])
    anonymous = await seeded_http.post("/graphql", json={"query": "{ dimensions { code } }"})
    assert anonymous.status_code == 200
    assert (await seeded_http.get("/downloads/no-such-file.csv")).status_code == 404
    assert (await seeded_http.get("/no/such/page?q=1")).status_code == 404
    after = await scrape(seeded_http, admin)

    def moved(name: str, **labels: str) -> float:
        return metric(after, name, **labels) - metric(before, name, **labels)

    named = {"operation": "ChiangMai", "status": "200"}
    assert moved("smartcity_requests_total", **named) == 2
    assert moved("smartcity_request_duration_seconds_count", **named) == 2
    # An operation without a name, and paths other than /graphql, count under their route:
    # its template, never the path asked for.
    assert moved("smartcity_requests_total", operation="/graphql", status="200") == 1
    assert moved("smartcity_requests_total", operation="/downloads/{name}", status="404") == 1
    assert moved("smartcity_requests_total", operation="unmatched", status="404") == 1
    assert "no-such-file" not in after
    assert "/no/such/page" not in after
    assert moved("smartcity_query_cost_points_count") == 3
    assert moved("smartcity_query_cost_points_sum") == sum(costs) + 1  # the dimensions cost 1
    # The first asking is answered by the resolvers and kept; the second comes from the cache.
    assert moved("smartcity_result_cache_lookups_total", outcome="miss") == 2
    assert moved("smartcity_result_cache_lookups_total", outcome="hit") == 1


async def test_operation_names_are_bounded(
    seeded_engine: AsyncEngine, role_keys: dict[KeyRole, str]
) -> None:
    """Clients choose operation names: past a fixed number per process (or a long name),
    requests count under their route, so that no client can grow the metrics at will."""
    names = [f"Invented{n}" for n in range(MAX_OPERATION_NAMES + 1)] + ["Long" * 30]
    async with app_client(seeded_engine, anonymous_budget=10**9) as http:
        before = await scrape(http, role_keys[KeyRole.ADMIN])
        for name in names:
            response = await http.post("/graphql", json={"query": f"query {name} {{ __typename }}"})
            assert response.status_code == 200
        after = await scrape(http, role_keys[KeyRole.ADMIN])
    labelled = {
        sample.labels["operation"]
        for family in text_string_to_metric_families(after)
        if family.name == "smartcity_requests"
        for sample in family.samples
    }
    assert set(names[:MAX_OPERATION_NAMES]) <= labelled
    assert not set(names[MAX_OPERATION_NAMES:]) & labelled
    graphql = {"operation": "/graphql", "status": "200"}
    assert (
        metric(after, "smartcity_requests_total", **graphql)
        - metric(before, "smartcity_requests_total", **graphql)
        == 2
    )


async def test_refusals_are_counted_by_code(
    seeded_engine: AsyncEngine, role_keys: dict[KeyRole, str]
) -> None:
    admin = role_keys[KeyRole.ADMIN]
    async with app_client(seeded_engine, max_body_bytes=2_000, anonymous_budget=3) as http:
        before = await scrape(http, admin)
        too_many = await http.post("/graphql", json={"query": TOO_MANY_NODES})
        assert too_many.json()["errors"][0]["extensions"]["code"] == "TOO_MANY_NODES"
        too_large = await http.post("/graphql", json={"query": "{ dimensions { code } }" * 200})
        assert too_large.status_code == 413
        forbidden = await http.get("/metrics")
        assert forbidden.status_code == 403
        statuses = [
            (await http.post("/graphql", json={"query": "{ dimensions { code } }"})).status_code
            for _ in range(3)
        ]
        assert statuses[-1] == 429
        after = await scrape(http, admin)

    def refused(code: str) -> float:
        name = "smartcity_error_codes_total"
        return metric(after, name, code=code) - metric(before, name, code=code)

    assert refused("TOO_MANY_NODES") == 1
    assert refused("PAYLOAD_TOO_LARGE") == 1
    assert refused("FORBIDDEN") == 1
    assert refused("RATE_LIMITED") == statuses.count(429)


async def test_pool_gauges_follow_the_connections(
    seeded_engine: AsyncEngine, role_keys: dict[KeyRole, str]
) -> None:
    admin = role_keys[KeyRole.ADMIN]
    async with app_client(seeded_engine) as http:
        idle = await scrape(http, admin)
        async with seeded_engine.connect():
            busy = await scrape(http, admin)
        again = await scrape(http, admin)
    checked_out = "smartcity_db_connections_checked_out"
    assert metric(busy, checked_out) == metric(idle, checked_out) + 1
    assert metric(again, checked_out) == metric(idle, checked_out)
    size = seeded_engine.sync_engine.pool.size()  # type: ignore[attr-defined]  # a QueuePool
    assert metric(idle, "smartcity_db_pool_size") == size


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


async def test_metrics_port_serves_them_apart(seeded_engine: AsyncEngine) -> None:
    port = _free_port()
    app = create_app(settings=Settings(metrics_port=port), engine=seeded_engine)
    async with (
        LifespanManager(app) as manager,
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=manager.app), base_url="http://testserver"
        ) as http,
    ):
        assert (await http.post("/graphql", json={"query": NAMED})).status_code == 200
        # Not on the API, even with `METRICS=admin` and no key asked: only on the port.
        assert (await http.get("/metrics")).status_code == 404
        async with httpx.AsyncClient() as scraper:
            response = await scraper.get(f"http://127.0.0.1:{port}/metrics")
    assert response.status_code == 200
    assert metric(response.text, "smartcity_requests_total", operation="ChiangMai") >= 1


def test_several_processes_are_summed(seeded_database_url: URL, tmp_path: Path) -> None:
    """Two server processes writing to one PROMETHEUS_MULTIPROC_DIR, as `serve --workers 2`
    runs them: a scrape of either counts the requests of both, and a stopped process's
    pool leaves the sum."""
    shared = tmp_path / "metrics"
    shared.mkdir()
    env = {"PROMETHEUS_MULTIPROC_DIR": str(shared), "METRICS": "open"}
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    with live_server(seeded_database_url, tmp_path / "a", env) as first:
        with live_server(seeded_database_url, tmp_path / "b", env) as second:
            for base, times in ((first, 2), (second, 3)):
                for _ in range(times):
                    assert httpx.post(f"{base}/graphql", json={"query": NAMED}).status_code == 200
            both = httpx.get(f"{first}/metrics").text
        alone = httpx.get(f"{first}/metrics").text
    assert metric(both, "smartcity_requests_total", operation="ChiangMai", status="200") == 5
    pool = Settings().database_pool_size
    assert metric(both, "smartcity_db_pool_size") == 2 * pool
    assert metric(alone, "smartcity_db_pool_size") == pool
