from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

from db.enums import MilestoneStatus, MilestoneType
from db.tables import Milestone as MilestoneRow
from schema.common import Record, load_related, localized
from schema.context import Info
from schema.node import Node
from schema.scalars import PartialDate

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
    table = MilestoneRow
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

    title = localized("title_th", "title_en", "The title in the language asked for.")

    @strawberry.field(description="The project this step belongs to, if any.")
    async def project(
        self, info: Info
    ) -> Annotated[Project, strawberry.lazy("schema.projects.types")] | None:
        from schema.projects.types import Project

        return await load_related(info, Project, self.project_id)

    @strawberry.field(description="The smart-city area this step belongs to, if any.")
    async def city(
        self, info: Info
    ) -> Annotated[City, strawberry.lazy("schema.cities.types")] | None:
        from schema.cities.types import City

        return await load_related(info, City, self.city_id)

    @strawberry.field(
        description="The province of a province-level step tied to no single area, if any."
    )
    async def province(
        self, info: Info
    ) -> Annotated[Province, strawberry.lazy("schema.provinces.types")] | None:
        from schema.provinces.types import Province

        return await load_related(info, Province, self.province_id)
