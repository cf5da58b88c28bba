from typing import Any

import sqlalchemy as sa
from sqlalchemy import Index
from sqlmodel import Field

from db.enums import AuditAction, EditChannel
from db.tables.base import Record, enum_type


class AuditEntry(Record, table=True):
    """One write to a published record: who made it, when (`updated_at`, set once), what the
    record was before and after (as its row in the downloads), through which channel, and why.

    Written in the same transaction as the write it records, and never changed afterwards:
    the API offers no way to edit or delete an entry.
    """

    __tablename__ = "audit_entry"
    __table_args__ = (Index("ix_audit_entry_subject", "subject_type", "subject_key"),)

    # The key that made the write; null for the command line (`smartcity seed`).
    actor_key_id: int | None = Field(default=None, foreign_key="api_key.id", index=True)
    # The key's name when it wrote (a key's name may change), or the command that did.
    actor_name: str = Field(max_length=200)
    action: AuditAction = Field(sa_type=enum_type(AuditAction))
    channel: EditChannel = Field(sa_type=enum_type(EditChannel))
    # The record's type and natural key, as in the change feed; null for a seed.
    subject_type: str | None = Field(default=None, max_length=32)
    subject_key: str | None = Field(default=None, max_length=120)
    before: dict[str, Any] | None = Field(default=None, sa_type=sa.JSON)
    after: dict[str, Any] | None = Field(default=None, sa_type=sa.JSON)
    reason: str | None = Field(default=None, max_length=1000)
