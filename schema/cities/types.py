from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

from db import queries
from db.enums import Certainty, CityStatus, CityType
from db.tables import City as CityRow
from schema.common import (
    GeoPoint,
    LangArgument,
    Language,
    Record,
    geo_point,
    in_language,
    load_one,
    load_related,
)
from schema.context import Info
from schema.dimensions.filters import DIMENSIONS
from schema.filters import UpdatedSince
from schema.investments.filters import INVESTMENTS, InvestmentFilterArg, InvestmentOrderArg
from schema.milestones.filters import MILESTONES, MilestoneFilterArg, MilestoneOrderArg
from schema.node import Node, encode_id
from schema.observations.filters import OBSERVATIONS, ObservationFilterArg, ObservationOrderArg
from schema.pagination import After, Before, Connection, First, Last, PageArgs, connection_from_list
from schema.projects.filters import PROJECTS, ProjectFilterArg, ProjectOrderArg
from schema.scalars import PartialDate, partial_date

if TYPE_CHECKING:
    from schema.dimensions.types import Dimension
    from schema.investments.types import Investment
    from schema.milestones.types import Milestone
    from schema.observations.types import Observation
    from schema.organizations.types import Organization
    from schema.projects.types import Project
    from schema.provinces.types import AscnMembership, Province


@strawberry.type(
    description=(
        "A smart-city area in the national programme (เมืองอัจฉริยะ): a whole province, a "
        "municipality or a district such as Samyan. Names are as printed by the sources; an "
        "English name is given only where an English source prints one."
    )
)
class City(Record, Node):
    table = "city"
    slug: str = strawberry.field(description="Stable identifier, e.g. `mae-moh`.")
    name_th: str | None = strawberry.field(description="Thai name as announced (ชื่อภาษาไทย).")
    name_en: str | None = strawberry.field(description="English name as printed, or null.")
    city_type: CityType | None = strawberry.field(description="Existing or new city, if known.")
    status: CityStatus = strawberry.field(description="Certification status (สถานะ).")
    certification_round: str | None = strawberry.field(
        description="Certification round, e.g. `2021-R1`, `2022-R2` (รอบการรับรอง)."
    )
    proposed_on: PartialDate | None = strawberry.field(description="When it was proposed.")
    certified_on: PartialDate | None = strawberry.field(
        description="When its plan or logo was approved, as precisely as the sources say."
    )
    location: GeoPoint | None = strawberry.field(
        description="A map point, where a source gives one."
    )
    certainty: Certainty = strawberry.field(
        description="How firmly the sources establish the area."
    )
    province_id: strawberry.Private[int]
    operator_id: strawberry.Private[int | None]

    @classmethod
    def from_row(cls, row: CityRow) -> City:
        assert row.id is not None
        return cls(
            id=encode_id("City", row.slug),
            db_id=row.id,
            updated_at=row.updated_at,
            slug=row.slug,
            name_th=row.name_th,
            name_en=row.name_en,
            city_type=row.city_type,
            status=row.status,
            certification_round=row.round,
            proposed_on=partial_date(row.proposed_on),
            certified_on=partial_date(row.certified_on),
            location=geo_point(row.latitude, row.longitude),
            certainty=row.certainty,
            province_id=row.province_id,
            operator_id=row.operator_id,
        )

    @classmethod
    async def load(cls, info: Info, key: str) -> City:
        return await load_one(
            info.context.loaders.city_by_slug, key, cls.from_row, "city with slug"
        )

    @strawberry.field(description="The name in the language asked for; null if no source names it.")
    def name(self, lang: LangArgument = Language.EN) -> str | None:
        return in_language(lang, self.name_th, self.name_en)

    @strawberry.field(description="The province the area lies in (จังหวัด).")
    async def province(
        self, info: Info
    ) -> Annotated[Province, strawberry.lazy("schema.provinces.types")]:
        from schema.provinces.types import Province

        related = await load_related(
            info.context.loaders.province_by_id, self.province_id, Province.from_row
        )
        assert related is not None  # a foreign key
        return related

    @strawberry.field(description="The organisation that runs the area's plan (ผู้ดำเนินการ).")
    async def operator(
        self, info: Info
    ) -> Annotated[Organization, strawberry.lazy("schema.organizations.types")] | None:
        from schema.organizations.types import Organization

        return await load_related(
            info.context.loaders.organization_by_id, self.operator_id, Organization.from_row
        )

    @strawberry.field(description="The smart dimensions the area's plan targets (มิติ).")
    async def dimensions(
        self, info: Info
    ) -> list[Annotated[Dimension, strawberry.lazy("schema.dimensions.types")]]:
        from schema.dimensions.types import Dimension

        rows = await info.context.loaders.dimensions_by_city_id.load(
            (self.db_id, DIMENSIONS.query(info, None, None, None))
        )
        return [Dimension.from_row(row) for row in rows]

    @strawberry.field(
        description="ASEAN Smart Cities Network membership of the area's province, if any."
    )
    async def ascn_membership(
        self, info: Info
    ) -> Annotated[AscnMembership, strawberry.lazy("schema.provinces.types")] | None:
        from schema.provinces.types import AscnMembership

        return await load_related(
            info.context.loaders.ascn_membership_by_province_id,
            self.province_id,
            AscnMembership.from_row,
        )

    @strawberry.field(description="Projects in the area's plan (โครงการ), by slug.")
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

        rows = await info.context.loaders.projects_by_city_id.load(
            (self.db_id, PROJECTS.query(info, where, order_by, updated_since))
        )
        return connection_from_list(rows, PageArgs(first, after, last, before), Project.from_row)

    @strawberry.field(description="Money invested in or budgeted for the area (การลงทุน).")
    async def investments(
        self,
        info: Info,
        where: InvestmentFilterArg = None,
        order_by: InvestmentOrderArg = None,
        updated_since: UpdatedSince = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Annotated[Investment, strawberry.lazy("schema.investments.types")]]:
        from schema.investments.types import Investment

        rows = await info.context.loaders.investments_by_city_id.load(
            (self.db_id, INVESTMENTS.query(info, where, order_by, updated_since))
        )
        return connection_from_list(rows, PageArgs(first, after, last, before), Investment.from_row)

    @strawberry.field(
        description="Dated steps of the area and its projects (หมุดหมาย), in calendar order."
    )
    async def milestones(
        self,
        info: Info,
        where: MilestoneFilterArg = None,
        order_by: MilestoneOrderArg = None,
        updated_since: UpdatedSince = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Annotated[Milestone, strawberry.lazy("schema.milestones.types")]]:
        from schema.milestones.types import Milestone

        rows = await info.context.loaders.milestones_by_city_id.load(
            (self.db_id, MILESTONES.query(info, where, order_by, updated_since))
        )
        return connection_from_list(rows, PageArgs(first, after, last, before), Milestone.from_row)

    @strawberry.field(
        description=(
            "Measured values for the area (progress, index scores, area, population), oldest "
            "first per indicator; history is kept, never overwritten."
        )
    )
    async def observations(
        self,
        info: Info,
        where: ObservationFilterArg = None,
        order_by: ObservationOrderArg = None,
        updated_since: UpdatedSince = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Annotated[Observation, strawberry.lazy("schema.observations.types")]]:
        from schema.observations.types import Observation

        rows = await info.context.loaders.observations_by_city_id.load(
            (self.db_id, OBSERVATIONS.query(info, where, order_by, updated_since))
        )
        return connection_from_list(
            rows, PageArgs(first, after, last, before), Observation.from_row
        )

    @strawberry.field(
        description=(
            "Percent complete of the area's plan over time (ความคืบหน้า), oldest first: the "
            "`PROGRESS_PERCENT` observations."
        )
    )
    async def progress(
        self, info: Info
    ) -> list[Annotated[Observation, strawberry.lazy("schema.observations.types")]]:
        from schema.observations.types import Observation

        history = queries.progress_history()
        rows = await info.context.loaders.observations_by_city_id.load((self.db_id, history))
        return [Observation.from_row(row) for row in rows]

    @strawberry.field(description="The most recent progress figure, or null where none is known.")
    async def latest_progress(
        self, info: Info
    ) -> Annotated[Observation, strawberry.lazy("schema.observations.types")] | None:
        history = await self.progress(info)
        return history[-1] if history else None
