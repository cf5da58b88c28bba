"""Test databases: a migrated template per backend, copied for every test.

Migrating once and copying (a file copy on SQLite, `CREATE DATABASE … TEMPLATE` on
PostgreSQL) gives each test its own real database in milliseconds.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlmodel
from sqlalchemy import func, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from db import hooks, migrate
from db.engine import create_engine, session_factory
from db.fixtures import load_fixtures

POSTGRES_URL_VARIABLE = "SMARTCITY_TEST_POSTGRES_URL"


def backends() -> list[str]:
    """SQLite always; PostgreSQL when a server is given (`make test` starts one)."""
    return ["sqlite", "postgresql"] if os.environ.get(POSTGRES_URL_VARIABLE) else ["sqlite"]


@dataclass(frozen=True)
class Template:
    backend: str
    url: URL

    async def clone(self, directory: Path) -> URL:
        """A fresh database with the template's content."""
        if self.backend == "sqlite":
            target = directory / f"{uuid.uuid4().hex}.sqlite"
            shutil.copyfile(str(self.url.database), target)
            return self.url.set(database=str(target))
        name = f"test_{uuid.uuid4().hex[:16]}"
        await _postgres_admin(f'CREATE DATABASE "{name}" TEMPLATE "{self.url.database}"')
        return self.url.set(database=name)

    async def drop(self, url: URL) -> None:
        if self.backend == "postgresql":
            await _postgres_admin(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)')


async def _postgres_admin(statement: str) -> None:
    engine = create_engine(
        make_url(os.environ[POSTGRES_URL_VARIABLE]), isolation_level="AUTOCOMMIT"
    )
    try:
        async with engine.connect() as connection:
            await connection.execute(text(statement))
    finally:
        await engine.dispose()


def empty_database_url(backend: str, directory: Path, name: str) -> URL:
    """A new, empty database (not migrated)."""
    if backend == "sqlite":
        return make_url(f"sqlite:///{directory / name}.sqlite")
    server = make_url(os.environ[POSTGRES_URL_VARIABLE])
    database = f"{name}_{uuid.uuid4().hex[:8]}"
    asyncio.run(_postgres_admin(f'CREATE DATABASE "{database}"'))
    return server.set(database=database)


async def _seed(url: URL) -> None:
    hooks.install()  # the seed writes change rows and search documents, as the CLI's does
    engine = create_engine(url)
    try:
        async with session_factory(engine)() as session:
            await load_fixtures(session)
            await session.commit()
    finally:
        await engine.dispose()


def build_template(backend: str, directory: Path, *, seeded: bool) -> Template:
    """Migrate a new database to head, and load the real fixtures if `seeded`."""
    url = empty_database_url(backend, directory, "seeded" if seeded else "empty")
    migrate.upgrade(url)
    if seeded:
        asyncio.run(_seed(url))
    return Template(backend, url)


async def count_rows(engine: AsyncEngine, model: Any, *where: Any) -> int:
    """How many rows of `model`'s table (those `where` selects) the database holds."""
    async with session_factory(engine)() as session:
        statement = sqlmodel.select(func.count()).select_from(model).where(*where)
        return (await session.exec(statement)).one()
