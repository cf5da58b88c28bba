"""Root fields for smart-city areas."""

from __future__ import annotations

import strawberry

from db.tables import City as CityRow
from schema.cities.filters import CITIES
from schema.cities.types import City
from schema.common import Slug, load_one
from schema.connections import connection_field, lookup
from schema.context import Info


@strawberry.type
class CityQueries:
    cities = connection_field(
        "Smart-city areas in the programme (เมืองอัจฉริยะ), by slug.",
        City,
        CITIES,
        CityRow,
    )

    @strawberry.field(
        description="A smart-city area (เมืองอัจฉริยะ) by its slug, e.g. `mae-moh`.",
        metadata=lookup(City),
    )
    async def city(self, info: Info, slug: Slug) -> City | None:
        return await load_one(info, City, slug)
