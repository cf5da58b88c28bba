"""The root `Query`: each domain's root fields plus Relay's `node` and `nodes`."""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Annotated, Any

import strawberry

from db import queries
from db.enums import Currency
from db.tables import City as CityRow
from db.tables import Investment as InvestmentRow
from db.tables import Milestone as MilestoneRow
from db.tables import Observation as ObservationRow
from db.tables import Organization as OrganizationRow
from db.tables import Project as ProjectRow
from db.tables import Province as ProvinceRow
from db.tables import Source as SourceRow
from schema.changes.types import Change, ChangesFirst, change_feed
from schema.cities.filters import CITIES, CityFilterArg, CityOrderArg
from schema.cities.types import City
from schema.common import Source
from schema.context import Info
from schema.dimensions.types import Dimension
from schema.errors import ApiError, InvalidArgumentError, InvalidIdError
from schema.filters import UpdatedSince
from schema.investments.filters import INVESTMENTS, InvestmentFilterArg, InvestmentOrderArg
from schema.investments.types import Investment
from schema.milestones.filters import MILESTONES, MilestoneFilterArg, MilestoneOrderArg
from schema.milestones.types import Milestone
from schema.node import Node, decode_id
from schema.observations.filters import OBSERVATIONS, ObservationFilterArg, ObservationOrderArg
from schema.observations.types import Observation
from schema.organizations.filters import ORGANIZATIONS, OrganizationFilterArg, OrganizationOrderArg
from schema.organizations.types import Organization
from schema.pagination import (
    MAX_PAGE_SIZE,
    After,
    Before,
    Connection,
    First,
    Last,
    PageArgs,
    connection_from_query,
)
from schema.programme.types import Programme, ProgrammePhase
from schema.projects.filters import PROJECTS, ProjectFilterArg, ProjectOrderArg
from schema.projects.types import Project
from schema.provinces.filters import PROVINCES, ProvinceFilterArg, ProvinceOrderArg
from schema.provinces.types import Province
from schema.search.types import SearchResults, run_search
from schema.sources.filters import SOURCES, SourceFilterArg, SourceOrderArg
from schema.summaries.types import (
    CityGrouping,
    CityRanking,
    CitySummary,
    FirstRanked,
    InvestmentGrouping,
    InvestmentSummary,
    ProgressSummary,
    city_ranking,
    city_summary,
    investment_summary,
    progress_summary,
)

# Every Node type, so `node(id:)` can find the type an ID names.
NODE_TYPES: dict[str, Any] = {
    cls.__name__: cls
    for cls in (
        City,
        Dimension,
        Investment,
        Milestone,
        Observation,
        Organization,
        ProgrammePhase,
        Project,
        Province,
        Source,
    )
}


async def load_node(info: Info, type_name: str, key: str) -> Node:
    """A record by type name and natural key, or NOT_FOUND / INVALID_ID."""
    node_type = NODE_TYPES.get(type_name)
    if node_type is None:
        raise InvalidIdError(f"no type {type_name!r}")
    node: Node = await node_type.load(info, key)
    return node


async def _node(info: Info, global_id: str) -> Node:
    type_name, key = decode_id(global_id)
    if type_name not in NODE_TYPES:
        raise InvalidIdError(f"{global_id!r} is not a valid global ID")
    return await load_node(info, type_name, key)


Id = Annotated[strawberry.ID, strawberry.argument(description="A global ID.")]


@strawberry.type
class NodeQueries:
    @strawberry.field(description="Fetch any object by its global ID (Relay).")
    async def node(self, info: Info, id: Id) -> Node | None:
        return await _node(info, id)

    @strawberry.field(
        description=(
            f"Fetch up to {MAX_PAGE_SIZE} objects by global ID, in the order given; an unknown "
            "ID gives null at its place and an error naming it."
        )
    )
    async def nodes(
        self,
        info: Info,
        ids: Annotated[list[strawberry.ID], strawberry.argument(description="Global IDs.")],
    ) -> list[Node | None]:
        if len(ids) > MAX_PAGE_SIZE:
            raise InvalidArgumentError(f"at most {MAX_PAGE_SIZE} ids at once, got {len(ids)}")

        async def one(global_id: str) -> Any:
            try:
                return await _node(info, global_id)
            except ApiError as error:
                # graphql-core reports an Exception in a list at that item's path.
                return error

        # Together, so each type's loader fetches all its IDs in one statement.
        return list(await asyncio.gather(*(one(global_id) for global_id in ids)))


Code = Annotated[str, strawberry.argument(description="The code, e.g. `TH-10` or `MOBILITY`.")]
Slug = Annotated[str, strawberry.argument(description="The stable slug.")]


@strawberry.type
class DomainQueries:
    @strawberry.field(description="Thailand's 77 provinces (จังหวัด), by ISO code.")
    async def provinces(
        self,
        info: Info,
        where: ProvinceFilterArg = None,
        order_by: ProvinceOrderArg = None,
        updated_since: UpdatedSince = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Province]:
        query = PROVINCES.query(info, where, order_by, updated_since)
        return await connection_from_query(
            info,
            queries.listing(ProvinceRow, query),
            PageArgs(first, after, last, before),
            Province.from_row,
        )

    @strawberry.field(description="A province (จังหวัด) by its ISO 3166-2 code, e.g. `TH-50`.")
    async def province(self, info: Info, code: Code) -> Province | None:
        return await Province.load(info, code)

    @strawberry.field(description="Smart-city areas in the programme (เมืองอัจฉริยะ), by slug.")
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
    ) -> Connection[City]:
        query = CITIES.query(info, where, order_by, updated_since)
        return await connection_from_query(
            info,
            queries.listing(CityRow, query),
            PageArgs(first, after, last, before),
            City.from_row,
        )

    @strawberry.field(description="A smart-city area (เมืองอัจฉริยะ) by its slug, e.g. `mae-moh`.")
    async def city(self, info: Info, slug: Slug) -> City | None:
        return await City.load(info, slug)

    @strawberry.field(description="The seven smart dimensions (มิติเมืองอัจฉริยะ 7 ด้าน).")
    async def dimensions(self, info: Info, updated_since: UpdatedSince = None) -> list[Dimension]:
        rows = await queries.dimensions(info.context.db, updated_since)
        return [Dimension.from_row(row) for row in rows]

    @strawberry.field(description="A smart dimension (มิติ) by its code, e.g. `MOBILITY`.")
    async def dimension(self, info: Info, code: Code) -> Dimension | None:
        return await Dimension.load(info, code)

    @strawberry.field(description="Operators, investors and agencies (องค์กร), by slug.")
    async def organizations(
        self,
        info: Info,
        where: OrganizationFilterArg = None,
        order_by: OrganizationOrderArg = None,
        updated_since: UpdatedSince = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Organization]:
        query = ORGANIZATIONS.query(info, where, order_by, updated_since)
        return await connection_from_query(
            info,
            queries.listing(OrganizationRow, query),
            PageArgs(first, after, last, before),
            Organization.from_row,
        )

    @strawberry.field(description="An organisation (องค์กร) by its slug, e.g. `egat`.")
    async def organization(self, info: Info, slug: Slug) -> Organization | None:
        return await Organization.load(info, slug)

    @strawberry.field(description="Projects in the areas' plans (โครงการ), by slug.")
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
    ) -> Connection[Project]:
        query = PROJECTS.query(info, where, order_by, updated_since)
        return await connection_from_query(
            info,
            queries.listing(ProjectRow, query),
            PageArgs(first, after, last, before),
            Project.from_row,
        )

    @strawberry.field(description="A project (โครงการ) by its slug.")
    async def project(self, info: Info, slug: Slug) -> Project | None:
        return await Project.load(info, slug)

    @strawberry.field(description="Money invested in or budgeted for the areas (การลงทุน).")
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
    ) -> Connection[Investment]:
        query = INVESTMENTS.query(info, where, order_by, updated_since)
        return await connection_from_query(
            info,
            queries.listing(InvestmentRow, query),
            PageArgs(first, after, last, before),
            Investment.from_row,
        )

    @strawberry.field(
        description="Dated steps (หมุดหมาย) of projects, areas and the programme, by date."
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
    ) -> Connection[Milestone]:
        query = MILESTONES.query(info, where, order_by, updated_since)
        return await connection_from_query(
            info,
            queries.listing(MilestoneRow, query),
            PageArgs(first, after, last, before),
            Milestone.from_row,
        )

    @strawberry.field(
        description="Measured values (ตัวชี้วัด): progress, index scores, totals; by indicator, date."
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
    ) -> Connection[Observation]:
        query = OBSERVATIONS.query(info, where, order_by, updated_since)
        return await connection_from_query(
            info,
            queries.listing(ObservationRow, query),
            PageArgs(first, after, last, before),
            Observation.from_row,
        )

    @strawberry.field(description="The documents the facts come from (แหล่งที่มา), by key.")
    async def sources(
        self,
        info: Info,
        where: SourceFilterArg = None,
        order_by: SourceOrderArg = None,
        updated_since: UpdatedSince = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Source]:
        query = SOURCES.query(info, where, order_by, updated_since)
        return await connection_from_query(
            info,
            queries.listing(SourceRow, query),
            PageArgs(first, after, last, before),
            Source.from_row,
        )

    @strawberry.field(
        description=(
            "Find areas, provinces, projects and organisations by name, in Thai or English "
            "(ค้นหา). A Thai substring such as `แม่เมาะ` finds its records although Thai has "
            "no spaces between words; case and accents do not matter. Exact names rank "
            "first, then names that start with the query, then names that contain it."
        )
    )
    async def search(
        self,
        info: Info,
        query: Annotated[str, strawberry.argument(description="What to look for.")],
        first: Annotated[
            int, strawberry.argument(description=f"How many results (1 to {MAX_PAGE_SIZE}).")
        ] = 20,
    ) -> SearchResults:
        return await run_search(info, query, first)

    @strawberry.field(
        description=(
            "Investment totals, counts and averages (ยอดการลงทุน) over the investments the "
            "filter selects, optionally broken down by dimension, province, region, year, "
            "kind, stage, area status or area."
        )
    )
    async def investment_summary(
        self,
        info: Info,
        where: InvestmentFilterArg = None,
        group_by: Annotated[
            InvestmentGrouping | None, strawberry.argument(description="The breakdown.")
        ] = None,
        currency: Annotated[
            Currency, strawberry.argument(description="The currency to sum; others are left out.")
        ] = Currency.THB,
    ) -> InvestmentSummary:
        return await investment_summary(info, where, group_by, currency)

    @strawberry.field(
        description=(
            "How many smart-city areas (จำนวนเมืองอัจฉริยะ) the filter selects, optionally by "
            "status, round, type, region, province or dimension."
        )
    )
    async def city_summary(
        self,
        info: Info,
        where: CityFilterArg = None,
        group_by: Annotated[
            CityGrouping | None, strawberry.argument(description="The breakdown.")
        ] = None,
    ) -> CitySummary:
        return await city_summary(info, where, group_by)

    @strawberry.field(
        description="Average and distribution of the selected areas' latest progress (ความคืบหน้า)."
    )
    async def progress_summary(self, info: Info, where: CityFilterArg = None) -> ProgressSummary:
        return await progress_summary(info, where)

    @strawberry.field(
        description=(
            "Areas ranked by their latest figure of an indicator, best first (อันดับ): "
            "`PROGRESS_PERCENT` (the default), `TSCCI_SCORE` with a qualifier such as "
            "`TSCCI 2023, city-based`, or `TSCCI_DIMENSION_LEADER` with a dimension."
        )
    )
    async def city_ranking(
        self,
        info: Info,
        indicator: Annotated[
            str, strawberry.argument(description="The indicator to rank by.")
        ] = "PROGRESS_PERCENT",
        qualifier: Annotated[
            str | None,
            strawberry.argument(description="Only figures with this qualifier (an edition)."),
        ] = None,
        dimension: Annotated[
            str | None, strawberry.argument(description="Only figures for this dimension code.")
        ] = None,
        where: CityFilterArg = None,
        first: FirstRanked = 20,
    ) -> CityRanking:
        return await city_ranking(info, indicator, qualifier, dimension, where, first)

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

    @strawberry.field(
        description="The national programme (โครงการเมืองอัจฉริยะ): targets, figures, milestones."
    )
    def programme(self) -> Programme:
        return Programme()


@strawberry.type(
    description=(
        "The Smart City Thailand open-data graph (ข้อมูลเปิดเมืองอัจฉริยะประเทศไทย): provinces, "
        "smart-city areas, the seven dimensions, projects, investments, milestones and "
        "measured progress, each with its sources."
    )
)
class Query(DomainQueries, NodeQueries):
    pass
