from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import event
from sqlalchemy.engine import URL
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel.ext.asyncio.session import AsyncSession

from db import hooks, keys
from db.engine import create_engine, session_factory
from db.enums import KeyRole
from tests.databases import Template, backends, build_template
from tests.graphql import GraphQLClient, app_client
from tests.server import live_server


def pytest_report_header() -> str:
    return f"databases: {', '.join(backends())}"


@pytest.fixture(scope="session", autouse=True)
def _session_hooks() -> None:
    """Writes through test sessions (factories) keep the change feed and search in step, as
    the app's and the CLI's do."""
    hooks.install()


@pytest.fixture(scope="session", params=backends())
def backend(request: pytest.FixtureRequest) -> str:
    name: str = request.param
    return name


@pytest.fixture(scope="session")
def templates(backend: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Template]:
    directory = tmp_path_factory.mktemp(f"templates-{backend}")
    return {
        "empty": build_template(backend, directory, seeded=False),
        "seeded": build_template(backend, directory, seeded=True),
    }


class StatementCounter:
    """Counts the SQL statements an engine runs (to pin N+1-free batching)."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, *_args: Any) -> None:
        self.count += 1


async def _database(template: Template, tmp_path: Path) -> AsyncIterator[URL]:
    url = await template.clone(tmp_path)
    try:
        yield url
    finally:
        await template.drop(url)


@pytest.fixture
async def database_url(templates: dict[str, Template], tmp_path: Path) -> AsyncIterator[URL]:
    """An isolated, migrated, empty database for this test."""
    async for url in _database(templates["empty"], tmp_path):
        yield url


@pytest.fixture
async def seeded_database_url(templates: dict[str, Template], tmp_path: Path) -> AsyncIterator[URL]:
    """An isolated database holding the real fixtures."""
    async for url in _database(templates["seeded"], tmp_path):
        yield url


@pytest.fixture
async def seeded_http(seeded_engine: AsyncEngine) -> AsyncIterator[httpx.AsyncClient]:
    """A plain HTTP client for the app on a database holding the real fixtures."""
    async with app_client(seeded_engine) as http:
        yield http


@pytest.fixture
async def role_keys(seeded_engine: AsyncEngine) -> dict[KeyRole, str]:
    """A key of each role on the seeded database, each named after its role ("editor desk")."""
    issued = {}
    async with session_factory(seeded_engine)() as session:
        for role in KeyRole:
            issued[role], _ = await keys.issue(session, f"{role.lower()} desk", role=role)
    return issued


@pytest.fixture
def statements() -> StatementCounter:
    return StatementCounter()


async def _engine(url: URL, statements: StatementCounter) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(url)
    event.listen(engine.sync_engine, "before_cursor_execute", statements)
    try:
        yield engine
    finally:
        await engine.dispose()


@pytest.fixture
async def engine(database_url: URL, statements: StatementCounter) -> AsyncIterator[AsyncEngine]:
    async for engine in _engine(database_url, statements):
        yield engine


@pytest.fixture
async def seeded_engine(
    seeded_database_url: URL, statements: StatementCounter
) -> AsyncIterator[AsyncEngine]:
    async for engine in _engine(seeded_database_url, statements):
        yield engine


@pytest.fixture
async def session(engine: AsyncEngine) -> AsyncIterator[AsyncSession]:
    """A session on the test's database, for factories to write through."""
    async with session_factory(engine)() as session:
        yield session


async def _client(engine: AsyncEngine) -> AsyncIterator[GraphQLClient]:
    async with app_client(engine) as http:
        yield GraphQLClient(http)


@pytest.fixture
def site(seeded_database_url: URL, tmp_path: Path) -> Iterator[str]:
    """The real server (uvicorn in its own process) on its own copy of the seeded database."""
    with live_server(seeded_database_url, tmp_path) as base:
        yield base


@pytest.fixture
async def client(engine: AsyncEngine) -> AsyncIterator[GraphQLClient]:
    """HTTP client for the app on the empty test database (fill it with factories)."""
    async for client in _client(engine):
        yield client


@pytest.fixture
async def seeded_client(seeded_engine: AsyncEngine) -> AsyncIterator[GraphQLClient]:
    """HTTP client for the app on a database holding the real fixtures."""
    async for client in _client(seeded_engine):
        yield client
