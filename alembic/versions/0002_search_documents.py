"""search documents, indexed for Thai and English substring search

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 04:20:00
"""

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

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


@dataclass(frozen=True)
class Subject:
    """A searchable table as it was at this revision, and the columns its document is made of.

    The data step reads through these definitions, not the application's models, so it runs
    the same way whatever columns the tables gain in later revisions.
    """

    table: str
    name_th: str
    name_en: str
    further: tuple[str, ...]
    key: str

    def select(self) -> sa.Select[Any]:
        names = dict.fromkeys(("id", self.name_th, self.name_en, *self.further, self.key))
        frozen = sa.table(self.table, *(sa.column(name) for name in names))
        return sa.select(frozen).order_by(frozen.c.id)


SUBJECTS = (
    Subject("province", "name_th", "name_en", ("code",), key="code"),
    Subject("city", "name_th", "name_en", ("slug",), key="slug"),
    Subject("project", "title_th", "title_en", ("slug",), key="slug"),
    Subject("organization", "name_th", "name_en", ("abbreviation", "slug"), key="slug"),
)


# Frozen on purpose: a copy of the application's folding (`db.search.fold` and `_document`)
# as it was when search was added. A later change to the app's folding must not rewrite what
# this revision does (re-folding existing documents would take a revision of its own), and an
# empty database, where most migrations start, has nothing to index anyway.
def fold(value: str) -> str:
    """Text as compared: case-folded, Latin accents removed, hyphens read as spaces, spaces
    collapsed; Thai vowel and tone marks kept (only marks after a Latin letter are dropped)."""
    decomposed = unicodedata.normalize("NFKD", value.casefold().replace("-", " "))
    kept: list[str] = []
    base_is_latin = False
    for char in decomposed:
        if unicodedata.combining(char):
            if base_is_latin:
                continue
        else:
            base_is_latin = char.isascii() or "LATIN" in unicodedata.name(char, "")
        kept.append(char)
    return " ".join(unicodedata.normalize("NFC", "".join(kept)).split())


def _document(subject: Subject, row: sa.RowMapping, now: datetime) -> dict[str, Any]:
    name_th, name_en = row[subject.name_th], row[subject.name_en]
    parts = [name_th, name_en, *(row[name] for name in subject.further)]
    return {
        "updated_at": now,
        "subject_type": subject.table,
        "subject_id": row["id"],
        "key": row[subject.key],
        "name_th": None if name_th is None else fold(name_th),
        "name_en": None if name_en is None else fold(name_en),
        "text": "\n".join(fold(part) for part in parts if part),
    }


def _index_existing_rows(connection: sa.Connection, search_document: sa.Table) -> None:
    now = datetime.now(UTC)
    for subject in SUBJECTS:
        rows = connection.execute(subject.select()).mappings()
        documents = [_document(subject, row, now) for row in rows]
        if documents:
            connection.execute(search_document.insert(), documents)


def upgrade() -> None:
    search_document = op.create_table(
        "search_document",
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subject_type", sa.String(length=32), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=120), nullable=False),
        sa.Column("name_th", sa.String(length=500), nullable=True),
        sa.Column("name_en", sa.String(length=500), nullable=True),
        sa.Column("text", sa.String(length=2000), nullable=False),
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
    _index_existing_rows(bind, search_document)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE search_fts")
    else:
        op.execute("DROP INDEX ix_search_document_text_trgm")
    op.drop_index(op.f("ix_search_document_updated_at"), table_name="search_document")
    op.drop_table("search_document")
