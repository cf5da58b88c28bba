"""Root fields for provinces."""

from __future__ import annotations

import strawberry

from db.tables import Province as ProvinceRow
from schema.common import Code, load_one
from schema.connections import connection_field, lookup
from schema.context import Info
from schema.provinces.filters import PROVINCES
from schema.provinces.types import Province


@strawberry.type
class ProvinceQueries:
    provinces = connection_field(
        "Thailand's 77 provinces (จังหวัด), by ISO code.",
        Province,
        PROVINCES,
        ProvinceRow,
    )

    @strawberry.field(
        description="A province (จังหวัด) by its ISO 3166-2 code, e.g. `TH-50`.",
        metadata=lookup(Province),
    )
    async def province(self, info: Info, code: Code) -> Province | None:
        return await load_one(info, Province, code)
