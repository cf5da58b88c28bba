"""The `smartcity` command, run as a newcomer runs it."""

from __future__ import annotations

import asyncio
import logging
import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from sqlalchemy.engine import URL
from sqlmodel import select

from api.cli import _is_unseeded, bootstrap, main
from db import migrate
from db.engine import create_engine, session_factory
from db.tables import City
from tests.databases import empty_database_url
from tests.server import live_server


def test_schema_prints_the_sdl(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema"]) == 0
    sdl = capsys.readouterr().out
    assert "type Query" in sdl
    assert "interface Node" in sdl
    assert "scalar Decimal" in sdl


@pytest.fixture
def fresh_database(backend: str, tmp_path: Path) -> URL:
    if backend == "sqlite":
        # The first `serve` must create the file and its folder itself.
        return URL.create("sqlite", database=str(tmp_path / "new" / "smartcity.db"))
    return empty_database_url(backend, tmp_path, "serve")


def test_first_serve_creates_migrates_and_seeds_the_database(
    fresh_database: URL, tmp_path: Path
) -> None:
    with live_server(fresh_database, tmp_path) as server:
        response = httpx.post(
            f"{server}/graphql",
            json={"query": "{ cities { totalCount } provinces { totalCount } }"},
        )
    assert response.json()["data"] == {
        "cities": {"totalCount": 32},
        "provinces": {"totalCount": 77},
    }


def test_serve_seeds_a_database_that_was_only_migrated(
    fresh_database: URL, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="smartcity")
    if fresh_database.get_backend_name() == "sqlite":
        Path(str(fresh_database.database)).parent.mkdir(parents=True)
    url = fresh_database.render_as_string(hide_password=False)
    migrate.upgrade(url)
    bootstrap(url)
    assert asyncio.run(_is_unseeded(url)) is False
    [seeded] = [record.getMessage() for record in caplog.records]
    assert seeded.startswith("fixtures loaded: inserted ")
    caplog.clear()

    async def round_of_phuket(new_round: str | None = None) -> str | None:
        engine = create_engine(url)
        async with session_factory(engine)() as session:
            city = (await session.exec(select(City).where(City.slug == "phuket"))).one()
            if new_round is not None:
                city.certification_round = new_round
                session.add(city)
                await session.commit()
            found = city.certification_round
        await engine.dispose()
        return found

    asyncio.run(round_of_phuket("edited by hand"))
    bootstrap(url)  # a second start leaves the data as it is: no reseed
    assert caplog.records == []
    assert asyncio.run(round_of_phuket()) == "edited by hand"


def test_migrate_then_seed_twice(fresh_database: URL, tmp_path: Path) -> None:
    env = {**os.environ, "DATABASE_URL": fresh_database.render_as_string(hide_password=False)}
    if fresh_database.get_backend_name() == "sqlite":
        Path(str(fresh_database.database)).parent.mkdir(parents=True)

    def run(*args: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "api.cli", *args],
            env=env,
            capture_output=True,
            text=True,
            check=True,
            cwd=tmp_path,
        )
        return done.stdout

    run("migrate")
    assert run("seed").startswith("fixtures loaded: inserted ")
    assert run("seed").strip() == "fixtures loaded: no changes"
