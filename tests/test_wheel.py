"""The project as an operator installs it: a wheel in a clean virtual environment, serving
the whole site from any directory on an embedded SQLite database in its data directory."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from api.assets import FILES, Assets
from db.resources import WEB
from tests.graphql import GraphQLClient, app_client
from tests.server import live_server

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", str(ROOT), "-w", str(out)],
        check=True,
        capture_output=True,
    )
    [built] = out.glob("*.whl")
    return built


def test_the_wheel_carries_its_folders_and_both_licences(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    info = next(name.split("/")[0] for name in names if name.endswith(".dist-info/METADATA"))
    assert f"{info}/licenses/LICENSE" in names  # the code's (MIT)
    assert f"{info}/licenses/fixtures/LICENSE-provinces.md" in names  # the data's (ODbL)
    assert "smartcity_migrations/env.py" in names
    assert "smartcity_fixtures/cities.yaml" in names
    assert "smartcity_web/templates/base.html" in names
    for path in FILES.values():  # every browser asset the server serves
        assert f"smartcity_web/{path.relative_to(WEB).as_posix()}" in names
    assert not [name for name in names if name.startswith(("tests/", "bench/", "alembic/"))]


def test_an_installed_wheel_serves_the_whole_site_from_any_directory(
    wheel: Path, tmp_path: Path
) -> None:
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run(
        [str(venv / "bin" / "pip"), "install", "--quiet", str(wheel)],
        check=True,
        capture_output=True,
    )
    home, elsewhere = tmp_path / "home", tmp_path / "elsewhere"
    home.mkdir()
    elsewhere.mkdir()
    settings = {"HOME": str(home), "XDG_DATA_HOME": ""}
    # Not this checkout's code: the environment's own, found from a directory with none.
    settings["PYTHONPATH"] = ""
    with live_server(None, elsewhere, settings, command=[str(venv / "bin" / "smartcity")]) as base:
        version = httpx.get(f"{base}/version").json()
        assert version["version"] == "0.1.0"
        assert version["dataVersion"] > 0  # created, migrated and seeded on first run
        answer = httpx.post(f"{base}/graphql", json={"query": "{ cities { totalCount } }"})
        assert answer.json()["data"]["cities"]["totalCount"] > 0
        page = httpx.get(f"{base}/")
        assert page.status_code == 200
        asset = page.text.split('href="/assets/')[1].split('"')[0]
        assert httpx.get(f"{base}/assets/{asset}").status_code == 200
        explorer = httpx.get(f"{base}/graphql", headers={"Accept": "text/html"})
        assert explorer.status_code == 200
        assert "graphiql" in explorer.text
        assert httpx.get(f"{base}/steward").status_code == 200
        assert httpx.get(f"{base}/downloads/smartcity-cities.csv").status_code == 200
        assert httpx.get(f"{base}/catalog.jsonld").status_code == 200
    database = home / ".local" / "share" / "smartcity" / "smartcity.db"
    assert database.is_file()  # in the user's data directory, not in site-packages
    [installed] = (venv / "lib").glob("python3*/site-packages")
    assert not list(installed.rglob("*.db"))


async def test_without_browser_assets_the_api_serves_and_the_pages_say_why(
    seeded_engine: AsyncEngine, tmp_path: Path
) -> None:
    missing = tmp_path / "graphiql.min.js"
    assets = Assets({**FILES, "graphiql.js": missing})
    async with app_client(seeded_engine, assets=assets) as http:
        client = GraphQLClient(http)
        assert (await client.data("{ cities { totalCount } }"))["cities"]["totalCount"] > 0
        for path in ("/", "/steward"):
            page = await http.get(path)
            assert page.status_code == 503
            assert str(missing) in page.text
            assert "make install" in page.text
        explorer = await http.get("/graphql", headers={"Accept": "text/html"})
        assert explorer.status_code == 503
        assert (await http.get("/downloads/smartcity-cities.csv")).status_code == 200


def test_the_data_directory_is_a_setting(tmp_path: Path) -> None:
    env = {**os.environ, "DATA_DIR": str(tmp_path / "data")}
    env.pop("DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, "-c", "from api.settings import Settings; print(Settings().database_url)"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.strip() == f"sqlite:///{tmp_path / 'data' / 'smartcity.db'}"
