"""Repeated queries are answered from the result cache, keyed by the data version: an edit is
seen at once, and limits, cost and rate limits apply to a cached answer as to a fresh one."""

from __future__ import annotations

import logging
import os
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
from asgi_lifespan import LifespanManager
from redis.asyncio import Redis
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel.ext.asyncio.session import AsyncSession

from api.app import create_app
from api.settings import Settings
from tests import factories
from tests.test_degradation import RedisServer

CITIES = "{ provinces(first: 100) { nodes { code cities(first: 100) { nodes { slug } } } } }"
BY_CODE = "query One($code: String!) { province(code: $code) { code nameEn } }"
TWO_OPERATIONS = """
query Thai { provinces(first: 5) { nodes { nameTh } } }
query English { provinces(first: 5) { nodes { nameEn } } }
"""
# What a cached answer costs the database: reading the data version, nothing else.
DATA_VERSION_ONLY = ["select max(change.id) as max_1 from change"]


class Statements:
    """The SQL an engine runs, statement by statement, whitespace and case normalised.

    On PostgreSQL some reads go to asyncpg directly, past SQLAlchemy's events (see
    `db.access.Db.value`): asyncpg's own query log reports those (and not the prepared
    statements SQLAlchemy runs, which its events report)."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.run: list[str] = []
        event.listen(engine.sync_engine, "before_cursor_execute", self._record)
        if engine.dialect.name == "postgresql":
            event.listen(engine.sync_engine, "checkout", self._watch)

    def _watch(self, dbapi_connection: Any, *_: Any) -> None:
        dbapi_connection.driver_connection.add_query_logger(self._logged)

    def _logged(self, record: Any) -> None:
        self._note(record.query)

    def _record(self, _connection: Any, _cursor: Any, statement: str, *_: Any) -> None:
        self._note(statement)

    def _note(self, statement: str) -> None:
        self.run.append(" ".join(statement.lower().split()))


@pytest.fixture
def sql(engine: AsyncEngine) -> Statements:
    return Statements(engine)


@pytest.fixture
def seeded_sql(seeded_engine: AsyncEngine) -> Statements:
    return Statements(seeded_engine)


@asynccontextmanager
async def _http(engine: AsyncEngine, **settings: Any) -> AsyncIterator[httpx.AsyncClient]:
    """One app (one server process) on `engine`, with its lifespan, and a client of it."""
    app = create_app(settings=Settings(**settings), engine=engine)
    async with LifespanManager(app) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
            yield http


async def _post(
    http: httpx.AsyncClient,
    sql: Statements,
    query: str,
    variables: dict[str, Any] | None = None,
    operation_name: str | None = None,
) -> tuple[httpx.Response, list[str]]:
    """The response, and the SQL statements answering it ran."""
    sql.run.clear()
    payload = {"query": query, "variables": variables or {}, "operationName": operation_name}
    response = await http.post("/graphql", json=payload)
    return response, list(sql.run)


def _redis_url() -> str:
    url = os.environ.get("SMARTCITY_TEST_REDIS_URL")
    if not url:
        pytest.fail("set SMARTCITY_TEST_REDIS_URL (make test starts a throwaway redis-server)")
    return url


async def test_a_repeat_reads_only_the_data_version(
    seeded_engine: AsyncEngine, seeded_sql: Statements
) -> None:
    async with _http(seeded_engine) as http:
        first, fresh = await _post(http, seeded_sql, CITIES)
        again, cached = await _post(http, seeded_sql, CITIES)
    assert first.status_code == again.status_code == 200
    assert "errors" not in first.json()
    assert again.json()["data"] == first.json()["data"]
    assert fresh[0] == DATA_VERSION_ONLY[0]
    assert len(fresh) > 1  # and then the query itself
    assert cached == DATA_VERSION_ONLY


async def test_an_edit_between_two_identical_requests_is_seen(
    engine: AsyncEngine, session: AsyncSession, sql: Statements
) -> None:
    province = await factories.province(session, code="TH-50", name_en="Chiang Mai")
    variables = {"code": "TH-50"}
    async with _http(engine) as http:
        before, _ = await _post(http, sql, BY_CODE, variables)
        _, cached = await _post(http, sql, BY_CODE, variables)
        province.name_en = "Chiang Mai (edited)"
        session.add(province)
        await session.commit()
        after, fresh = await _post(http, sql, BY_CODE, variables)
    assert before.json()["data"]["province"]["nameEn"] == "Chiang Mai"
    assert cached == DATA_VERSION_ONLY
    assert after.json()["data"]["province"]["nameEn"] == "Chiang Mai (edited)"
    assert len(fresh) > 1


def _accounting(response: httpx.Response) -> tuple[dict[str, Any], dict[str, str]]:
    """What a request was charged and told, but the window's end (a clock reading)."""
    cost = response.json()["extensions"]["cost"]
    reset_at = cost["throttleStatus"].pop("resetAt")
    assert response.headers["x-ratelimit-reset"] == str(reset_at)
    headers = {
        name: response.headers[name]
        for name in ("x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-resource")
    }
    return cost, headers


async def test_a_cached_answer_is_charged_and_reported_as_a_fresh_one(
    seeded_engine: AsyncEngine, seeded_sql: Statements
) -> None:
    runs = {}
    for size in (0, 1_000):  # without the cache, then with it
        async with _http(seeded_engine, result_cache_size=size) as http:
            runs[size] = [await _post(http, seeded_sql, CITIES) for _ in range(3)]
    assert [ran for _, ran in runs[1_000][1:]] == [DATA_VERSION_ONLY] * 2
    uncached = [_accounting(response) for response, _ in runs[0]]
    cached = [_accounting(response) for response, _ in runs[1_000]]
    assert cached == uncached
    # One page fetch for the provinces and one per province for its cities: 2 points a time.
    remaining = [cost["throttleStatus"]["currentlyAvailable"] for cost, _ in cached]
    assert remaining == [998, 996, 994]
    assert [headers["x-ratelimit-remaining"] for _, headers in cached] == ["998", "996", "994"]
    first_cost = cached[0][0]
    assert first_cost["requestedQueryCost"] == 2
    assert first_cost["requestedNodes"] == 100 + 100 * 100
    assert first_cost["actualQueryCost"] >= 1


async def test_an_over_budget_request_is_refused_though_its_answer_is_cached(
    seeded_engine: AsyncEngine, seeded_sql: Statements
) -> None:
    async with _http(seeded_engine, anonymous_budget=2) as http:
        answers = [await _post(http, seeded_sql, CITIES) for _ in range(2)]
    assert [response.status_code for response, _ in answers] == [200, 429]
    refused = answers[1][0]
    assert refused.json()["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
    assert refused.json().get("data") is None
    assert refused.headers["retry-after"]
    assert refused.headers["x-ratelimit-remaining"] == "0"


async def test_an_over_limit_document_is_refused_every_time(
    seeded_engine: AsyncEngine, seeded_sql: Statements
) -> None:
    # provinces → nodes → (cities → nodes → province) five times → code: 18 levels.
    too_deep = "{ provinces { nodes { " + "cities { nodes { province { " * 5 + "code"
    too_deep += " }" * (too_deep.count("{") - too_deep.count("}"))
    async with _http(seeded_engine) as http:
        answers = [await _post(http, seeded_sql, too_deep) for _ in range(2)]
    for response, ran in answers:
        assert response.json()["errors"][0]["extensions"]["code"] == "QUERY_TOO_DEEP"
        assert ran == []


async def test_different_variables_or_operations_never_share_an_entry(
    seeded_engine: AsyncEngine, seeded_sql: Statements
) -> None:
    async with _http(seeded_engine) as http:
        answers = {
            key: [(await _post(http, seeded_sql, query, variables, name))[0] for _ in range(2)]
            for key, query, variables, name in [
                ("TH-10", BY_CODE, {"code": "TH-10"}, None),
                ("TH-50", BY_CODE, {"code": "TH-50"}, None),
                ("Thai", TWO_OPERATIONS, None, "Thai"),
                ("English", TWO_OPERATIONS, None, "English"),
            ]
        }
    data = {key: [response.json()["data"] for response in pair] for key, pair in answers.items()}
    assert data["TH-10"] == [{"province": {"code": "TH-10", "nameEn": "Bangkok"}}] * 2
    assert data["TH-50"] == [{"province": {"code": "TH-50", "nameEn": "Chiang Mai"}}] * 2
    thai, english = data["Thai"][1]["provinces"], data["English"][1]["provinces"]
    assert set(thai["nodes"][0]) == {"nameTh"}
    assert set(english["nodes"][0]) == {"nameEn"}


async def test_answers_with_errors_are_not_cached(
    seeded_engine: AsyncEngine, seeded_sql: Statements
) -> None:
    partly = '{ dimensions { code } node(id: "nonsense") { id } }'
    async with _http(seeded_engine) as http:
        answers = [await _post(http, seeded_sql, partly) for _ in range(3)]
    for response, _ in answers:
        assert response.json()["data"]["dimensions"]
        assert response.json()["errors"][0]["path"] == ["node"]
    first, tried, again = (ran for _, ran in answers)
    # The first repeat tries the fast path, which hands an answer holding an error to the
    # full path (running it twice); from then on the document goes the full path at once.
    assert tried[-len(first) :] == first
    assert again == first  # run in full again
    assert len(again) > 1


async def test_result_cache_size_0_turns_it_off(
    seeded_engine: AsyncEngine, seeded_sql: Statements
) -> None:
    async with _http(seeded_engine, result_cache_size=0) as http:
        # The first is the resolvers' (see `schema.compiled.plan_for`), the others compiled.
        _, compiled, again = [
            ran for _, ran in [await _post(http, seeded_sql, CITIES) for _ in range(3)]
        ]
    assert compiled
    assert again == compiled  # run in full again
    assert DATA_VERSION_ONLY[0] not in compiled  # and no data version is read for a cache


async def test_two_processes_share_answers_through_redis(
    seeded_engine: AsyncEngine, seeded_sql: Statements
) -> None:
    redis_url = _redis_url()
    async with (
        _http(seeded_engine, redis_url=redis_url) as first,
        _http(seeded_engine, redis_url=redis_url) as second,
    ):
        fresh, ran = await _post(first, seeded_sql, CITIES)
        shared, cached = await _post(second, seeded_sql, CITIES)
    assert len(ran) > 1
    assert cached == DATA_VERSION_ONLY  # the second process found the first one's answer
    assert shared.json()["data"] == fresh.json()["data"]


@pytest.fixture
def redis_server() -> Iterator[RedisServer]:
    """A Redis of this test's own, to stop (the suite's shared one is never touched)."""
    server = RedisServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()


async def test_a_redis_outage_still_answers_correctly(
    seeded_engine: AsyncEngine,
    seeded_sql: Statements,
    redis_server: RedisServer,
    caplog: pytest.LogCaptureFixture,
) -> None:
    settings = {"redis_url": redis_server.url}
    async with (
        _http(seeded_engine, **settings) as first,
        _http(seeded_engine, **settings) as second,
    ):
        expected, _ = await _post(first, seeded_sql, CITIES)
        async with Redis.from_url(redis_server.url) as redis:
            assert len(await redis.keys("smartcity:result:*")) == 1
        redis_server.stop()
        with caplog.at_level(logging.WARNING, logger="smartcity.results"):
            remembered, from_memory = await _post(first, seeded_sql, CITIES)
            fresh, ran = await _post(second, seeded_sql, CITIES)
            again, from_its_memory = await _post(second, seeded_sql, CITIES)
    for response in (remembered, fresh, again):
        assert response.status_code == 200
        assert response.json()["data"] == expected.json()["data"]
        assert "errors" not in response.json()
    assert from_memory == from_its_memory == DATA_VERSION_ONLY
    assert len(ran) > 1  # Redis gone: the second process answers from the database
    outage = [record for record in caplog.records if record.name == "smartcity.results"]
    assert len(outage) == 1  # logged once, though both requests of `second` missed Redis
    assert "unreachable" in outage[0].getMessage()
