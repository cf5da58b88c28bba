"""Thai and English search over cities, provinces, projects and organisations.

Names are folded for matching (case and Latin accents dropped, Thai kept as written) into
`search_document`, which a flush hook (installed by `db.hooks.install`) keeps in step with
every ORM write; what is searchable, on which fields, is said in `db.entities`. A query
matches a document whose text contains it; the database's own index finds the candidates
(SQLite FTS5 with the trigram tokenizer, PostgreSQL pg_trgm) and the same SQL ranks them on
both, so both databases return the same results in the same order.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, case, delete, func, insert, literal, or_, text
from sqlalchemy.orm import Session
from sqlmodel import col, select

from db.access import Db
from db.entities import ENTITIES, Entity, Search
from db.tables import SearchDocument

# What is searchable, by model, in the order hits come when relevance ties.
SUBJECTS: dict[type[Any], tuple[Entity, Search]] = {
    entity.model: (entity, fields)
    for fields, entity in sorted(
        ((entity.search, entity) for entity in ENTITIES if entity.search is not None),
        key=lambda pair: pair[0].rank,
    )
}
TYPE_ORDER = {entity.table: position for position, (entity, _) in enumerate(SUBJECTS.values())}

# A trigram index only helps from three characters on; shorter queries scan.
TRIGRAM = 3


def fold(value: str) -> str:
    """Text as compared: case-folded, Latin accents removed, hyphens read as spaces (so a
    slug such as `chiang-mai-old-town` reads as words), spaces collapsed.

    Thai vowel and tone marks are combining characters too, but they are part of the word,
    so only marks that follow a Latin letter are dropped.
    """
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


def _document(row: Any) -> dict[str, Any]:
    entity, fields = SUBJECTS[type(row)]
    name_th, name_en = getattr(row, fields.name_th), getattr(row, fields.name_en)
    parts = [name_th, name_en, *(getattr(row, name) for name in fields.extra)]
    return {
        "subject_type": entity.table,
        "subject_id": row.id,
        "key": getattr(row, entity.key),
        "name_th": None if name_th is None else fold(name_th),
        "name_en": None if name_en is None else fold(name_en),
        "text": "\n".join(fold(part) for part in parts if part),
    }


def _insert(connection: Connection, rows: Iterable[Any]) -> None:
    documents = [_document(row) for row in rows]
    if documents:
        connection.execute(insert(SearchDocument), documents)


def _replace(connection: Connection, rows: Sequence[Any], removed: Sequence[Any]) -> None:
    for row in [*rows, *removed]:
        connection.execute(
            delete(SearchDocument).where(
                col(SearchDocument.subject_type) == str(row.__tablename__),
                col(SearchDocument.subject_id) == row.id,
            )
        )
    _insert(connection, rows)


def keep_documents_in_step(session: Session, _context: Any) -> None:
    """After a flush: rewrite the documents of every searchable row it wrote or deleted."""

    def searchable(rows: Iterable[Any]) -> list[Any]:
        return [row for row in rows if type(row) in SUBJECTS]

    written = searchable([*session.new, *session.dirty])
    removed = searchable(session.deleted)
    if written or removed:
        _replace(session.connection(), written, removed)


@dataclass(frozen=True)
class Hit:
    subject_type: str
    subject_id: int
    rank: int


def _like_escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _candidates(dialect: str, folded: str) -> Any:
    """Ids of documents containing `folded`, found through the database's own index."""
    contains = col(SearchDocument.text).like(f"%{_like_escape(folded)}%", escape="\\")
    if dialect == "sqlite" and len(folded) >= TRIGRAM:
        phrase = '"' + folded.replace('"', '""') + '"'
        indexed = text("SELECT rowid FROM search_fts WHERE search_fts MATCH :phrase").bindparams(
            phrase=phrase
        )
        # The trigram index narrows; LIKE keeps the exact same meaning as on PostgreSQL.
        return col(SearchDocument.id).in_(indexed) & contains
    return contains


def ranked(dialect: str, query: str, limit: int) -> tuple[Any, Any]:
    """The best `limit` matches of `query` (subject type and id, match tier, and position
    from 1), best first, and the statement counting every match. The compiler
    (`schema.compiled`) runs them as subqueries; `search` runs them as they are."""
    folded = fold(query)
    names = (col(SearchDocument.name_th), col(SearchDocument.name_en))
    escaped = _like_escape(folded)
    tier = case(
        (or_(*(name == folded for name in names)), 0),
        (or_(*(name.like(f"{escaped}%", escape="\\") for name in names)), 1),
        (or_(*(name.like(f"%{escaped}%", escape="\\") for name in names)), 2),
        else_=3,
    )
    type_order = case(
        *(
            (col(SearchDocument.subject_type) == name, position)
            for name, position in TYPE_ORDER.items()
        ),
        else_=len(TYPE_ORDER),
    )
    shortest = func.length(
        func.coalesce(col(SearchDocument.name_th), col(SearchDocument.name_en), literal(""))
    )
    matching = _candidates(dialect, folded)
    ordering = (tier, type_order, shortest, col(SearchDocument.key))
    hits = (
        select(
            col(SearchDocument.subject_type),
            col(SearchDocument.subject_id),
            tier.label("tier"),
            func.row_number().over(order_by=ordering).label("position"),
        )
        .where(matching)
        .order_by(*ordering)
        .limit(limit)
    )
    return hits, select(SearchDocument).where(matching)


async def search(db: Db, query: str, limit: int) -> tuple[Sequence[Hit], int]:
    """The best `limit` matches of `query`, ranked, and how many matched in all."""
    hits, matching = ranked(db.dialect, query, limit)
    rows = await db.rows(hits)
    total = await db.count(matching)
    return [
        Hit(subject_type, subject_id, rank) for subject_type, subject_id, rank, _ in rows
    ], total
