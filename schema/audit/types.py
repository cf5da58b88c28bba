"""The audit trail in the API: every write, for admins only."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import strawberry
from sqlalchemy import Row
from strawberry.scalars import JSON

from db import audit
from db.enums import AuditAction, EditChannel
from schema.context import Info
from schema.errors import ApiError
from schema.node import Node, decode_id, encode_id
from schema.pagination import (
    MAX_PAGE_SIZE,
    Connection,
    check_page_size,
    decode_cursor,
    sequence_page,
)

TRAIL = "audit"  # the kind of cursor: a sequence number in the audit trail


@strawberry.type(
    description=(
        "One write to a published record (บันทึกการแก้ไข): who made it, when, through which "
        "channel, why, and the record before and after, each as its row in the downloads. "
        "Entries are only ever added."
    )
)
class AuditEntry:
    sequence: int = strawberry.field(description="The entry's place in the trail, ascending.")
    recorded_at: datetime = strawberry.field(description="When the write was made (UTC).")
    action: AuditAction = strawberry.field(description="What the write did.")
    channel: EditChannel = strawberry.field(description="How it reached the database.")
    actor_name: str = strawberry.field(
        description="The name of the key that wrote, when it wrote; or the command."
    )
    actor_key: str | None = strawberry.field(
        description="The prefix of the key that wrote (as `smartcity keys list` shows it); "
        "null for a command run on the server."
    )
    type_name: str | None = strawberry.field(
        description="The record's GraphQL type, e.g. `City`; null for a seed."
    )
    key: str | None = strawberry.field(description="The record's natural key.")
    id: strawberry.ID | None = strawberry.field(
        description="The record's global ID, also once it has been deleted."
    )
    before: JSON | None = strawberry.field(
        description="The record before the write (null for a creation)."
    )
    after: JSON | None = strawberry.field(
        description="The record after the write (null for a deletion)."
    )
    reason: str | None = strawberry.field(description="Why, as the editor said.")

    @strawberry.field(description="The record as it is now; null once deleted.")
    async def node(self, info: Info) -> Node | None:
        from schema.nodes import load_node

        if self.type_name is None or self.key is None:
            return None
        try:
            return await load_node(info, self.type_name, self.key)
        except ApiError:
            return None

    @classmethod
    def from_row(cls, row: Row[Any]) -> AuditEntry:
        subject = None
        if row.subject_type is not None and row.subject_key is not None:
            subject = encode_id(row.subject_type, row.subject_key)
        return cls(
            sequence=row.id,
            recorded_at=row.updated_at,
            action=AuditAction(row.action),
            channel=EditChannel(row.channel),
            actor_name=row.actor_name,
            actor_key=row.prefix,
            type_name=row.subject_type,
            key=row.subject_key,
            id=subject,
            before=row.before,
            after=row.after,
            reason=row.reason,
        )


async def audit_trail(
    info: Info,
    where: audit.AuditFilter,
    first: int,
    after: str | None,
) -> Connection[AuditEntry]:
    check_page_size("first", first)
    start = None if after is None else decode_cursor(after, TRAIL)
    rows, total = await audit.entries(info.context.db, where, start, first + 1)
    return sequence_page(rows, first, after, TRAIL, total, AuditEntry.from_row)


def subject_of(global_id: str | None) -> tuple[str, str] | None:
    return None if global_id is None else decode_id(global_id)


AuditFirst = Annotated[
    int, strawberry.argument(description=f"How many entries (1 to {MAX_PAGE_SIZE}).")
]
