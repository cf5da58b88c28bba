from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import strawberry
from sqlalchemy import Row
from strawberry.scalars import JSON

from db import changes
from db.enums import ChangeOperation
from schema.changes.records import PageRecords
from schema.context import Info
from schema.errors import ApiError
from schema.node import Node, encode_id
from schema.pagination import (
    MAX_PAGE_SIZE,
    Connection,
    check_page_size,
    decode_cursor,
    sequence_page,
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
            "gaps (`programme.coverage`, keyed by the note's `key`), which is not a Node."
        )
    )
    key: str = strawberry.field(description="The record's natural key, e.g. a city slug.")
    id: strawberry.ID = strawberry.field(
        description="The record's global ID, also for a deleted record."
    )
    page: strawberry.Private[PageRecords]

    @strawberry.field(
        description="The record as it is now; null once it has been deleted, or if not a Node."
    )
    async def node(self, info: Info) -> Node | None:
        from schema.nodes import load_node

        try:
            return await load_node(info, self.type_name, self.key)
        except ApiError:
            return None

    @strawberry.field(
        description=(
            "The record as it is now, as a row of its download file (the JSON Lines one: "
            "related records by natural key, lists of keys, `sources`, `updatedAt` as "
            "`updated_at`); null once it has been deleted. All a mirror needs to apply the "
            "change (`smartcity mirror`); read for the whole page at once."
        )
    )
    async def record(self) -> JSON | None:
        found = await self.page.get(self.type_name, self.key)
        return None if found is None else JSON(found)

    @classmethod
    def from_row(cls, row: Row[Any], page: PageRecords) -> Change:
        assert row.id is not None
        return cls(
            sequence=row.id,
            operation=ChangeOperation(row.operation),
            changed_at=row.updated_at,
            type_name=row.subject_type,
            key=row.subject_key,
            id=encode_id(row.subject_type, row.subject_key),
            page=page,
        )


async def change_feed(
    info: Info, since: datetime | None, first: int, after: str | None
) -> Connection[Change]:
    check_page_size("first", first)
    start = None if after is None else decode_cursor(after, FEED)
    rows, total = await changes.feed(info.context.db, since, start, first + 1)
    page = PageRecords(
        info.context.db, [(row.subject_type, row.subject_key) for row in rows[:first]]
    )
    return sequence_page(rows, first, after, FEED, total, lambda row: Change.from_row(row, page))


ChangesFirst = Annotated[
    int, strawberry.argument(description=f"How many changes (1 to {MAX_PAGE_SIZE}).")
]
