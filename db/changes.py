"""The change feed: every create, update and delete of a published record, in order.

A flush hook (installed by `db.hooks.install`) writes a `change` row for each, in the same
transaction as the write itself, so the feed never misses a change that happened and never
shows one that was rolled back. Every entity of `db.entities.ENTITIES` is published.
Link rows (a city's dimensions, a record's citations, a province's ASCN membership) belong to
their parent: adding or removing one moves the parent's `updated_at` and counts as an update
of the parent, so `updatedSince` and the feed both see it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Row, func, insert
from sqlalchemy.orm import Session
from sqlmodel import col, select

from db.access import Db, Fixed
from db.entities import ENTITIES, Entity
from db.enums import ChangeOperation
from db.loaders import columns
from db.tables import Change, Citation
from db.types import utcnow

_PUBLISHED = {entity.model: entity for entity in ENTITIES}
_BY_TABLE = {entity.table: entity.model for entity in _PUBLISHED.values()}
# Link and side rows and the record they belong to: (its model, the column holding its id).
_OWNERS: dict[type[Any], tuple[type[Any], str]] = {
    part: (entity.model, entity.column_to(part))
    for entity in _PUBLISHED.values()
    for part in [*(link.model for link in entity.links), *(side.model for side in entity.sides)]
}


def _parent(session: Session, row: Any) -> Any:
    """The published record a link row (or citation) belongs to, or None."""
    if isinstance(row, Citation):
        model = _BY_TABLE.get(row.subject_type)
        return None if model is None else session.get(model, row.subject_id)
    owner = _OWNERS.get(type(row))
    if owner is None:
        return None
    model, column = owner
    return session.get(model, getattr(row, column))


def _created(session: Session) -> set[Any]:
    """The published rows the session's current transaction has inserted, as (type, id)."""
    transaction = session.get_transaction()
    owner, rows = session.info.get(_CREATED, (None, set()))
    if owner is not transaction:
        rows = set()
        session.info[_CREATED] = (transaction, rows)
    created: set[Any] = rows
    return created


_CREATED = "smartcity.created"


def touch_parents(session: Session, _context: Any, _instances: Any) -> None:
    """Before a flush: a changed link row changes its parent, so move the parent's
    `updated_at`. Not for a parent created in the same transaction: its links are part of
    its creation, one change in the feed."""
    created = _created(session)
    with session.no_autoflush:
        for row in [*session.new, *session.dirty, *session.deleted]:
            if type(row) in _PUBLISHED:
                continue
            parent = _parent(session, row)
            if parent is None or parent in session.deleted:
                continue
            if (type(parent), parent.id) not in created:
                parent.updated_at = utcnow()


def _entries(rows: Iterable[Any], operation: ChangeOperation) -> list[dict[str, Any]]:
    now = utcnow()
    entries = []
    for row in rows:
        entity: Entity = _PUBLISHED[type(row)]
        entries.append(
            {
                "subject_type": entity.type_name,
                "subject_key": str(getattr(row, entity.key)),
                "operation": operation,
                "updated_at": now,
            }
        )
    return entries


def record_changes(session: Session, _context: Any) -> None:
    """After a flush: a change row for every published record it created, updated or
    deleted, written in the flush's own transaction."""

    def published(rows: Iterable[Any]) -> list[Any]:
        return [row for row in rows if type(row) in _PUBLISHED]

    _created(session).update((type(row), row.id) for row in published(session.new))
    updated = [row for row in published(session.dirty) if session.is_modified(row)]
    entries = [
        *_entries(published(session.new), ChangeOperation.CREATE),
        *_entries(updated, ChangeOperation.UPDATE),
        *_entries(published(session.deleted), ChangeOperation.DELETE),
    ]
    if entries:
        session.connection().execute(insert(Change), entries)


_NEWEST = Fixed(select(func.max(col(Change.id))))


async def data_version(db: Db) -> int:
    """The newest change's sequence number: it moves whenever any published data changes."""
    newest: int | None = await db.value(_NEWEST.statement, _NEWEST.rendered(db.sql_dialect))
    return newest or 0


async def feed(
    db: Db, since: datetime | None, after: int | None, limit: int
) -> tuple[Sequence[Row[Any]], int]:
    """Up to `limit` changes after sequence number `after`, oldest first, and how many
    changes there are since `since` in all."""
    window = select(*columns(Change))
    if since is not None:
        window = window.where(col(Change.updated_at) >= since)
    page = window.order_by(col(Change.id)).limit(limit)
    if after is not None:
        page = page.where(col(Change.id) > after)
    return await db.rows(page), await db.count(window)
