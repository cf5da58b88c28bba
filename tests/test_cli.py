"""The `smartcity` command, run as a newcomer runs it."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy.engine import URL

from api.cli import _is_unseeded, bootstrap, main
from db import migrate
from tests.databases import empty_database_url


def test_schema_prints_the_sdl(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema"]) == 0
    sdl = capsys.readouterr().out
    assert "type Query" in sdl
    assert "interface Node" in sdl
    assert "scalar Decimal" in sdl


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture
def fresh_database(backend: str, tmp_path: Path) -> URL:
    if backend == "sqlite":
        # The first `serve` must create the file and its folder itself.
        return URL.create("sqlite", database=str(tmp_path / "new" / "smartcity.db"))
    return empty_database_url(backend, tmp_path, "serve")


@pytest.fixture
def server(fresh_database: URL, tmp_path: Path) -> Iterator[str]:
    """`smartcity serve` in a subprocess on an empty database, as on a fresh checkout."""
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": fresh_database.render_as_string(hide_password=False)}
    log = (tmp_path / "serve.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "api.cli", "serve", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=tmp_path,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert process.poll() is None, (tmp_path / "serve.log").read_text()
            try:
                if httpx.get(f"{base}/health").status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        else:
            pytest.fail("server did not become healthy: " + (tmp_path / "serve.log").read_text())
        yield base
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()


def test_first_serve_creates_migrates_and_seeds_the_database(server: str) -> None:
    response = httpx.post(
        f"{server}/graphql", json={"query": "{ cities { totalCount } provinces { totalCount } }"}
    )
    assert response.json() == {
        "data": {"cities": {"totalCount": 30}, "provinces": {"totalCount": 77}}
    }


def test_serve_seeds_a_database_that_was_only_migrated(fresh_database: URL, tmp_path: Path) -> None:
    if fresh_database.get_backend_name() == "sqlite":
        Path(str(fresh_database.database)).parent.mkdir(parents=True)
    url = fresh_database.render_as_string(hide_password=False)
    migrate.upgrade(url)
    bootstrap(url)
    assert asyncio.run(_is_unseeded(url)) is False
    bootstrap(url)  # a second start leaves the data as it is


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
