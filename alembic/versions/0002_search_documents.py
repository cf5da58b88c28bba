"""search documents, indexed for Thai and English substring search

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 04:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import db.types
from db import search

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# SQLite: an external-content FTS5 table over search_document.text, trigram-tokenized so any
# substring of three or more characters (Thai included) is found; triggers keep it in step.
SQLITE_FTS = [
    """CREATE VIRTUAL TABLE search_fts USING fts5(
        text, content='search_document', content_rowid='id', tokenize='trigram')""",
    """CREATE TRIGGER search_document_ai AFTER INSERT ON search_document BEGIN
        INSERT INTO search_fts(rowid, text) VALUES (new.id, new.text); END""",
    """CREATE TRIGGER search_document_ad AFTER DELETE ON search_document BEGIN
        INSERT INTO search_fts(search_fts, rowid, text) VALUES ('delete', old.id, old.text); END""",
    """CREATE TRIGGER search_document_au AFTER UPDATE ON search_document BEGIN
        INSERT INTO search_fts(search_fts, rowid, text) VALUES ('delete', old.id, old.text);
        INSERT INTO search_fts(rowid, text) VALUES (new.id, new.text); END""",
]

# PostgreSQL: a trigram GIN index, which serves LIKE '%…%' on the folded text.
POSTGRES_INDEX = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX ix_search_document_text_trgm ON search_document USING gin (text gin_trgm_ops)",
]


def upgrade() -> None:
    op.create_table(
        "search_document",
        sa.Column("updated_at", db.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subject_type", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("name_th", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
        sa.Column("name_en", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
        sa.Column("text", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_document")),
        sa.UniqueConstraint(
            "subject_type", "subject_id", name=op.f("uq_search_document_subject_type")
        ),
    )
    op.create_index(
        op.f("ix_search_document_updated_at"), "search_document", ["updated_at"], unique=False
    )
    bind = op.get_bind()
    for statement in SQLITE_FTS if bind.dialect.name == "sqlite" else POSTGRES_INDEX:
        op.execute(statement)
    # Existing data becomes searchable at once.
    search.rebuild(bind)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE search_fts")
    else:
        op.execute("DROP INDEX ix_search_document_text_trgm")
    op.drop_index(op.f("ix_search_document_updated_at"), table_name="search_document")
    op.drop_table("search_document")
