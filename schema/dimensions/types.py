from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

from db.tables import Dimension as DimensionRow
from schema.cities.filters import CITIES, CityFilterArg, CityOrderArg
from schema.common import LangArgument, Language, Record, in_language, load_one
from schema.context import Info
from schema.filters import UpdatedSince
from schema.node import Node, encode_id
from schema.pagination import After, Before, Connection, First, Last, PageArgs, connection_from_list
from schema.projects.filters import PROJECTS, ProjectFilterArg, ProjectOrderArg

if TYPE_CHECKING:
    from schema.cities.types import City
    from schema.projects.types import Project


@strawberry.type(
    description=(
        "One of the programme's seven smart dimensions (มิติเมืองอัจฉริยะ 7 ด้าน): ENVIRONMENT, "
        "ECONOMY, MOBILITY, ENERGY, PEOPLE, LIVING, GOVERNANCE."
    )
)
class Dimension(Record, Node):
    table = "dimension"
    code: str = strawberry.field(description="Stable code, e.g. `MOBILITY`.")
    name_en: str = strawberry.field(description="English name, e.g. Smart Mobility.")
    name_th: str = strawberry.field(description="Thai name (ชื่อภาษาไทย).")
    alt_names_th: list[str] = strawberry.field(description="Other Thai names in use.")

    @classmethod
    def from_row(cls, row: DimensionRow) -> Dimension:
        assert row.id is not None
        return cls(
            id=encode_id("Dimension", row.code),
            db_id=row.id,
            updated_at=row.updated_at,
            code=row.code,
            name_en=row.name_en,
            name_th=row.name_th,
            alt_names_th=list(row.alt_names_th),
        )

    @classmethod
    async def load(cls, info: Info, key: str) -> Dimension:
        return await load_one(
            info.context.loaders.dimension_by_code, key, cls.from_row, "dimension with code"
        )

    @strawberry.field(description="The name in the language asked for.")
    def name(self, lang: LangArgument = Language.EN) -> str:
        return in_language(lang, self.name_th, self.name_en) or self.name_en

    @strawberry.field(description="Areas whose plan targets this dimension, by slug.")
    async def cities(
        self,
        info: Info,
        where: CityFilterArg = None,
        order_by: CityOrderArg = None,
        updated_since: UpdatedSince = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Annotated[City, strawberry.lazy("schema.cities.types")]]:
        from schema.cities.types import City

        rows = await info.context.loaders.cities_by_dimension_id.load(
            (self.db_id, CITIES.query(info, where, order_by, updated_since))
        )
        return connection_from_list(rows, PageArgs(first, after, last, before), City.from_row)

    @strawberry.field(description="Projects working on this dimension, by slug.")
    async def projects(
        self,
        info: Info,
        where: ProjectFilterArg = None,
        order_by: ProjectOrderArg = None,
        updated_since: UpdatedSince = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Annotated[Project, strawberry.lazy("schema.projects.types")]]:
        from schema.projects.types import Project

        rows = await info.context.loaders.projects_by_dimension_id.load(
            (self.db_id, PROJECTS.query(info, where, order_by, updated_since))
        )
        return connection_from_list(rows, PageArgs(first, after, last, before), Project.from_row)
