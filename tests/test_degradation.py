"""Infrastructure faults degrade honestly: the database down is a 503 with a code on every
endpoint that needs it, a database restart costs no request, and Redis down only loosens the
rate limits to per-process counting."""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import socket
import subprocess
import threading
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from asgi_lifespan import LifespanManager
from redis.asyncio import Redis
from sqlalchemy import text
from sqlalchemy.engine import URL
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.pool import QueuePool

from api.app import create_app
from api.settings import Settings
from db.engine import create_engine, is_unavailable
from tests.databases import backends
from tests.graphql import app_client

CHEAP = "{ dimensions { code } }"
RETRY_AFTER = 7  # not the default, so the header is seen to come from the setting


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture
async def unreachable_engine(backend: str, tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    """An engine on a database that cannot be reached: a PostgreSQL port where nothing
    listens, or an SQLite file in a folder that does not exist."""
    if backend == "postgresql":
        url = f"postgresql://smartcity@127.0.0.1:{_free_port()}/smartcity"
    else:
        url = f"sqlite:///{tmp_path}/missing-folder/smartcity.sqlite"
    before = set(threading.enumerate())
    engine = create_engine(url)
    yield engine
    await engine.dispose()
    # aiosqlite hands a failed connect's clean-up to its worker thread, which reports back
    # to this event loop: let it finish before the loop closes.
    for thread in set(threading.enumerate()) - before:
        await asyncio.to_thread(thread.join, 10)


def _leaks(body: str, engine: AsyncEngine) -> list[str]:
    """What a client must never read: where the database is, or what talks to it."""
    url = engine.url
    words = ["sqlalchemy", "asyncpg", "aiosqlite", "sqlite3", "refused", "errno", "traceback"]
    words += [str(url.database)] + ([f"{url.host}:{url.port}"] if url.port else [])
    return [word for word in words if word.lower() in body.lower()]


APQ_HASH = hashlib.sha256(CHEAP.encode()).hexdigest()
APQ = json.dumps({"persistedQuery": {"version": 1, "sha256Hash": APQ_HASH}})
BROWSER = {"Accept": "text/html"}  # skips the HTTP cache, which reads the database first

NEEDS_THE_DATABASE: dict[str, tuple[str, str, dict[str, Any]]] = {
    "POST": ("POST", "/graphql", {"json": {"query": CHEAP}}),
    "batch": ("POST", "/graphql", {"json": [{"query": CHEAP}, {"query": CHEAP}]}),
    "GET": ("GET", "/graphql", {"params": {"query": CHEAP}}),
    "graphql-response+json": (
        "POST",
        "/graphql",
        {"json": {"query": CHEAP}, "headers": {"Accept": "application/graphql-response+json"}},
    ),
    "keyed": ("POST", "/graphql", {"json": {"query": CHEAP}, "headers": {"X-API-Key": "k"}}),
    "persisted lookup": ("GET", "/graphql", {"params": {"extensions": APQ}}),
    "persisted registration": (
        "POST",
        "/graphql",
        {"json": {"query": CHEAP, "extensions": json.loads(APQ)}},
    ),
    "downloads": ("GET", "/downloads/", {}),
    "a file": ("GET", "/downloads/smartcity-cities.csv", {}),
    "a file, in a browser": ("GET", "/downloads/smartcity-cities.csv", {"headers": BROWSER}),
    "the archive, in a browser": (
        "GET",
        "/downloads/smartcity-thailand.zip",
        {"headers": BROWSER},
    ),
    "catalog": ("GET", "/catalog.jsonld", {}),
    "catalog, in a browser": ("GET", "/.well-known/dcat-catalog", {"headers": BROWSER}),
}


@pytest.mark.parametrize("name", NEEDS_THE_DATABASE)
async def test_with_the_database_down_every_endpoint_answers_503_with_a_code(
    name: str, unreachable_engine: AsyncEngine, caplog: pytest.LogCaptureFixture
) -> None:
    method, path, options = NEEDS_THE_DATABASE[name]
    async with app_client(unreachable_engine, unavailable_retry_after_seconds=RETRY_AFTER) as http:
        response = await http.request(method, path, **options)
    assert response.status_code == 503
    assert response.headers["retry-after"] == str(RETRY_AFTER)
    assert response.headers["cache-control"] == "no-store"
    body = response.json()
    for result in body if isinstance(body, list) else [body]:
        for error in result["errors"]:
            assert error["extensions"] == {
                "code": "SERVICE_UNAVAILABLE",
                "requestId": response.headers["x-request-id"],
                "retryAfter": RETRY_AFTER,
            }
            assert f"retry after {RETRY_AFTER} s" in error["message"]
    assert _leaks(response.text, unreachable_engine) == []
    # Logged once, under the request's ID, as an outage rather than a bug.
    logged = [record for record in caplog.records if record.levelno >= logging.WARNING]
    assert [record.levelname for record in logged] == ["WARNING"]
    assert response.headers["x-request-id"] in logged[0].getMessage()


async def test_a_resolver_meeting_the_database_down_is_503_not_an_internal_error(
    unreachable_engine: AsyncEngine,
) -> None:
    # No API key and no persisted query: nothing before the schema touches the database,
    # so the first to meet the outage is the resolver.
    async with app_client(unreachable_engine) as http:
        response = await http.post("/graphql", json={"query": CHEAP})
    assert response.status_code == 503
    [error] = response.json()["errors"]
    assert error["path"] == ["dimensions"]
    assert error["extensions"]["code"] == "SERVICE_UNAVAILABLE"


async def test_pages_that_need_no_database_still_serve_and_health_says_503(
    unreachable_engine: AsyncEngine,
) -> None:
    async with app_client(unreachable_engine, unavailable_retry_after_seconds=RETRY_AFTER) as http:
        assert (await http.get("/graphql", headers=BROWSER)).status_code == 200
        assert (await http.get("/steward", headers=BROWSER)).status_code == 200
        # The programme page renders the data's figures on the server: it needs the database.
        programme = await http.get("/", headers=BROWSER)
        health = await http.get("/health")
    assert programme.status_code == 503
    assert programme.headers["retry-after"] == str(RETRY_AFTER)
    assert "127.0.0.1" not in programme.text
    assert "Traceback" not in programme.text
    assert health.status_code == 503
    assert health.headers["retry-after"] == str(RETRY_AFTER)
    assert health.json() == {"status": "error", "database": "unreachable"}


# SQLite has no server whose connections a restart could end.
@pytest.mark.parametrize("backend", [b for b in backends() if b == "postgresql"], indirect=True)
async def test_a_database_restart_costs_no_request(
    seeded_engine: AsyncEngine, seeded_database_url: URL
) -> None:
    async with app_client(seeded_engine) as http:
        # Several requests at once, so the pool holds several connections.
        warm = await asyncio.gather(
            *[http.post("/graphql", json={"query": CHEAP}) for _ in range(6)]
        )
        assert {response.status_code for response in warm} == {200}
        pool = seeded_engine.pool
        assert isinstance(pool, QueuePool)
        pooled = pool.checkedin()
        assert pooled >= 2

        # What a restart does to them: every server process of this database ends.
        admin = create_engine(seeded_database_url, isolation_level="AUTOCOMMIT")
        try:
            async with admin.connect() as connection:
                ended = await connection.scalar(
                    text(
                        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                        "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                    )
                )
        finally:
            await admin.dispose()
        assert ended == pooled

        after = [await http.post("/graphql", json={"query": CHEAP}) for _ in range(pooled + 2)]
        after += await asyncio.gather(
            *[http.post("/graphql", json={"query": CHEAP}) for _ in range(6)]
        )
        after.append(await http.get("/catalog.jsonld"))
    assert [response.status_code for response in after] == [200] * len(after)
    assert [response.json().get("errors") for response in after] == [None] * len(after)


class RedisServer:
    """A redis-server of this test's own, to stop and start again on the same port (the
    suite's shared one, SMARTCITY_TEST_REDIS_URL, is never touched)."""

    def __init__(self) -> None:
        self.port = _free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                *("redis-server", "--port", str(self.port), "--bind", "127.0.0.1"),
                *("--save", "", "--appendonly", "no", "--loglevel", "warning"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                assert self.process.poll() is None, "redis-server exited"
                time.sleep(0.05)
        pytest.fail("redis-server did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None

    async def keys(self) -> list[bytes | str]:
        async with Redis.from_url(self.url) as redis:
            keys: list[bytes | str] = await redis.keys("smartcity:budget:*")
            return keys


@pytest.fixture
def redis_server() -> Iterator[RedisServer]:
    server = RedisServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()


async def _post(app: Any, query: str = CHEAP) -> httpx.Response:
    transport = httpx.ASGITransport(app=app, client=("203.0.113.9", 50000))
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
        return await http.post("/graphql", json={"query": query})


async def _health(app: Any) -> httpx.Response:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
        return await http.get("/health")


async def test_redis_down_falls_back_to_counting_in_the_process(
    engine: AsyncEngine, redis_server: RedisServer, caplog: pytest.LogCaptureFixture
) -> None:
    settings = Settings(redis_url=redis_server.url, anonymous_budget=4, redis_retry_seconds=0)
    async with LifespanManager(create_app(settings=settings, engine=engine)) as manager:
        app = manager.app
        assert (await _post(app)).status_code == 200
        assert len(await redis_server.keys()) == 1  # counted in Redis
        assert (await _health(app)).json()["rateLimits"] == "redis"

        redis_server.stop()
        down = [await _post(app) for _ in range(5)]
        health = await _health(app)
        # Never an outage, and still limited: this process counts the budget on its own.
        assert [response.status_code for response in down] == [200, 200, 200, 200, 429]
        for response in down:
            for leak in ("127.0.0.1", f":{redis_server.port}", "redis", "refused"):
                assert leak not in response.text.lower()
        assert health.status_code == 200
        assert health.json() == {
            "status": "degraded",
            "database": engine.dialect.name,
            "rateLimits": "memory-fallback",
        }
        outage = [r for r in caplog.records if r.name == "smartcity.ratelimit"]
        assert len(outage) == 1  # once per outage, though every request retried Redis
        assert "unreachable" in outage[0].getMessage()

        redis_server.start()
        assert (await _post(app)).status_code == 200  # a new window of Redis's own
        assert len(await redis_server.keys()) == 1  # shared counting again
        assert (await _health(app)).json()["rateLimits"] == "redis"
        messages = [r.getMessage() for r in caplog.records if r.name == "smartcity.ratelimit"]
        assert len(messages) == 2
        assert "back" in messages[1]


async def test_redis_is_retried_only_after_the_back_off(
    engine: AsyncEngine, redis_server: RedisServer
) -> None:
    settings = Settings(redis_url=redis_server.url, redis_retry_seconds=3_600)
    async with LifespanManager(create_app(settings=settings, engine=engine)) as manager:
        app = manager.app
        redis_server.stop()
        assert (await _post(app)).status_code == 200  # finds Redis gone
        redis_server.start()
        # Within the back-off no request reaches for Redis, even though it is back.
        assert [(await _post(app)).status_code for _ in range(3)] == [200] * 3
        assert await redis_server.keys() == []
        assert (await _health(app)).json()["rateLimits"] == "memory-fallback"


def _raised_while_handling(outage: BaseException, *, suppress_context: bool) -> BaseException:
    try:
        try:
            raise outage
        except type(outage):
            if suppress_context:
                raise ValueError("the body arrived too slowly") from None
            raise ValueError("a driver that wrapped its error without `from`")  # noqa: B904
    except ValueError as error:
        return error


def test_an_error_raised_on_purpose_while_handling_a_timeout_is_no_outage() -> None:
    # Python's own tracebacks hide a context after `raise … from None`; so does the check.
    assert not is_unavailable(_raised_while_handling(TimeoutError(), suppress_context=True))
    assert is_unavailable(_raised_while_handling(ConnectionRefusedError(), suppress_context=False))
