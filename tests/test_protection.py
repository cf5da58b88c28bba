"""Protecting the public endpoint: limits, cost, budgets, keys, timeouts, CORS, request IDs."""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import subprocess
import sys
import uuid

import httpx
import pytest
from asgi_lifespan import LifespanManager
from graphql import get_introspection_query
from sqlalchemy import text
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.pool import QueuePool
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from api.app import create_app
from api.ratelimit import MemoryCounters
from api.settings import Settings
from db import keys
from db.access import Db, RequestFinishedError
from db.engine import create_engine, session_factory
from db.tables import ApiKey, Province
from schema.limits import MAX_ALIASES, MAX_DEPTH, MAX_FIELDS, MAX_NODES, MAX_OPERATIONS
from tests.graphql import GraphQLClient, app_client

CHEAP = "{ dimensions { code } }"
# 19 levels: province, then six times cities > nodes > province.
DEEP_GRAPH = (
    '{ province(code: "TH-10") { '
    + "cities { nodes { province { " * 6
    + "code"
    + " } } }" * 6
    + " } }"
)
# Introspection is limited too: 17 levels of type references.
DEEP_INTROSPECTION = (
    "{ __schema { types { fields { type { " + "ofType { " * 12 + "name" + " }" * 12 + " } } } } }"
)


def _code(response: httpx.Response) -> str:
    code: str = response.json()["errors"][0]["extensions"]["code"]
    return code


@pytest.mark.parametrize(
    ("query", "code"),
    [
        (DEEP_GRAPH, "QUERY_TOO_DEEP"),
        (
            "{ " + " ".join(f"a{n}: dimensions {{ code }}" for n in range(MAX_ALIASES + 1)) + " }",
            "TOO_MANY_ALIASES",
        ),
        (
            "{ cities(first: 100) { nodes { projects(first: 100) { nodes { "
            "milestones(first: 100) { nodes { key } } } } } } }",
            "TOO_MANY_NODES",
        ),
        ("{ " + "dimensions { code } " * 2_000 + "}", "TOO_MANY_TOKENS"),
        (DEEP_INTROSPECTION, "QUERY_TOO_DEEP"),
    ],
)
async def test_limits_are_checked_before_execution(
    seeded_client: GraphQLClient, query: str, code: str
) -> None:
    response = await seeded_client.http.post(
        "/graphql", json={"query": query}, headers={"Accept": "application/graphql-response+json"}
    )
    assert response.status_code == 400
    assert _code(response) == code
    assert "data" not in response.json()


def _diamond(levels: int) -> str:
    """Fragments that each spread the next one twice: the document grows by one line a
    level, what it expands to doubles."""
    lines = [f"fragment F{n} on Query {{ ...F{n + 1} ...F{n + 1} }}" for n in range(levels)]
    return "{ ...F0 } " + " ".join([*lines, f"fragment F{levels} on Query {{ __typename }}"])


async def test_a_diamond_of_fragments_is_refused_without_expanding_it(
    seeded_client: GraphQLClient,
) -> None:
    # Expanded one selection at a time, 2^30 of them would outlast any test run: the
    # analysis summarises each fragment once and multiplies.
    response = await seeded_client.http.post(
        "/graphql",
        json={"query": _diamond(30)},
        headers={"Accept": "application/graphql-response+json"},
    )
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["extensions"]["code"] == "TOO_MANY_FIELDS"
    assert error["extensions"]["fields"] == 2**30
    assert error["extensions"]["maximum"] == MAX_FIELDS


async def test_a_fragment_counts_at_every_spread(seeded_client: GraphQLClient) -> None:
    query = (
        "{ a: cities(first: 2) { ...Names } b: cities(first: 3) { ...Names } } "
        "fragment Names on CityConnection { nodes { projects(first: 4) { nodes { slug } } } }"
    )
    response = await seeded_client.http.post("/graphql", json={"query": query})
    assert response.json()["extensions"]["cost"]["requestedNodes"] == (2 + 2 * 4) + (3 + 3 * 4)


@pytest.mark.parametrize(
    ("variables", "code"),
    [
        ({"first": -1_000_000}, "INVALID_PAGINATION"),
        ({"first": 0}, "INVALID_PAGINATION"),
        ({"first": 101}, "INVALID_PAGINATION"),
        ({"first": 2**63}, "BAD_USER_INPUT"),  # not a GraphQL Int at all
    ],
)
async def test_page_sizes_are_checked_before_anything_runs(
    seeded_client: GraphQLClient, variables: dict[str, int], code: str
) -> None:
    # A negative size once subtracted from the node count, letting the expensive part through.
    query = """query ($first: Int) {
      projects(first: $first) { totalCount }
      cities(first: 100) { nodes { projects(first: 100) { nodes { slug } } } }
    }"""
    response = await seeded_client.http.post(
        "/graphql",
        json={"query": query, "variables": variables},
        headers={"Accept": "application/graphql-response+json"},
    )
    assert response.status_code == 400
    assert "data" not in response.json()
    assert _code(response) == code


async def test_page_sizes_are_read_from_coerced_variables(seeded_client: GraphQLClient) -> None:
    # A variable's default value counts as execution will use it.
    response = await seeded_client.http.post(
        "/graphql",
        json={"query": "query ($n: Int = 80) { cities(first: $n) { nodes { slug } } }"},
    )
    assert response.json()["extensions"]["cost"]["requestedNodes"] == 80
    over = await seeded_client.http.post(
        "/graphql",
        json={"query": "query ($n: Int = 101) { cities(first: $n) { nodes { slug } } }"},
    )
    assert _code(over) == "INVALID_PAGINATION"


async def test_the_limits_leave_room_for_real_use(seeded_client: GraphQLClient) -> None:
    # GraphiQL's own introspection query, and three nested lists at the default page size.
    await seeded_client.data(get_introspection_query(descriptions=True))
    data = await seeded_client.data(
        "{ provinces { nodes { cities { nodes { projects { nodes { slug } } } } } } }"
    )
    assert data["provinces"]["nodes"]
    assert MAX_DEPTH >= 13
    assert MAX_NODES >= 50 + 50 * 50 + 50 * 50 * 50


@pytest.mark.parametrize(
    ("query", "page"),
    [
        ('{ search(query: "city") { hits { node { __typename } } } }', 20),
        ("{ cityRanking { entries { rank } } }", 20),
        ("{ changes { nodes { operation } } }", 100),
        ("{ cities { nodes { slug } } }", 50),
    ],
)
async def test_a_list_without_first_is_costed_at_its_default_page(
    seeded_client: GraphQLClient, query: str, page: int
) -> None:
    response = await seeded_client.http.post("/graphql", json={"query": query})
    assert "errors" not in response.json()
    assert response.json()["extensions"]["cost"]["requestedNodes"] == page


async def test_batches_are_limited_in_size(seeded_client: GraphQLClient) -> None:
    ok = await seeded_client.http.post("/graphql", json=[{"query": CHEAP}] * 2)
    assert [item["data"]["dimensions"][0]["code"] for item in ok.json()] == ["ENVIRONMENT"] * 2
    too_many = await seeded_client.http.post(
        "/graphql", json=[{"query": CHEAP}] * (MAX_OPERATIONS + 1)
    )
    assert too_many.status_code == 400
    assert _code(too_many) == "TOO_MANY_OPERATIONS"


async def test_each_response_reports_its_cost(seeded_client: GraphQLClient) -> None:
    response = await seeded_client.http.post(
        "/graphql",
        json={"query": "{ cities(first: 30) { nodes { projects { nodes { slug } } } } }"},
    )
    cost = response.json()["extensions"]["cost"]
    assert cost["requestedNodes"] == 30 + 30 * 50
    assert cost["requestedQueryCost"] == 1  # 31 page fetches: one point per hundred
    assert cost["actualQueryCost"] >= 1
    throttle = cost["throttleStatus"]
    assert throttle["maximumAvailable"] == 1_000
    assert throttle["currentlyAvailable"] == int(response.headers["x-ratelimit-remaining"])
    assert response.headers["x-ratelimit-limit"] == "1000"
    assert int(response.headers["x-ratelimit-reset"]) == throttle["resetAt"]


async def test_a_client_over_budget_gets_429_with_retry_after(engine: AsyncEngine) -> None:
    async with app_client(engine, anonymous_budget=3) as http:
        for remaining in (2, 1, 0):
            ok = await http.post("/graphql", json={"query": CHEAP})
            assert ok.status_code == 200
            assert ok.headers["x-ratelimit-remaining"] == str(remaining)
        refused = await http.post("/graphql", json={"query": CHEAP})
        assert refused.status_code == 429
        assert int(refused.headers["retry-after"]) >= 1
        assert _code(refused) == "RATE_LIMITED"
        assert refused.json()["data"] is None


async def test_a_request_refused_before_it_runs_still_costs_a_point(engine: AsyncEngine) -> None:
    refused = ["{ dimensions {", "{ dimensions { nope } }", "{ cities(first: 0) { totalCount } }"]
    async with app_client(engine, anonymous_budget=len(refused)) as http:
        for remaining, query in reversed(list(enumerate(refused))):
            response = await http.post("/graphql", json={"query": query})
            assert response.json()["errors"]
            assert response.headers["x-ratelimit-remaining"] == str(remaining)
        assert (await http.post("/graphql", json={"query": CHEAP})).status_code == 429


async def test_api_keys_give_their_own_larger_budget(
    engine: AsyncEngine, session: AsyncSession
) -> None:
    key, _ = await keys.issue(session, "Startup A", budget=7)
    async with app_client(engine, anonymous_budget=1) as http:
        for header in ({"Authorization": f"Bearer {key}"}, {"X-API-Key": key}):
            response = await http.post("/graphql", json={"query": CHEAP}, headers=header)
            assert response.headers["x-ratelimit-limit"] == "7"
        anonymous = await http.post("/graphql", json={"query": CHEAP})
        assert anonymous.headers["x-ratelimit-limit"] == "1"
        unknown = await http.post(
            "/graphql", json={"query": CHEAP}, headers={"X-API-Key": "sck_nope"}
        )
        assert unknown.status_code == 401
        assert _code(unknown) == "INVALID_API_KEY"


def test_keys_are_issued_and_revoked_with_the_cli_and_stored_as_hashes(
    database_url: URL,
) -> None:
    env = {**os.environ, "DATABASE_URL": database_url.render_as_string(hide_password=False)}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "api.cli", "keys", *args],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )

    issued = run("issue", "Portal B", "--budget", "20000")
    assert issued.returncode == 0, issued.stderr
    key = issued.stdout.strip()
    assert key.startswith("sck_")
    prefix = key[4:12]
    assert f"{prefix}\tPortal B\treader\t20000\tlive" in run("list").stdout
    editor = run("issue", "Data desk", "--role", "editor")
    assert editor.returncode == 0, editor.stderr
    assert "issued editor key" in editor.stderr
    assert f"{editor.stdout.strip()[4:12]}\tData desk\teditor\t-\tlive" in run("list").stdout
    unknown = run("issue", "Nobody", "--role", "owner")
    assert unknown.returncode == 2
    assert "'owner' is no role; choose reader, editor, admin" in unknown.stderr

    async def stored() -> list[ApiKey]:
        engine = create_engine(database_url)
        async with AsyncSession(engine) as session:
            rows = list((await session.exec(select(ApiKey).order_by(col(ApiKey.id)))).all())
        await engine.dispose()
        return rows

    record, _editor = asyncio.run(stored())
    assert record.sha256 == hashlib.sha256(key.encode()).hexdigest()  # only the hash is kept
    assert key[4:] not in (record.prefix, record.name)
    assert run("revoke", prefix).returncode == 0
    assert f"{prefix}\tPortal B\treader\t20000\trevoked" in run("list").stdout
    assert run("revoke", prefix).returncode == 1


def test_key_secrets_are_letters_and_digits_so_a_prefix_is_never_read_as_an_option() -> None:
    # One base64url secret in 32 starts with "-" or "_"; a thousand draws find any such slip.
    secrets = {keys.new_secret() for _ in range(1000)}
    assert len(secrets) == 1000
    assert all(len(s) == keys.SECRET_LENGTH and s.isalnum() and s.isascii() for s in secrets)


async def test_a_revoked_key_is_refused(engine: AsyncEngine, session: AsyncSession) -> None:
    key, record = await keys.issue(session, "Old partner")
    await keys.revoke(session, record.prefix)
    async with app_client(engine) as http:
        response = await http.post("/graphql", json={"query": CHEAP}, headers={"X-API-Key": key})
        assert response.status_code == 401


@pytest.mark.parametrize("sweep_seconds", [0, 60])
async def test_in_memory_counters_restart_when_the_window_ends(sweep_seconds: int) -> None:
    # With a sweep on every call, or with the ended window still held until a later sweep.
    counters = MemoryCounters()
    counters.SWEEP_SECONDS = sweep_seconds
    assert [await counters.add("a", 2, ttl=1) for _ in range(3)] == [2, 4, 6]
    assert await counters.add("b", 5, ttl=30) == 5
    await asyncio.sleep(1.1)  # a's one-second window ends; b's does not
    assert await counters.add("a", 2, ttl=1) == 2
    assert await counters.add("b", 5, ttl=30) == 10


async def test_redis_counters_are_shared_by_every_process(engine: AsyncEngine) -> None:
    redis_url = os.environ.get("SMARTCITY_TEST_REDIS_URL")
    if not redis_url:
        pytest.fail("set SMARTCITY_TEST_REDIS_URL (make test starts a throwaway redis-server)")
    # Two apps stand for two server processes behind a load balancer; their lifespans
    # open and close their Redis connections.
    settings = Settings(redis_url=redis_url, anonymous_budget=3)
    address = f"client-{uuid.uuid4().hex}"  # a client of its own in the shared Redis
    statuses = []
    async with (
        LifespanManager(create_app(settings=settings, engine=engine)) as first,
        LifespanManager(create_app(settings=settings, engine=engine)) as second,
    ):
        for manager in (first, second, first, second):
            transport = httpx.ASGITransport(app=manager.app, client=(address, 50000))
            async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
                response = await http.post("/graphql", json={"query": CHEAP})
                statuses.append(response.status_code)
    assert statuses == [200, 200, 200, 429]


async def test_a_slow_request_is_stopped_cleanly(engine: AsyncEngine) -> None:
    async with app_client(engine, request_timeout_seconds=0.000001) as http:
        response = await http.post("/graphql", json={"query": CHEAP})
        assert response.status_code == 503
        error = response.json()["errors"][0]
        assert error["extensions"]["code"] == "TIMEOUT"
        assert error["extensions"]["requestId"] == response.headers["x-request-id"]
        assert "Traceback" not in response.text
    pool = engine.pool
    assert isinstance(pool, QueuePool)
    assert pool.checkedout() == 0  # nothing left behind
    async with app_client(engine) as http:
        assert (await http.post("/graphql", json={"query": CHEAP})).status_code == 200


async def test_a_finished_requests_session_opens_no_new_connection(
    seeded_engine: AsyncEngine,
) -> None:
    # A DataLoader batch that a request stopped by its time limit left scheduled runs after
    # the request's session was closed; it must be refused, not open a connection that
    # nobody returns to the pool.
    db = Db(session_factory(seeded_engine)())
    assert await db.all(select(Province.code).limit(1))
    await db.close()
    with pytest.raises(RequestFinishedError):
        await db.all(select(Province.code).limit(1))
    pool = seeded_engine.pool
    assert isinstance(pool, QueuePool)
    assert pool.checkedout() == 0


async def test_postgresql_cancels_long_statements(database_url: URL, backend: str) -> None:
    engine = create_engine(database_url, statement_timeout_ms=50)
    try:
        async with engine.connect() as connection:
            if backend == "postgresql":
                with pytest.raises(DBAPIError, match="statement timeout"):
                    await connection.execute(text("SELECT pg_sleep(2)"))
            else:  # SQLite has no statement timeout; the option must not break it
                assert (await connection.execute(text("SELECT 1"))).scalar() == 1
    finally:
        await engine.dispose()


async def test_introspection_and_suggestions_can_be_turned_off(engine: AsyncEngine) -> None:
    query = {"query": "{ __schema { queryType { name } } }"}
    typo = {"query": "{ citys { totalCount } }"}
    async with app_client(engine) as http:
        assert (await http.post("/graphql", json=query)).json()["data"]
        assert "Did you mean" in (await http.post("/graphql", json=typo)).text
    async with app_client(engine, introspection=False, field_suggestions=False) as http:
        closed = await http.post("/graphql", json=query)
        assert _code(closed) == "GRAPHQL_VALIDATION_FAILED"
        assert "Did you mean" not in (await http.post("/graphql", json=typo)).text


async def test_cors_lets_browser_apps_read(seeded_client: GraphQLClient) -> None:
    preflight = await seeded_client.http.options(
        "/graphql",
        headers={
            "Origin": "https://app.example",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type,authorization",
        },
    )
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == "*"
    response = await seeded_client.http.post(
        "/graphql", json={"query": CHEAP}, headers={"Origin": "https://app.example"}
    )
    assert response.headers["access-control-allow-origin"] == "*"
    exposed = response.headers["access-control-expose-headers"].lower()
    assert "x-ratelimit-remaining" in exposed
    assert "etag" in exposed


async def test_every_response_has_a_request_id(seeded_client: GraphQLClient) -> None:
    given = await seeded_client.http.get("/health", headers={"X-Request-ID": "abc-123-xyz"})
    assert given.headers["x-request-id"] == "abc-123-xyz"
    made = await seeded_client.http.get("/health", headers={"X-Request-ID": "<script>"})
    assert len(made.headers["x-request-id"]) == 32
    assert json.loads(made.text)["status"] == "ok"
