"""Alembic, driven from code: the CLI, the first `serve` and the tests use these."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy.engine import URL

from db.engine import async_url

ALEMBIC_DIR = Path(__file__).resolve().parent.parent / "alembic"


# Search index objects made by hand in migration 0002, which the models do not describe.
HAND_MADE = ("search_fts", "ix_search_document_text_trgm")


def include_name(name: str | None, type_: str, _parent: object) -> bool:
    """Whether Alembic's comparison should look at a database object."""
    return not (name or "").startswith(HAND_MADE)


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
