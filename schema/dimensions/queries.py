"""Root fields for the seven smart dimensions."""

from __future__ import annotations

import strawberry

from db import queries
from schema.common import Code, load_one
from schema.connections import lookup
from schema.context import Info
from schema.dimensions.types import Dimension
from schema.filters import UpdatedSince


@strawberry.type
class DimensionQueries:
    @strawberry.field(description="The seven smart dimensions (มิติเมืองอัจฉริยะ 7 ด้าน).")
    async def dimensions(self, info: Info, updated_since: UpdatedSince = None) -> list[Dimension]:
        rows = await queries.dimensions(info.context.db, updated_since)
        return [Dimension.from_row(row) for row in rows]

    @strawberry.field(
        description="A smart dimension (มิติ) by its code, e.g. `MOBILITY`.",
        metadata=lookup(Dimension),
    )
    async def dimension(self, info: Info, code: Code) -> Dimension | None:
        return await load_one(info, Dimension, code)
