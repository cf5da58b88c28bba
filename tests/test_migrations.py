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
