"""The Alembic revisions build exactly the schema the models describe, on both databases."""

from __future__ import annotations

import ast
import asyncio
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata, produce_migrations, render_python_code
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlalchemy.engine import URL, Connection
from sqlmodel import SQLModel

import db.tables  # noqa: F401  (registers the tables)
from db import migrate
from db.engine import create_engine, session_factory
from db.fixtures import load_fixtures
from tests.databases import empty_database_url
from tests.graphql import GraphQLClient, app_client

ROOT = Path(__file__).resolve().parent.parent


def _drift(connection: Connection) -> list[Any]:
    context = MigrationContext.configure(
        connection, opts={"compare_type": True, "include_name": migrate.include_name}
    )
    return list(compare_metadata(context, SQLModel.metadata))


async def _inspect(url: URL) -> tuple[list[str], list[Any]]:
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            tables = await connection.run_sync(lambda sync: inspect(sync).get_table_names())
            drift = await connection.run_sync(_drift)
            return sorted(tables), drift
    finally:
        await engine.dispose()


@pytest.fixture
def fresh_url(backend: str, tmp_path: Path) -> URL:
    return empty_database_url(backend, tmp_path, "migrations")


def test_upgrade_head_matches_models_and_downgrade_base_empties(fresh_url: URL) -> None:
    migrate.upgrade(fresh_url)
    tables, drift = asyncio.run(_inspect(fresh_url))
    assert drift == []
    assert set(SQLModel.metadata.tables) <= set(tables)

    migrate.downgrade(fresh_url, "base")
    tables, _ = asyncio.run(_inspect(fresh_url))
    assert [name for name in tables if migrate.include_name(name, "table", None)] == [
        "alembic_version"
    ]

    migrate.upgrade(fresh_url)
    _, drift = asyncio.run(_inspect(fresh_url))
    assert drift == []


def test_every_table_has_updated_at() -> None:
    missing = [
        name for name, table in SQLModel.metadata.tables.items() if "updated_at" not in table.c
    ]
    assert missing == []


# Lookups whose cost grows with the data: an area's latest figure of an indicator, a
# record's sources, a province's phases. Each needs an index that leads with its columns.
GROWING_LOOKUPS = {
    "observation": ["city_id", "indicator", "as_of"],
    "citation": ["subject_type", "subject_id"],
    "programme_phase_province": ["province_id"],
}


def _indexes(connection: Connection, table: str) -> list[Any]:
    return list(inspect(connection).get_indexes(table))


async def test_the_lookups_that_grow_are_indexed(database_url: URL) -> None:
    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:
            indexes = {
                table: await connection.run_sync(_indexes, table) for table in GROWING_LOOKUPS
            }
    finally:
        await engine.dispose()
    unindexed = [
        table
        for table, columns in GROWING_LOOKUPS.items()
        if not any(index["column_names"][: len(columns)] == columns for index in indexes[table])
    ]
    assert unindexed == []


# What a revision may import: never the application (`db`, `schema`, `api`), whose code changes
# after a revision is written, while a revision must build the same schema from the same data
# for as long as it exists.
REVISIONS_MAY_IMPORT = {"alembic", "sqlalchemy", *sys.stdlib_module_names}


def _top_level_imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            names.add("." * node.level + (node.module or "").split(".")[0])
    return names


def test_revisions_import_only_sqlalchemy_alembic_and_the_standard_library() -> None:
    revisions = sorted((migrate.ALEMBIC_DIR / "versions").glob("*.py"))
    assert revisions
    offenders = {
        path.name: sorted(_top_level_imports(path) - REVISIONS_MAY_IMPORT) for path in revisions
    }
    assert {name: names for name, names in offenders.items() if names} == {}


def test_autogenerate_writes_the_models_types_as_sqlalchemys_own() -> None:
    """What `alembic revision --autogenerate` writes for every table, with the template."""
    engine = sa.create_engine("sqlite://")
    with engine.connect() as connection:
        context = MigrationContext.configure(connection)
        operations = produce_migrations(context, SQLModel.metadata).upgrade_ops
        assert operations is not None
        code = render_python_code(operations, render_item=migrate.render_item)
    assert "sa.DateTime(timezone=True)" in code
    assert 'sa.Numeric(18, 2).with_variant(sa.BigInteger(), "sqlite")' in code
    assert "db." not in code
    assert "sqlmodel" not in code
    template = (migrate.ALEMBIC_DIR / "script.py.mako").read_text()
    assert "import db" not in template
    assert "sqlmodel" not in template


# A later revision adds a column to a searchable table, as a real change would.
POPULATION_REVISION = """\
import sqlalchemy as sa
from alembic import op

revision = "city_population"
down_revision = {head!r}


def upgrade() -> None:
    op.add_column("city", sa.Column("population", sa.Integer(), nullable=True))


def downgrade() -> None:
    op.drop_column("city", "population")
"""

# Run in its own process: the column added to the application's `City` model (as the commit
# adding the revision would) must not leak into the models every other test uses.
UPGRADE_WITH_POPULATION = """\
import sys

import sqlalchemy as sa
from alembic import command

from db import migrate
from db.tables import City

City.population = sa.Column("population", sa.Integer(), nullable=True)
assert "population" in City.__mapper__.columns
config = migrate.alembic_config(sys.argv[1])
config.set_main_option("script_location", sys.argv[2])
command.upgrade(config, "head")
"""


def _columns_and_revision(url: URL, table: str) -> tuple[list[str], str]:
    async def read() -> tuple[list[str], str]:
        engine = create_engine(url)
        try:
            async with engine.connect() as connection:
                columns = await connection.run_sync(
                    lambda sync: [column["name"] for column in inspect(sync).get_columns(table)]
                )
                revision = await connection.scalar(text("SELECT version_num FROM alembic_version"))
                return columns, str(revision)
        finally:
            await engine.dispose()

    return asyncio.run(read())


def test_a_column_added_to_a_searchable_table_migrates_from_empty(
    fresh_url: URL, tmp_path: Path
) -> None:
    scripts = tmp_path / "alembic"
    shutil.copytree(migrate.ALEMBIC_DIR, scripts, ignore=shutil.ignore_patterns("__pycache__"))
    head = ScriptDirectory.from_config(migrate.alembic_config(fresh_url)).get_current_head()
    (scripts / "versions" / "9999_city_population.py").write_text(
        POPULATION_REVISION.format(head=head), encoding="utf-8"
    )

    done = subprocess.run(
        [
            sys.executable,
            "-c",
            UPGRADE_WITH_POPULATION,
            fresh_url.render_as_string(hide_password=False),
            str(scripts),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )

    assert done.returncode == 0, done.stderr[-3000:]
    columns, revision = _columns_and_revision(fresh_url, "city")
    assert "population" in columns
    assert revision == "city_population"


# Rows as they were stored before search existed (revision 0001), written in plain SQL.
ROWS_AT_0001 = [
    """INSERT INTO province (id, updated_at, code, dopa_code, name_th, name_en, region,
                          latitude, longitude)
    VALUES (1, CURRENT_TIMESTAMP, 'TH-50', 50, 'เชียงใหม่', 'Chiang Mai', 'NORTH',
            18.7877477, 98.9931311)""",
    """INSERT INTO city (id, updated_at, slug, name_th, name_en, province_id, status, certainty)
    VALUES (7, CURRENT_TIMESTAMP, 'chiang-mai-old-town', 'เมืองเก่าเชียงใหม่',
            'Chiang Mai Old Town Café', 1, 'CERTIFIED', 'CONFIRMED')""",
]

SEARCH_CAFE = """{ search(query: "CAFE") { hits { match node { ... on City { slug } } } } }"""


async def _execute(url: URL, statements: list[str]) -> None:
    engine = create_engine(url)
    try:
        async with engine.begin() as connection:
            for statement in statements:
                await connection.execute(text(statement))
    finally:
        await engine.dispose()


async def _documents_and_search(url: URL) -> tuple[list[tuple[Any, ...]], dict[str, Any]]:
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            rows = await connection.execute(
                text(
                    "SELECT subject_type, subject_id, key, name_th, name_en, text"
                    " FROM search_document ORDER BY subject_type"
                )
            )
            documents = [tuple(row) for row in rows]
        async with app_client(engine) as http:
            found = await GraphQLClient(http).data(SEARCH_CAFE)
        return documents, found
    finally:
        await engine.dispose()


def test_rows_from_before_search_get_folded_documents(fresh_url: URL) -> None:
    migrate.upgrade(fresh_url, "0001")
    asyncio.run(_execute(fresh_url, ROWS_AT_0001))

    migrate.upgrade(fresh_url)

    documents, found = asyncio.run(_documents_and_search(fresh_url))
    assert documents == [
        (
            "city",
            7,
            "chiang-mai-old-town",
            "เมืองเก่าเชียงใหม่",
            "chiang mai old town cafe",
            "เมืองเก่าเชียงใหม่\nchiang mai old town cafe\nchiang mai old town",
        ),
        ("province", 1, "TH-50", "เชียงใหม่", "chiang mai", "เชียงใหม่\nchiang mai\nth 50"),
    ]
    assert found == {
        "search": {"hits": [{"match": "NAME_CONTAINS", "node": {"slug": "chiang-mai-old-town"}}]}
    }


# Areas as stored before every area had a point (revision 0006): one without a point, one with
# its own (synthetic), each with a dimension and a project that refer to it.
ROWS_AT_0006 = [
    *ROWS_AT_0001,
    """INSERT INTO city (id, updated_at, slug, province_id, status, certainty, latitude, longitude)
    VALUES (8, CURRENT_TIMESTAMP, 'synthetic-own-point', 1, 'PROPOSED', 'UNCERTAIN', 18.8, 98.9)""",
    """INSERT INTO dimension (id, updated_at, code, name_en, name_th, alt_names_th)
    VALUES (1, CURRENT_TIMESTAMP, 'MOBILITY', 'Smart Mobility', 'ขนส่งอัจฉริยะ', '[]')""",
    """INSERT INTO city_dimension (updated_at, city_id, dimension_id)
    VALUES (CURRENT_TIMESTAMP, 7, 1), (CURRENT_TIMESTAMP, 8, 1)""",
    """INSERT INTO project (id, updated_at, slug, city_id, province_id, is_headline, certainty)
    VALUES (1, CURRENT_TIMESTAMP, 'synthetic-project', 7, 1, false, 'REPORTED')""",
]
CHIANG_MAI = {"latitude": 18.7877477, "longitude": 98.9931311}
AREAS = """{ cities(first: 10) { nodes { slug locationPrecision location { latitude longitude }
    dimensions { code } projects(first: 5) { totalCount } } } }"""


async def _areas_and_feed(url: URL) -> tuple[dict[str, Any], list[tuple[Any, ...]]]:
    engine = create_engine(url)
    try:
        async with app_client(engine) as http:
            found = await GraphQLClient(http).data(AREAS)
        async with engine.connect() as connection:
            feed = await connection.execute(
                text("SELECT subject_type, subject_key, operation FROM change ORDER BY id")
            )
            return {node.pop("slug"): node for node in found["cities"]["nodes"]}, [
                tuple(row) for row in feed
            ]
    finally:
        await engine.dispose()


async def _rows(url: URL, query: str) -> list[tuple[Any, ...]]:
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            return [tuple(row) for row in await connection.execute(text(query))]
    finally:
        await engine.dispose()


def test_areas_without_a_point_get_their_provinces_marker_and_downgrade_clears_it(
    fresh_url: URL,
) -> None:
    migrate.upgrade(fresh_url, "0006")
    asyncio.run(_execute(fresh_url, ROWS_AT_0006))

    migrate.upgrade(fresh_url, "0007")
    # Read through the API, whose models are the head's: later revisions keep these values.
    migrate.upgrade(fresh_url)

    areas, feed = asyncio.run(_areas_and_feed(fresh_url))
    assert areas == {
        "chiang-mai-old-town": {
            "locationPrecision": "PROVINCE",
            "location": CHIANG_MAI,
            "dimensions": [{"code": "MOBILITY"}],
            "projects": {"totalCount": 1},
        },
        "synthetic-own-point": {
            "locationPrecision": "AREA",
            "location": {"latitude": 18.8, "longitude": 98.9},
            "dimensions": [{"code": "MOBILITY"}],
            "projects": {"totalCount": 0},
        },
    }
    # Every area gained a published field: partners syncing from the feed fetch each again.
    assert sorted(feed) == [
        ("City", "chiang-mai-old-town", "UPDATE"),
        ("City", "synthetic-own-point", "UPDATE"),
    ]

    migrate.downgrade(fresh_url, "0006")

    assert asyncio.run(
        _rows(fresh_url, "SELECT slug, latitude, longitude FROM city ORDER BY slug")
    ) == [("chiang-mai-old-town", None, None), ("synthetic-own-point", 18.8, 98.9)]
    assert asyncio.run(_rows(fresh_url, "SELECT city_id FROM city_dimension ORDER BY city_id")) == [
        (7,),
        (8,),
    ]
    columns, revision = _columns_and_revision(fresh_url, "city")
    assert "location_precision" not in columns
    assert revision == "0006"


def test_an_area_that_cannot_be_placed_stops_the_migration_and_changes_nothing(
    fresh_url: URL,
) -> None:
    migrate.upgrade(fresh_url, "0006")
    asyncio.run(_execute(fresh_url, ROWS_AT_0006))
    asyncio.run(_execute(fresh_url, ["UPDATE province SET latitude = NULL"]))

    with pytest.raises(RuntimeError, match="neither has their province: chiang-mai-old-town;"):
        migrate.upgrade(fresh_url, "0007")
    columns, revision = _columns_and_revision(fresh_url, "city")
    assert "location_precision" not in columns
    assert revision == "0006"


async def _counts(url: URL, tables: tuple[str, ...]) -> dict[str, int]:
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            return {
                table: (
                    await connection.execute(text(f"SELECT count(*) FROM {table}"))
                ).scalar_one()
                for table in tables
            }
    finally:
        await engine.dispose()


async def _seed(url: URL) -> None:
    engine = create_engine(url)
    try:
        async with session_factory(engine)() as session:
            await load_fixtures(session)
            await session.commit()
    finally:
        await engine.dispose()


def test_downgrading_and_upgrading_the_real_data_loses_no_row(fresh_url: URL) -> None:
    """SQLite alters a column by rebuilding its table; with foreign keys enforced, dropping
    the old `source` table deleted every citation (they cascade). Each revision since the
    first that touches a table must keep the rows that refer to it."""
    kept = ("citation", "city", "city_dimension", "project", "investment", "organization")
    migrate.upgrade(fresh_url)
    asyncio.run(_seed(fresh_url))
    seeded = asyncio.run(_counts(fresh_url, kept))
    assert seeded["citation"] > 700

    migrate.downgrade(fresh_url, "0006")
    before = asyncio.run(_counts(fresh_url, kept))
    # Only the citations of the records whose tables went (roles, proposals, …) are gone.
    assert before["city_dimension"] == seeded["city_dimension"]
    assert before["project"] == seeded["project"]
    assert seeded["citation"] - before["citation"] < 100

    migrate.upgrade(fresh_url)
    asyncio.run(_seed(fresh_url))
    assert asyncio.run(_counts(fresh_url, kept)) == seeded


def test_renamed_columns_keep_their_values_both_ways_and_notes_get_keys(fresh_url: URL) -> None:
    """0011 renames `city.round` and `role.organization_id` to the API's names and gives each
    coverage note a key: the values stay, in both directions, and the rows that refer to the
    rebuilt tables too."""
    migrate.upgrade(fresh_url)
    asyncio.run(_seed(fresh_url))
    rounds = "SELECT slug, certification_round FROM city ORDER BY slug"
    bodies = "SELECT key, body_id FROM role ORDER BY key"
    notes = "SELECT position, key, text_th IS NOT NULL FROM coverage_note ORDER BY position"
    seeded = [asyncio.run(_rows(fresh_url, query)) for query in (rounds, bodies)]
    assert ("phuket", "2021-R1") in seeded[0]
    assert sum(body is not None for _, body in seeded[1]) == 6
    kept = asyncio.run(_counts(fresh_url, ("city_dimension", "project", "citation")))

    migrate.downgrade(fresh_url, "0010")

    assert (
        asyncio.run(_rows(fresh_url, rounds.replace("certification_round", "round"))) == (seeded[0])
    )
    assert (
        asyncio.run(_rows(fresh_url, bodies.replace("body_id", "organization_id"))) == (seeded[1])
    )
    columns, _ = _columns_and_revision(fresh_url, "coverage_note")
    assert {"key", "text_th"}.isdisjoint(columns)

    migrate.upgrade(fresh_url)

    assert [asyncio.run(_rows(fresh_url, query)) for query in (rounds, bodies)] == seeded
    assert asyncio.run(_counts(fresh_url, ("city_dimension", "project", "citation"))) == kept
    # Notes stored before keys existed get one from their place, until the fixtures load.
    provisional = asyncio.run(_rows(fresh_url, notes))
    assert provisional[:2] == [(1, "note-1", False), (2, "note-2", False)]
    asyncio.run(_seed(fresh_url))
    loaded = asyncio.run(_rows(fresh_url, notes))
    assert loaded[0] == (1, "round-1-areas", True)
    assert len(loaded) == len(provisional)
