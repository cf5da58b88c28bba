from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

from db.enums import MilestoneStatus, MilestoneType
from db.tables import Milestone as MilestoneRow
from schema.common import LangArgument, Language, Record, in_language, load_one, load_related
from schema.context import Info
from schema.node import Node, encode_id
from schema.scalars import PartialDate, partial_date

if TYPE_CHECKING:
    from schema.cities.types import City
    from schema.projects.types import Project
    from schema.provinces.types import Province


@strawberry.type(
    description=(
        "A dated step (หมุดหมาย) of a project, an area, a province or the whole programme, "
        "modelled on the Open Contracting milestone."
    )
)
class Milestone(Record, Node):
    table = "milestone"
    key: str = strawberry.field(description="Stable identifier.")
    title_en: str | None = strawberry.field(description="What happened or is planned, in English.")
    title_th: str | None = strawberry.field(description="The same in Thai, where printed.")
    type: MilestoneType | None = strawberry.field(description="Approval, delivery, …, if clear.")
    status: MilestoneStatus = strawberry.field(description="Scheduled, met, not met, …")
    due_on: PartialDate | None = strawberry.field(description="When it was planned for.")
    met_on: PartialDate | None = strawberry.field(description="When it happened.")
    project_id: strawberry.Private[int | None]
    city_id: strawberry.Private[int | None]
    province_id: strawberry.Private[int | None]

    @classmethod
    def from_row(cls, row: MilestoneRow) -> Milestone:
        assert row.id is not None
        return cls(
            id=encode_id("Milestone", row.key),
            db_id=row.id,
            updated_at=row.updated_at,
            key=row.key,
            title_en=row.title_en,
            title_th=row.title_th,
            type=row.type,
            status=row.status,
            due_on=partial_date(row.due_on),
            met_on=partial_date(row.met_on),
            project_id=row.project_id,
            city_id=row.city_id,
            province_id=row.province_id,
        )

    @classmethod
    async def load(cls, info: Info, key: str) -> Milestone:
        return await load_one(
            info.context.loaders.milestone_by_key, key, cls.from_row, "milestone with key"
        )

    @strawberry.field(description="The title in the language asked for.")
    def title(self, lang: LangArgument = Language.EN) -> str | None:
        return in_language(lang, self.title_th, self.title_en)

    @strawberry.field(description="The project this step belongs to, if any.")
    async def project(
        self, info: Info
    ) -> Annotated[Project, strawberry.lazy("schema.projects.types")] | None:
        from schema.projects.types import Project

        return await load_related(
            info.context.loaders.project_by_id, self.project_id, Project.from_row
        )

    @strawberry.field(description="The smart-city area this step belongs to, if any.")
    async def city(
        self, info: Info
    ) -> Annotated[City, strawberry.lazy("schema.cities.types")] | None:
        from schema.cities.types import City

        return await load_related(info.context.loaders.city_by_id, self.city_id, City.from_row)

    @strawberry.field(
        description="The province of a province-level step tied to no single area, if any."
    )
    async def province(
        self, info: Info
    ) -> Annotated[Province, strawberry.lazy("schema.provinces.types")] | None:
        from schema.provinces.types import Province

        return await load_related(
            info.context.loaders.province_by_id, self.province_id, Province.from_row
        )
