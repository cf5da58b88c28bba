from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

from db import queries
from db.enums import Certainty, Currency, ProjectStatus
from db.tables import Project as ProjectRow
from schema.common import LangArgument, Language, Money, Record, in_language, load_one, load_related
from schema.context import Info
from schema.dimensions.filters import DIMENSIONS
from schema.filters import UpdatedSince
from schema.investments.filters import INVESTMENTS, InvestmentFilterArg, InvestmentOrderArg
from schema.milestones.filters import MILESTONES, MilestoneFilterArg, MilestoneOrderArg
from schema.node import Node, encode_id
from schema.observations.filters import OBSERVATIONS, ObservationFilterArg, ObservationOrderArg
from schema.pagination import After, Before, Connection, First, Last, PageArgs, connection_from_list
from schema.scalars import PartialDate, partial_date

if TYPE_CHECKING:
    from schema.cities.types import City
    from schema.dimensions.types import Dimension
    from schema.investments.types import Investment
    from schema.milestones.types import Milestone
    from schema.observations.types import Observation
    from schema.organizations.types import Organization
    from schema.provinces.types import Province


@strawberry.type(
    description=(
        "A project in a smart-city area's plan (โครงการ), or a province-level smart-city "
        "project tied to no single area. Titles as printed by the sources."
    )
)
class Project(Record, Node):
    table = "project"
    slug: str = strawberry.field(description="Stable identifier.")
    title_th: str | None = strawberry.field(description="Thai title as printed (ชื่อโครงการ).")
    title_en: str | None = strawberry.field(description="English title as printed, or null.")
    status: ProjectStatus | None = strawberry.field(description="Planned, in progress, …")
    start_on: PartialDate | None = strawberry.field(description="When it started or starts.")
    end_on: PartialDate | None = strawberry.field(description="When it ended or is due to end.")
    budget: Money | None = strawberry.field(description="Its budget in baht (งบประมาณ).")
    is_headline: bool = strawberry.field(
        description="True for the certified area's plan itself rather than a sub-project."
    )
    certainty: Certainty = strawberry.field(description="How firmly the sources establish it.")
    city_id: strawberry.Private[int | None]
    province_id: strawberry.Private[int]
    operator_id: strawberry.Private[int | None]

    @classmethod
    def from_row(cls, row: ProjectRow) -> Project:
        assert row.id is not None
        return cls(
            id=encode_id("Project", row.slug),
            db_id=row.id,
            updated_at=row.updated_at,
            slug=row.slug,
            title_th=row.title_th,
            title_en=row.title_en,
            status=row.status,
            start_on=partial_date(row.start_on),
            end_on=partial_date(row.end_on),
            budget=None if row.budget is None else Money(amount=row.budget, currency=Currency.THB),
            is_headline=row.is_headline,
            certainty=row.certainty,
            city_id=row.city_id,
            province_id=row.province_id,
            operator_id=row.operator_id,
        )

    @classmethod
    async def load(cls, info: Info, key: str) -> Project:
        return await load_one(
            info.context.loaders.project_by_slug, key, cls.from_row, "project with slug"
        )

    @strawberry.field(description="The title in the language asked for; null if none printed.")
    def title(self, lang: LangArgument = Language.EN) -> str | None:
        return in_language(lang, self.title_th, self.title_en)

    @strawberry.field(description="The smart-city area, or null for a province-level project.")
    async def city(
        self, info: Info
    ) -> Annotated[City, strawberry.lazy("schema.cities.types")] | None:
        from schema.cities.types import City

        return await load_related(info.context.loaders.city_by_id, self.city_id, City.from_row)

    @strawberry.field(description="The province the project is in.")
    async def province(
        self, info: Info
    ) -> Annotated[Province, strawberry.lazy("schema.provinces.types")]:
        from schema.provinces.types import Province

        related = await load_related(
            info.context.loaders.province_by_id, self.province_id, Province.from_row
        )
        assert related is not None  # a foreign key
        return related

    @strawberry.field(description="The organisation that runs it (ผู้ดำเนินการ).")
    async def operator(
        self, info: Info
    ) -> Annotated[Organization, strawberry.lazy("schema.organizations.types")] | None:
        from schema.organizations.types import Organization

        return await load_related(
            info.context.loaders.organization_by_id, self.operator_id, Organization.from_row
        )

    @strawberry.field(description="The smart dimensions it works on (มิติ).")
    async def dimensions(
        self, info: Info
    ) -> list[Annotated[Dimension, strawberry.lazy("schema.dimensions.types")]]:
        from schema.dimensions.types import Dimension

        rows = await info.context.loaders.dimensions_by_project_id.load(
            (self.db_id, DIMENSIONS.query(info, None, None, None))
        )
        return [Dimension.from_row(row) for row in rows]

    @strawberry.field(description="Its dated steps (หมุดหมาย), in calendar order.")
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

        rows = await info.context.loaders.milestones_by_project_id.load(
            (self.db_id, MILESTONES.query(info, where, order_by, updated_since))
        )
        return connection_from_list(rows, PageArgs(first, after, last, before), Milestone.from_row)

    @strawberry.field(description="Money invested in it (การลงทุน).")
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

        rows = await info.context.loaders.investments_by_project_id.load(
            (self.db_id, INVESTMENTS.query(info, where, order_by, updated_since))
        )
        return connection_from_list(rows, PageArgs(first, after, last, before), Investment.from_row)

    @strawberry.field(description="Measured values for the project, e.g. its progress over time.")
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

        rows = await info.context.loaders.observations_by_project_id.load(
            (self.db_id, OBSERVATIONS.query(info, where, order_by, updated_since))
        )
        return connection_from_list(
            rows, PageArgs(first, after, last, before), Observation.from_row
        )

    @strawberry.field(
        description=(
            "Percent complete of the project over time (ความคืบหน้า), oldest first: its "
            "`PROGRESS_PERCENT` observations."
        )
    )
    async def progress(
        self, info: Info
    ) -> list[Annotated[Observation, strawberry.lazy("schema.observations.types")]]:
        from schema.observations.types import Observation

        history = queries.progress_history()
        rows = await info.context.loaders.observations_by_project_id.load((self.db_id, history))
        return [Observation.from_row(row) for row in rows]
