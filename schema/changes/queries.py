"""The root change-feed field."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from schema.changes.types import Change, ChangesFirst, change_feed
from schema.context import Info
from schema.pagination import Connection


@strawberry.type
class ChangeQueries:
    @strawberry.field(
        description=(
            "The change feed (การเปลี่ยนแปลงข้อมูล): every create, update and delete of a "
            "published record, oldest first. To mirror the data, keep the `endCursor` of the "
            "feed's last page, take a snapshot, then read `changes(after: cursor)` from then "
            "on; deletions come as tombstones with the deleted record's ID."
        )
    )
    async def changes(
        self,
        info: Info,
        since: Annotated[
            datetime | None,
            strawberry.argument(description="Only changes at or after this time (UTC)."),
        ] = None,
        first: ChangesFirst = 100,
        after: Annotated[
            str | None,
            strawberry.argument(description="Resume after this cursor (an `endCursor`)."),
        ] = None,
    ) -> Connection[Change]:
        return await change_feed(info, since, first, after)
