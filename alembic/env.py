"""Alembic environment: async engines, the URL from the caller, SQLModel's metadata."""

import asyncio

from alembic import context
from sqlalchemy.engine import Connection
from sqlmodel import SQLModel

import db.tables  # noqa: F401  (registers every table on the metadata)
from db.engine import create_engine
from db.migrate import include_name, render_item

target_metadata = SQLModel.metadata


def _run(connection: Connection) -> None:
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        _stop_enforcing_references(connection)
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        # SQLite can only alter tables by copying them; batch mode does that for us.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_name=include_name,
        render_item=render_item,
    )
    with context.begin_transaction():
        context.run_migrations()
        if sqlite:
            _check_references(connection)


def _stop_enforcing_references(connection: Connection) -> None:
    """SQLite alters a table by rebuilding it (batch mode: copy, drop, rename). Dropping a
    table while foreign keys are enforced deletes the rows that cascade from it (a source's
    citations, an area's dimensions) and refuses the rest, so enforcement is off while
    migrating, as SQLite's ALTER TABLE documents, and every reference is checked at the end.
    It can only be turned off outside a transaction, which is where this runs."""
    connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
    if connection.exec_driver_sql("PRAGMA foreign_keys").scalar():
        raise RuntimeError("SQLite's foreign keys stay enforced inside a transaction")
    # End the transaction SQLAlchemy began for the pragmas, so that Alembic's own begins
    # (and commits) the migrations.
    connection.commit()


def _check_references(connection: Connection) -> None:
    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
    if broken:
        raise RuntimeError(f"references broken by a migration: {broken}")


async def _run_online() -> None:
    engine = create_engine(context.config.get_main_option("sqlalchemy.url") or "")
    try:
        async with engine.connect() as connection:
            await connection.run_sync(_run)
    finally:
        # Also when a migration refuses: a connection left to the garbage collector would
        # fail later, in whatever the process does next.
        await engine.dispose()


if context.is_offline_mode():
    raise SystemExit("offline migrations are not supported; run against a database")
asyncio.run(_run_online())
