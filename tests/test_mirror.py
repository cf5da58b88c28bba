"""`smartcity mirror`: a live server mirrored into a new database, edited, mirrored again
(part of the way, then the rest), and compared record by record; and every refusal."""

from __future__ import annotations

import asyncio
import json
import re
import socket
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from sqlalchemy.engine import URL
from sqlmodel import select
from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.routing import Route

from api.cli import main
from db import exports, keys
from db.access import Db
from db.engine import create_engine, session_factory
from db.enums import KeyRole
from db.ids import global_id
from db.mirror import BY_TYPE
from db.tables import MirrorState
from tests.databases import Template, empty_database_url
from tests.graphql import GraphQLClient
from tests.server import live_server

# Without a key, one point in three seconds: a mirror that reads pages faster must wait
# for each Retry-After, not fail (with one, it need not wait).
SOURCE_SETTINGS = {"ANONYMOUS_BUDGET": "1", "BUDGET_WINDOW_SECONDS": "3"}


class Source:
    def __init__(self, url: str, database: URL, editor: str, reader: str) -> None:
        self.url = url
        self.database = database
        self.editor = editor
        self.reader = reader

    def mutate(self, query: str, variables: dict[str, Any]) -> dict[str, Any]:
        response = httpx.post(
            f"{self.url}/graphql",
            json={"query": query, "variables": variables},
            headers={"Authorization": f"Bearer {self.editor}"},
        )
        body = response.json()
        assert "errors" not in body, body
        [payload] = body["data"].values()
        assert payload["userErrors"] == [], payload
        assert isinstance(payload, dict)
        return payload

    def read(self, query: str) -> dict[str, Any]:
        headers = {"Authorization": f"Bearer {self.reader}"}
        response = httpx.post(f"{self.url}/graphql", json={"query": query}, headers=headers)
        data: dict[str, Any] = response.json()["data"]
        return data

    def data_version(self) -> int:
        version: int = httpx.get(f"{self.url}/version").json()["dataVersion"]
        return version


async def _issue(url: URL) -> tuple[str, str]:
    engine = create_engine(url)
    try:
        async with session_factory(engine)() as session:
            editor, _ = await keys.issue(session, "editor desk", role=KeyRole.EDITOR)
            reader, _ = await keys.issue(session, "mirror partner", role=KeyRole.READER)
    finally:
        await engine.dispose()
    return editor, reader


@pytest.fixture(scope="module")
def source(
    templates: dict[str, Template], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Source]:
    """One live server for the module, on its own copy of the seeded database."""
    directory = tmp_path_factory.mktemp("mirror-source")
    database = asyncio.run(templates["seeded"].clone(directory))
    editor, reader = asyncio.run(_issue(database))
    try:
        with live_server(database, directory, SOURCE_SETTINGS) as url:
            yield Source(url, database, editor, reader)
    finally:
        asyncio.run(templates["seeded"].drop(database))


@dataclass(frozen=True)
class Run:
    code: int
    stdout: str
    stderr: str


@pytest.fixture
def mirror(capsys: pytest.CaptureFixture[str]) -> Callable[..., Run]:
    """`smartcity mirror` as a partner runs it (in this process: a new one per run would
    spend seconds importing)."""

    def run(url: str, into: URL, *arguments: str) -> Run:
        capsys.readouterr()
        code = main(
            ["mirror", url, "--into", into.render_as_string(hide_password=False), *arguments]
        )
        out = capsys.readouterr()
        return Run(code, out.out, out.err)

    return run


async def _records(url: URL) -> dict[str, list[dict[str, Any]]]:
    """Every record of every entity, as its download rows."""
    engine = create_engine(url)
    try:
        async with session_factory(engine)() as session:
            return {
                entity.plural: [record async for record in exports.records(Db(session), entity)]
                for entity in exports.ENTITIES
            }
    finally:
        await engine.dispose()


async def _standing(url: URL) -> list[tuple[str, int]]:
    engine = create_engine(url)
    try:
        async with session_factory(engine)() as session:
            states = (await session.exec(select(MirrorState))).all()
            return [(state.source_url, state.sequence) for state in states]
    finally:
        await engine.dispose()


def _by_key(records: dict[str, list[dict[str, Any]]]) -> dict[str, dict[str, Any]]:
    """Records keyed by entity and natural key: a mirror's row ids are its own."""
    return {
        f"{plural} {record.get('id') or record.get('key')}": record
        for plural, rows in records.items()
        for record in rows
    }


def _assert_same(source: URL, target: URL) -> None:
    theirs, ours = asyncio.run(_records(source)), asyncio.run(_records(target))
    assert {name: len(rows) for name, rows in ours.items()} == {
        name: len(rows) for name, rows in theirs.items()
    }
    assert _by_key(ours) == _by_key(theirs)


def _summary(run: Run) -> str:
    assert run.code == 0, run.stderr
    assert "Traceback" not in run.stderr
    return run.stdout.strip()


@pytest.fixture
def target(backend: str, tmp_path: Path) -> URL:
    """A database that does not exist yet (SQLite), or an empty one (PostgreSQL)."""
    if backend == "sqlite":
        return URL.create("sqlite", database=str(tmp_path / "mirror" / "smartcity.sqlite"))
    return empty_database_url(backend, tmp_path, "mirror")


CREATE_CITY = """mutation($input: CreateCityInput!) {
  createCity(input: $input) { city { slug } userErrors { code message } } }"""
UPDATE_CITY = """mutation($input: UpdateCityInput!) {
  updateCity(input: $input) { city { slug } userErrors { code message } } }"""
CREATE_PROJECT = """mutation($input: CreateProjectInput!) {
  createProject(input: $input) { project { slug } userErrors { code message } } }"""
UPDATE_INVESTMENT = """mutation($input: UpdateInvestmentInput!) {
  updateInvestment(input: $input) { investment { key } userErrors { code message } } }"""
APPEND = """mutation($input: AppendObservationInput!) {
  appendObservation(input: $input) { observation { key } userErrors { code message } } }"""
CREATE_ORGANIZATION = """mutation($input: CreateOrganizationInput!) {
  createOrganization(input: $input) {
    organization { id updatedAt } userErrors { code message } } }"""
DELETE_ORGANIZATION = """mutation($input: DeleteOrganizationInput!) {
  deleteOrganization(input: $input) { deletedId userErrors { code message } } }"""
CITED = ["posttoday-708162"]
READ = re.compile(r"(\d+) changes? in \d+ pages?")  # what a run read of the feed


def _edit(source: Source) -> None:
    """Edits of every kind, in an order that makes the feed's first changes name records
    that only later changes create: an investment is updated, a project is created in an
    area created for it, then the investment is moved to that project. Read a change at a
    time, the investment's first change already names the project (its record is as it is
    now)."""
    [investment] = source.read(
        "{ investments(first: 1) { nodes { id key updatedAt city { slug province { code } } } } }"
    )["investments"]["nodes"]
    source.mutate(
        UPDATE_INVESTMENT,
        {
            "input": {
                "id": investment["id"],
                "expectedUpdatedAt": investment["updatedAt"],
                "labelEn": "Edited for the mirror",
                "sources": CITED,
            }
        },
    )
    province = investment["city"]["province"]["code"]
    city = {
        "slug": "mirror-test-area",
        "nameTh": "พื้นที่ทดสอบ",
        "nameEn": "Mirror Test Area",
        "province": province,
        "status": "PROPOSED",
        "certainty": "REPORTED",
        "dimensions": ["MOBILITY"],
        "sources": CITED,
    }
    source.mutate(CREATE_CITY, {"input": city})
    project = {
        "slug": "mirror-test-project",
        "city": "mirror-test-area",
        "province": province,
        "titleEn": "A project for the mirror",
        "dimensions": ["MOBILITY", "ENERGY"],
        "certainty": "REPORTED",
        "sources": CITED,
    }
    source.mutate(CREATE_PROJECT, {"input": project})
    moved = source.read(
        f'{{ node(id: "{investment["id"]}") {{ ... on Investment {{ updatedAt }} }} }}'
    )["node"]
    source.mutate(
        UPDATE_INVESTMENT,
        {
            "input": {
                "id": investment["id"],
                "expectedUpdatedAt": moved["updatedAt"],
                "project": "mirror-test-project",
                "city": "mirror-test-area",
                "sources": CITED,
            }
        },
    )
    phuket = source.read('{ city(slug: "phuket") { id updatedAt } }')["city"]
    source.mutate(
        UPDATE_CITY,
        {
            "input": {
                "id": phuket["id"],
                "expectedUpdatedAt": phuket["updatedAt"],
                "nameEn": "Phuket (edited)",
                "dimensions": ["LIVING"],
                "sources": CITED,
            }
        },
    )
    source.mutate(
        APPEND,
        {
            "input": {
                "key": "mae-moh-progress-mirror-correction",
                "indicator": "PROGRESS_PERCENT",
                "city": "mae-moh",
                "value": "95.5",
                "unit": "percent",
                "asOf": "2024-04-23",
                "certainty": "REPORTED",
                "supersedes": "mae-moh-progress-2024-04-23",
                "sources": CITED,
            }
        },
    )
    organization = source.mutate(
        CREATE_ORGANIZATION,
        {
            "input": {
                "slug": "mirror-test-org",
                "nameEn": "Gone",
                "kind": "COMPANY",
                "sources": CITED,
            }
        },
    )["organization"]
    source.mutate(
        DELETE_ORGANIZATION,
        {"input": {"id": organization["id"], "expectedUpdatedAt": organization["updatedAt"]}},
    )


def test_a_mirror_takes_a_snapshot_follows_the_feed_and_resumes(
    source: Source, target: URL, mirror: Callable[..., Run]
) -> None:
    first = mirror(source.url, target, "--key", source.reader)
    version = source.data_version()
    assert "up to date" in _summary(first)
    assert "snapshot of " in first.stdout
    _assert_same(source.database, target)
    assert asyncio.run(_standing(target)) == [(source.url, version)]

    _edit(source)
    edited = source.data_version()

    # Two changes a page, two pages: the first names a project only the second creates, so
    # both are applied together; then the run stops, and the next one goes on from there.
    part = mirror(
        source.url, target, "--key", source.reader, "--page-size", "2", "--max-pages", "2"
    )
    assert "stopped early" in _summary(part)
    assert READ.findall(part.stdout) == ["4"]
    assert asyncio.run(_standing(target)) == [(source.url, version + 4)]

    # Without a key, pages read at once are more than the source allows: the mirror waits as
    # each 429's Retry-After says.
    rest = mirror(source.url, target, "--page-size", "2")
    summary = _summary(rest)
    assert "up to date" in summary
    assert "asks to wait" in rest.stderr
    assert asyncio.run(_standing(target)) == [(source.url, edited)]
    _assert_same(source.database, target)
    # Only what changed since was read: no second snapshot, and every change once.
    assert "snapshot" not in part.stdout + summary
    assert READ.findall(summary) == [str(edited - version - 4)]

    # Nothing new: nothing read but one empty page, nothing written.
    again = _summary(mirror(source.url, target, "--key", source.reader))
    assert "0 changes in 1 page: 0 written, 0 deleted" in again


def _refusal(run: Run) -> str:
    assert run.code == 1, run.stdout + run.stderr
    assert "Traceback" not in run.stderr
    [line] = [line for line in run.stderr.splitlines() if line.startswith("smartcity mirror:")]
    return line


def test_a_database_with_data_of_its_own_is_refused(
    source: Source, templates: dict[str, Template], tmp_path: Path, mirror: Callable[..., Run]
) -> None:
    seeded = asyncio.run(templates["seeded"].clone(tmp_path))
    try:
        before = asyncio.run(_records(seeded))
        line = _refusal(mirror(source.url, seeded, "--key", source.reader))
        assert "not a mirror of it: it holds data of its own" in line
        assert asyncio.run(_records(seeded)) == before
    finally:
        asyncio.run(templates["seeded"].drop(seeded))


def test_a_database_of_another_application_is_refused_untouched(
    source: Source, tmp_path: Path, mirror: Callable[..., Run]
) -> None:
    path = tmp_path / "shop.sqlite"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE customer (id INTEGER PRIMARY KEY, name TEXT)")
    line = _refusal(mirror(source.url, URL.create("sqlite", database=str(path))))
    assert "it holds another application's tables (customer)" in line
    with sqlite3.connect(path) as connection:
        tables = connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        assert [name for (name,) in tables] == ["customer"]  # nothing migrated into it


def test_a_mirror_of_another_server_is_refused(
    source: Source, templates: dict[str, Template], tmp_path: Path, mirror: Callable[..., Run]
) -> None:
    other = asyncio.run(templates["empty"].clone(tmp_path))
    try:
        asyncio.run(_stand(other, "https://elsewhere.example"))
        line = _refusal(mirror(source.url, other, "--key", source.reader))
        assert f"it is a mirror of https://elsewhere.example, not of {source.url}" in line
    finally:
        asyncio.run(templates["empty"].drop(other))


async def _stand(url: URL, source_url: str) -> None:
    engine = create_engine(url)
    try:
        async with session_factory(engine)() as session:
            session.add(MirrorState(source_url=source_url, sequence=5))
            await session.commit()
    finally:
        await engine.dispose()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def other_release() -> Iterator[str]:
    """A server that answers `/version` as another release would: a schema of its own."""

    async def version(_request: Any) -> JSONResponse:
        return JSONResponse({"version": "0.0.9", "schema": "0" * 64, "dataVersion": 1})

    app = Starlette(routes=[Route("/version", version)])
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, port=port, log_config=None))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join()


def test_another_release_and_an_unreachable_server_are_refused(
    other_release: str, tmp_path: Path, mirror: Callable[..., Run]
) -> None:
    target = URL.create("sqlite", database=str(tmp_path / "mirror.sqlite"))
    line = _refusal(mirror(other_release, target))
    assert f"{other_release} serves release 0.0.9 with schema 000000000000" in line
    assert "mirror with the release the server runs" in line
    nowhere = f"http://127.0.0.1:{_free_port()}"
    line = _refusal(mirror(nowhere, target))
    assert f"cannot reach {nowhere}" in line
    assert not (tmp_path / "mirror.sqlite").exists()  # refused before touching the target


def test_a_target_that_is_no_database_url_is_a_usage_error(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["mirror", "http://127.0.0.1:1", "--into", "mirror.sqlite"])
    assert exited.value.code == 2  # argparse's usage error, before anything is reached
    error = capsys.readouterr().err
    assert "'mirror.sqlite' is no database URL; e.g. sqlite:///mirror.sqlite" in error
    assert "Traceback" not in error


FEED = """query ($first: Int!) { changes(first: $first) { nodes { typeName key record } } }"""


async def test_a_change_gives_its_record_as_a_download_row_read_once_per_type(
    seeded_client: GraphQLClient, seeded_http: httpx.AsyncClient, statements: Any
) -> None:
    statements.count = 0
    few = (await seeded_client.data(FEED, {"first": 3}))["changes"]["nodes"]
    for_few = statements.count
    statements.count = 0
    many = (await seeded_client.data(FEED, {"first": 70}))["changes"]["nodes"]
    assert statements.count == for_few
    # The seed writes one entity's records after another: the first 70 are all of one type.
    [type_name] = {node["typeName"] for node in few + many}
    download = await seeded_http.get(f"/downloads/{exports.filename(BY_TYPE[type_name], 'jsonl')}")
    rows = {row["id"]: row for row in map(json.loads, download.text.splitlines())}
    for node in few + many:
        assert node["record"] == rows[global_id(type_name, node["key"])]
