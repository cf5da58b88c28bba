"""The Alembic revisions build exactly the schema the models describe, on both databases."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlalchemy.engine import URL, Connection
from sqlmodel import SQLModel

import db.tables  # noqa: F401  (registers the tables)
from db import migrate
from db.engine import create_engine
from tests.databases import empty_database_url


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
