from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import strawberry
from sqlalchemy import Row

from db import changes
from db.enums import ChangeOperation
from schema.context import Info
from schema.errors import ApiError
from schema.node import Node, encode_id
from schema.pagination import (
    MAX_PAGE_SIZE,
    Connection,
    Edge,
    PageInfo,
    check_page_size,
    decode_cursor,
    encode_cursor,
)

FEED = "change"  # the kind of cursor: a sequence number in the feed


@strawberry.type(
    description=(
        "One create, update or delete of a published record (การเปลี่ยนแปลงข้อมูล). A "
        "deletion is a tombstone: it keeps the deleted record's type, key and global ID."
    )
)
class Change:
    sequence: int = strawberry.field(description="The change's place in the feed, ascending.")
    operation: ChangeOperation = strawberry.field(description="Create, update or delete.")
    changed_at: datetime = strawberry.field(description="When it happened (UTC).")
    type_name: str = strawberry.field(
        description=(
            "The record's GraphQL type, e.g. `City`; `CoverageNote` for a note on the data's "
            "gaps (`programme.coverageNotes`), which is not a Node."
        )
    )
    key: str = strawberry.field(description="The record's natural key, e.g. a city slug.")
    id: strawberry.ID = strawberry.field(
        description="The record's global ID, also for a deleted record."
    )

    @strawberry.field(
        description="The record as it is now; null once it has been deleted, or if not a Node."
    )
    async def node(self, info: Info) -> Node | None:
        from schema.nodes import load_node

        try:
            return await load_node(info, self.type_name, self.key)
        except ApiError:
            return None

    @classmethod
    def from_row(cls, row: Row[Any]) -> Change:
        assert row.id is not None
        return cls(
            sequence=row.id,
            operation=ChangeOperation(row.operation),
            changed_at=row.updated_at,
            type_name=row.subject_type,
            key=row.subject_key,
            id=encode_id(row.subject_type, row.subject_key),
        )


async def change_feed(
    info: Info, since: datetime | None, first: int, after: str | None
) -> Connection[Change]:
    check_page_size("first", first)
    start = None if after is None else decode_cursor(after, FEED)
    # One extra row tells whether another page follows.
    rows, total = await changes.feed(info.context.db, since, start, first + 1)
    page = [Change.from_row(row) for row in rows[:first]]
    edges = [Edge(cursor=encode_cursor(change.sequence, FEED), node=change) for change in page]
    return Connection(
        edges=edges,
        nodes=page,
        page_info=PageInfo(
            has_next_page=len(rows) > first,
            has_previous_page=start is not None,
            start_cursor=edges[0].cursor if edges else None,
            # An empty page keeps the cursor it was asked from, so a client can resume there.
            end_cursor=edges[-1].cursor if edges else after,
        ),
        total_count=total,
    )


ChangesFirst = Annotated[
    int, strawberry.argument(description=f"How many changes (1 to {MAX_PAGE_SIZE}).")
]
