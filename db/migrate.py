"""Alembic, driven from code: the CLI, the first `serve` and the tests use these."""

from __future__ import annotations

from typing import Any, Literal

from alembic import command
from alembic.autogenerate.api import AutogenContext
from alembic.config import Config
from sqlalchemy.engine import URL
from sqlmodel.sql.sqltypes import AutoString

from db import resources
from db.engine import async_url
from db.types import ExactDecimal, UtcDateTime

ALEMBIC_DIR = resources.MIGRATIONS


# Search index objects made by hand in migration 0002, which the models do not describe.
HAND_MADE = ("search_fts", "ix_search_document_text_trgm")


def include_name(name: str | None, type_: str, _parent: object) -> bool:
    """Whether Alembic's comparison should look at a database object."""
    return not (name or "").startswith(HAND_MADE)


def render_item(type_: str, item: Any, _context: AutogenContext) -> str | Literal[False]:
    """Autogenerate writes the application's column types as SQLAlchemy's own, so that a
    revision imports no application code and means the same whatever the code becomes."""
    if type_ != "type":
        return False
    if isinstance(item, UtcDateTime):
        return "sa.DateTime(timezone=True)"
    if isinstance(item, ExactDecimal):
        numeric = f"sa.Numeric({item.precision}, {item.scale})"
        return f'{numeric}.with_variant(sa.BigInteger(), "sqlite")'
    if isinstance(item, AutoString):
        return f"sa.String(length={item.length})"
    return False


def alembic_config(url: str | URL) -> Config:
    config = Config()
    config.set_main_option("script_location", str(ALEMBIC_DIR))
    # Alembic's config is an INI file underneath, where % starts an interpolation.
    rendered = async_url(url).render_as_string(hide_password=False)
    config.set_main_option("sqlalchemy.url", rendered.replace("%", "%%"))
    return config


def upgrade(url: str | URL, revision: str = "head") -> None:
    command.upgrade(alembic_config(url), revision)


def downgrade(url: str | URL, revision: str = "base") -> None:
    command.downgrade(alembic_config(url), revision)
