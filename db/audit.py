"""The audit trail: who wrote what, when, how and why. Entries are only ever added."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sql
from sqlalchemy import Row, func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from db.access import Db
from db.enums import AuditAction, EditChannel
from db.exports import plain
from db.loaders import columns
from db.tables import ApiKey, AuditEntry


@dataclass(frozen=True)
class Actor:
    """Who writes: an API key (its name and id), or a command run on the server."""

    name: str
    channel: EditChannel
    key_id: int | None = None


def as_json(record: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """A record as the audit keeps it: its row in the downloads, in JSON values."""
    return None if record is None else {name: plain(value) for name, value in record.items()}


def record(
    session: AsyncSession,
    actor: Actor,
    action: AuditAction,
    subject: tuple[str, str] | None = None,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
    reason: str | None = None,
) -> None:
    """Add an entry to the session's transaction: it lands with the write, or not at all."""
    subject_type, subject_key = subject or (None, None)
    session.add(
        AuditEntry(
            actor_key_id=actor.key_id,
            actor_name=actor.name,
            action=action,
            channel=actor.channel,
            subject_type=subject_type,
            subject_key=subject_key,
            before=as_json(before),
            after=as_json(after),
            reason=reason,
        )
    )


async def edits_since_seed(session: AsyncSession) -> Sequence[AuditEntry]:
    """The writes people have made since the fixtures were last loaded, oldest first."""
    last_seed = select(func.max(col(AuditEntry.id))).where(
        col(AuditEntry.action) == AuditAction.SEED
    )
    edits = (
        select(AuditEntry)
        .where(
            col(AuditEntry.action) != AuditAction.SEED,
            col(AuditEntry.id) > func.coalesce(last_seed.scalar_subquery(), 0),
        )
        .order_by(col(AuditEntry.id))
    )
    return (await session.exec(edits)).all()


@dataclass(frozen=True)
class AuditFilter:
    subject: tuple[str, str] | None = None  # (type name, natural key)
    actor: str | None = None  # a key's name
    since: datetime | None = None
    until: datetime | None = None


async def entries(
    db: Db, where: AuditFilter, after: int | None, limit: int
) -> tuple[Sequence[Row[Any]], int]:
    """Up to `limit` entries after sequence number `after`, oldest first, and how many the
    filter selects in all."""
    selected = sql.select(*columns(AuditEntry), col(ApiKey.prefix)).outerjoin(
        ApiKey, col(ApiKey.id) == col(AuditEntry.actor_key_id)
    )
    if where.subject is not None:
        selected = selected.where(
            col(AuditEntry.subject_type) == where.subject[0],
            col(AuditEntry.subject_key) == where.subject[1],
        )
    if where.actor is not None:
        selected = selected.where(col(AuditEntry.actor_name) == where.actor)
    if where.since is not None:
        selected = selected.where(col(AuditEntry.updated_at) >= where.since)
    if where.until is not None:
        selected = selected.where(col(AuditEntry.updated_at) < where.until)
    page = selected.order_by(col(AuditEntry.id)).limit(limit)
    if after is not None:
        page = page.where(col(AuditEntry.id) > after)
    return await db.rows(page), await db.count(selected)
