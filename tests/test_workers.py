"""Several server processes on one PostgreSQL and one Redis, as production runs them: they
share the clients' budgets, the persisted queries and the cached answers."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
from contextlib import ExitStack
from pathlib import Path

import httpx
import pytest
import redis

from tests.databases import POSTGRES_URL_VARIABLE, empty_database_url
from tests.server import live_server

QUERY = "{ cities(first: 3) { totalCount nodes { slug } } }"


@pytest.fixture
def services(tmp_path: Path) -> dict[str, str]:
    """The settings of processes that share a new PostgreSQL database and the test Redis."""
    redis_url = os.environ.get("SMARTCITY_TEST_REDIS_URL")
    if not redis_url or not os.environ.get(POSTGRES_URL_VARIABLE):
        pytest.fail("make test starts the PostgreSQL and Redis these tests need")
    database = empty_database_url("postgresql", tmp_path, "workers")
    redis.Redis.from_url(redis_url).flushdb()  # no budget spent, no answer cached before
    return {
        "DATABASE_URL": database.render_as_string(hide_password=False),
        "REDIS_URL": redis_url,
        "ANONYMOUS_BUDGET": "3",
    }


def _post(base: str, body: dict[str, object]) -> httpx.Response:
    return httpx.post(f"{base}/graphql", json=body)


def test_two_processes_share_limits_persisted_queries_and_answers(
    services: dict[str, str], tmp_path: Path
) -> None:
    shared = redis.Redis.from_url(services["REDIS_URL"])
    with ExitStack() as stack:
        # The first one creates, migrates and seeds the database; the second finds it ready.
        bases = []
        for name in ("first", "second"):
            directory = tmp_path / name
            directory.mkdir()
            bases.append(stack.enter_context(live_server(None, directory, services)))
        first, second = bases

        # An answer the first process cached is the second one's answer too: planted in the
        # shared cache, it is what the second process serves.
        assert _post(first, {"query": QUERY}).json()["data"]["cities"]["totalCount"] > 0
        [key] = shared.keys("smartcity:result:*")
        planted = {"cities": {"totalCount": -1, "nodes": []}}
        shared.set(key, json.dumps(planted))
        assert _post(second, {"query": QUERY}).json()["data"] == planted

        # A query persisted through one process is known to the other by its hash alone.
        query = "{ dimensions { code } }"
        digest = hashlib.sha256(query.encode()).hexdigest()
        persisted = {"persistedQuery": {"version": 1, "sha256Hash": digest}}
        registered = _post(first, {"query": query, "extensions": persisted})
        assert len(registered.json()["data"]["dimensions"]) == 7
        by_hash = httpx.get(f"{second}/graphql", params={"extensions": json.dumps(persisted)})
        assert by_hash.status_code == 429  # the budget is spent: four requests across two
        assert by_hash.json()["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
        shared.flushdb()  # a new window: the budget is whole again
        by_hash = httpx.get(f"{second}/graphql", params={"extensions": json.dumps(persisted)})
        assert len(by_hash.json()["data"]["dimensions"]) == 7

        # One budget across both: three points for the client, wherever it asks.
        statuses = [
            _post(base, {"query": "{ __typename }"}).status_code
            for base in (second, first, second, first)
        ]
        assert statuses == [200, 200, 429, 429]


def test_serve_runs_several_worker_processes(services: dict[str, str], tmp_path: Path) -> None:
    settings = services | {"METRICS": "open", "ANONYMOUS_BUDGET": "1000"}
    with live_server(None, tmp_path, settings, arguments=["--workers", "2"]) as base:
        answers = {
            _post(base, {"query": "query Probe { __typename }"}).status_code for _ in range(6)
        }
        assert answers == {200}
        # Whichever worker is scraped reports every worker's requests.
        scraped = httpx.get(f"{base}/metrics").text
        probes = [
            float(line.rsplit(" ", 1)[1])
            for line in scraped.splitlines()
            if line.startswith("smartcity_requests_total{") and 'operation="Probe"' in line
        ]
        assert sum(probes) == 6
        # `serve --port` reached the workers' settings: the catalog names the address served.
        assert httpx.get(f"{base}/catalog.jsonld").json()["@id"].startswith(f"{base}/")
        [master] = [
            line.split()[0]
            for line in subprocess.run(
                ["ps", "-eo", "pid,args"], capture_output=True, text=True, check=True
            ).stdout.splitlines()
            if f"--port {base.rsplit(':', 1)[1]}" in line and "serve" in line
        ]
        children = subprocess.run(
            ["pgrep", "-P", master], capture_output=True, text=True, check=False
        ).stdout.split()
        assert len(children) >= 2  # the workers (and uvicorn's own helper, if any)
