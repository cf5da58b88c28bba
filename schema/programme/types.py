from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry
from sqlmodel import col

from db import queries
from db.loaders import Relation
from db.tables import Milestone as MilestoneRow
from db.tables import ProgrammePhase as ProgrammePhaseRow
from db.tables import ProgrammePhaseProvince
from db.tables import Province as ProvinceRow
from schema.common import Record
from schema.connections import connection_field, list_field
from schema.context import Info
from schema.milestones.filters import MILESTONES
from schema.node import Node
from schema.provinces.filters import PROVINCES

if TYPE_CHECKING:
    from schema.milestones.types import Milestone
    from schema.observations.types import Observation
    from schema.provinces.types import Province


async def _certified_by(info: Info, end_year: int | None) -> list[tuple[str | None, int]]:
    """Certified areas as (certified_on, province id); by the end of `end_year` if given."""
    areas = await info.context.loaders.certified_areas.load("all")
    if end_year is None:
        return areas
    return [area for area in areas if area[0] is not None and int(area[0][:4]) <= end_year]


@strawberry.type(
    description=(
        "A phase of the national programme and its targets (ระยะของโครงการ), e.g. year 1 "
        "(2018): 10 areas in 7 provinces."
    )
)
class ProgrammePhase(Record, Node):
    table = ProgrammePhaseRow
    key: str = strawberry.field(description="Stable key, e.g. `PHASE_1`.")
    name_en: str | None = strawberry.field(description="The phase's name in English.")
    start_year: int | None = strawberry.field(description="First year (ค.ศ.).")
    end_year: int | None = strawberry.field(description="Last year (ค.ศ.).")
    target_areas: int | None = strawberry.field(description="Target number of smart-city areas.")
    target_provinces: int | None = strawberry.field(
        description="Target number of provinces, counting Bangkok."
    )

    @strawberry.field(
        description=(
            "Areas certified by the end of the phase, counted from the data (areas whose "
            "certification year is unknown are left out). The data is incomplete: see "
            "`programme.coverageNotes`."
        )
    )
    async def certified_areas(self, info: Info) -> int:
        return len(await _certified_by(info, self.end_year))

    @strawberry.field(description="Provinces (Bangkok counted) with a certified area by then.")
    async def certified_provinces(self, info: Info) -> int:
        return len({province for _, province in await _certified_by(info, self.end_year)})

    @strawberry.field(description="Areas still missing to reach the target; 0 once met.")
    async def areas_to_target(self, info: Info) -> int | None:
        if self.target_areas is None:
            return None
        return max(0, self.target_areas - len(await _certified_by(info, self.end_year)))

    @strawberry.field(description="Provinces still missing to reach the target; 0 once met.")
    async def provinces_to_target(self, info: Info) -> int | None:
        if self.target_provinces is None:
            return None
        provinces = {province for _, province in await _certified_by(info, self.end_year)}
        return max(0, self.target_provinces - len(provinces))

    provinces = list_field(
        "The provinces the target names, where a source names them.",
        Annotated["Province", strawberry.lazy("schema.provinces.types")],
        Relation(
            ProvinceRow,
            col(ProgrammePhaseProvince.phase_id),
            link=col(ProgrammePhaseProvince.province_id),
        ),
        PROVINCES.unfiltered,
    )


@strawberry.type(
    description=(
        "The national Smart City programme (โครงการเมืองอัจฉริยะ), run by depa with OTP and "
        "EPPO: its phase targets, programme-wide figures and milestones."
    )
)
class Programme:
    @strawberry.field(description="Areas certified (or renewed) to date, counted from the data.")
    async def certified_areas(self, info: Info) -> int:
        return len(await _certified_by(info, None))

    @strawberry.field(description="Provinces (Bangkok counted) with a certified area to date.")
    async def certified_provinces(self, info: Info) -> int:
        return len({province for _, province in await _certified_by(info, None)})

    @strawberry.field(description="The programme's phases and their targets, in order.")
    async def phases(self, info: Info) -> list[ProgrammePhase]:
        rows = await queries.programme_phases(info.context.db)
        return [ProgrammePhase.from_row(row) for row in rows]

    @strawberry.field(
        description=(
            "Programme-wide figures (e.g. `PROGRESS_PERCENT` 27.57 and `TOTAL_INVESTMENT` "
            "as of April 2024), by indicator, oldest first; each with its sources."
        )
    )
    async def figures(
        self,
        info: Info,
        indicator: Annotated[
            str | None, strawberry.argument(description="Only this indicator.")
        ] = None,
    ) -> list[Annotated[Observation, strawberry.lazy("schema.observations.types")]]:
        from schema.observations.types import Observation

        rows = await queries.programme_figures(info.context.db)
        return [
            Observation.from_row(row)
            for row in rows
            if indicator is None or row.indicator == indicator
        ]

    milestones = connection_field(
        "Steps of the programme as a whole, in calendar order.",
        Annotated["Milestone", strawberry.lazy("schema.milestones.types")],
        MILESTONES,
        MilestoneRow,
        where=queries.programme_wide_milestone(),
    )

    @strawberry.field(
        description=(
            "Where the published lists are known to be incomplete. Missing areas or figures "
            "are unknown, not absent."
        )
    )
    async def coverage_notes(self, info: Info) -> list[str]:
        return list(await queries.coverage_notes(info.context.db))
