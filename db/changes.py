"""The change feed: every create, update and delete of a published record, in order.

A flush hook writes a `change` row for each, in the same transaction as the write itself, so
the feed never misses a change that happened and never shows one that was rolled back.
Link rows (a city's dimensions, a record's citations, a province's ASCN membership) belong to
their parent: adding or removing one moves the parent's `updated_at` and counts as an update
of the parent, so `updatedSince` and the feed both see it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import event, func, insert
from sqlalchemy.orm import Session
from sqlmodel import col, select

from db.access import Db
from db.enums import ChangeOperation
from db.tables import (
    AscnMembership,
    Change,
    Citation,
    City,
    CityDimension,
    Dimension,
    Investment,
    Milestone,
    Observation,
    Organization,
    ProgrammePhase,
    ProgrammePhaseProvince,
    Project,
    ProjectDimension,
    Province,
    Source,
)
from db.types import utcnow

# Published records: the GraphQL type each is, and its natural key (global IDs use both).
PUBLISHED: dict[type[Any], tuple[str, str]] = {
    Province: ("Province", "code"),
    City: ("City", "slug"),
    Dimension: ("Dimension", "code"),
    Organization: ("Organization", "slug"),
    Project: ("Project", "slug"),
    Investment: ("Investment", "key"),
    Milestone: ("Milestone", "key"),
    Observation: ("Observation", "key"),
    Source: ("Source", "key"),
    ProgrammePhase: ("ProgrammePhase", "key"),
}
BY_TABLE = {str(model.__tablename__): model for model in PUBLISHED}

# Link rows and the parent they belong to: (parent model, attribute holding the parent's id).
LINKS: dict[type[Any], tuple[type[Any], str]] = {
    CityDimension: (City, "city_id"),
    ProjectDimension: (Project, "project_id"),
    ProgrammePhaseProvince: (ProgrammePhase, "phase_id"),
    AscnMembership: (Province, "province_id"),
}


def _parent(session: Session, row: Any) -> Any:
    """The published record a link row (or citation) belongs to, or None."""
    if isinstance(row, Citation):
        model = BY_TABLE.get(row.subject_type)
        return None if model is None else session.get(model, row.subject_id)
    link = LINKS.get(type(row))
    if link is None:
        return None
    model, attribute = link
    return session.get(model, getattr(row, attribute))


@event.listens_for(Session, "before_flush")
def _touch_parents(session: Session, _context: Any, _instances: Any) -> None:
    """A changed link row changes its parent: move the parent's `updated_at`."""
    with session.no_autoflush:
        for row in [*session.new, *session.dirty, *session.deleted]:
            if type(row) in PUBLISHED:
                continue
            parent = _parent(session, row)
            if parent is not None and parent not in session.deleted:
                parent.updated_at = utcnow()


def _entries(rows: Iterable[Any], operation: ChangeOperation) -> list[dict[str, Any]]:
    now = utcnow()
    entries = []
    for row in rows:
        subject_type, key = PUBLISHED[type(row)]
        entries.append(
            {
                "subject_type": subject_type,
                "subject_key": str(getattr(row, key)),
                "operation": operation,
                "updated_at": now,
            }
        )
    return entries


@event.listens_for(Session, "after_flush")
def _record_changes(session: Session, _context: Any) -> None:
    def published(rows: Iterable[Any]) -> list[Any]:
        return [row for row in rows if type(row) in PUBLISHED]

    updated = [row for row in published(session.dirty) if session.is_modified(row)]
    entries = [
        *_entries(published(session.new), ChangeOperation.CREATE),
        *_entries(updated, ChangeOperation.UPDATE),
        *_entries(published(session.deleted), ChangeOperation.DELETE),
    ]
    if entries:
        session.connection().execute(insert(Change), entries)


async def data_version(db: Db) -> int:
    """The newest change's sequence number: it moves whenever any published data changes."""
    rows = await db.all(select(func.max(col(Change.id))))
    return rows[0] or 0


async def feed(
    db: Db, since: datetime | None, after: int | None, limit: int
) -> tuple[Sequence[Change], int]:
    """Up to `limit` changes after sequence number `after`, oldest first, and how many
    changes there are since `since` in all."""
    window = select(Change)
    if since is not None:
        window = window.where(col(Change.updated_at) >= since)
    page = window.order_by(col(Change.id)).limit(limit)
    if after is not None:
        page = page.where(col(Change.id) > after)
    return await db.all(page), await db.count(window)
