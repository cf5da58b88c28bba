from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any, ClassVar

import strawberry
from sqlalchemy import Row
from sqlmodel import col

from db import queries
from db.enums import TextOrigin
from db.loaders import Relation
from db.tables import Indicator as IndicatorRow
from db.tables import Milestone as MilestoneRow
from db.tables import ProgrammePhase as ProgrammePhaseRow
from db.tables import ProgrammePhaseProvince
from db.tables import Proposal as ProposalRow
from db.tables import Province as ProvinceRow
from schema.common import Language, Record, from_columns, in_language, localized
from schema.connections import connection_field, list_field
from schema.context import Info
from schema.governance.listings import INDICATORS, PROPOSALS
from schema.milestones.filters import MILESTONES
from schema.node import Node
from schema.provinces.filters import PROVINCES

if TYPE_CHECKING:
    from schema.governance.types import Indicator, Proposal
    from schema.milestones.types import Milestone
    from schema.observations.types import Observation
    from schema.provinces.types import Province


CERTIFIED_AREAS = "CERTIFIED_CITIES"  # the programme's own count of certified areas
CERTIFIED_PROVINCES = "CERTIFIED_PROVINCES"
OBSTACLE = "OBSTACLE"  # one obstacle a report names: its rank is the value, its words the text


def _by_end_of(as_of: str | None, end_year: int | None) -> bool:
    """Whether a (partial) date falls by the end of `end_year`: to date when it is None,
    where an unknown date counts too."""
    return end_year is None or (as_of is not None and int(as_of[:4]) <= end_year)


async def _latest_reported(info: Info, indicator: str, end_year: int | None) -> Row[Any] | None:
    """The newest programme-wide figure of `indicator` dated by the end of `end_year`."""
    figures = await info.context.loaders.programme_figures.load("all")
    dated = [
        row for row in figures if row.indicator == indicator and _by_end_of(row.as_of, end_year)
    ]
    return max(dated, key=lambda row: (row.as_of or "", row.key), default=None)


async def _named(info: Info, end_year: int | None) -> list[Row[Any]] | None:
    """(certified_on, province id) of the areas the data names as certified by the end of
    `end_year`; None when there are none, before certification began."""
    areas = await info.context.loaders.certified_areas.load("all")
    return [area for area in areas if _by_end_of(area.certified_on, end_year)] or None


async def _named_areas(info: Info, end_year: int | None) -> int | None:
    named = await _named(info, end_year)
    return None if named is None else len(named)


async def _named_provinces(info: Info, end_year: int | None) -> int | None:
    named = await _named(info, end_year)
    return None if named is None else len({area.province_id for area in named})


async def _to_target(
    info: Info, indicator: str, target: int | None, end_year: int | None
) -> int | None:
    """What remained of `target` by the end of `end_year`, from the latest reported count."""
    row = await _latest_reported(info, indicator, end_year)
    if target is None or row is None or row.value is None:
        return None
    return max(0, target - int(row.value))


@strawberry.type(
    description=(
        "How many areas were certified (รับรองตราสัญลักษณ์เมืองอัจฉริยะ) by a date, counted two "
        "ways that differ: the programme's own reported count, and the areas this data names. "
        "The data does not name every certified area (see `programme.coverage`), so "
        "`namedAreas` is a floor, never the programme's total; quote `reportedAreas`, with its "
        "date and sources."
    )
)
class Certification:
    end_year: strawberry.Private[int | None]

    @strawberry.field(
        description=(
            "Whether any area had been certified by then. Phases before the first round of "
            "certification designated pilot areas instead, so for them the counts below are "
            "null rather than 0."
        )
    )
    async def begun(self, info: Info) -> bool:
        return await _named(info, self.end_year) is not None

    @strawberry.field(
        description=(
            "Certified (or renewed) areas this data names, by then; areas whose certification "
            "date is unknown count only to date. Null before certification began."
        )
    )
    async def named_areas(self, info: Info) -> int | None:
        return await _named_areas(info, self.end_year)

    @strawberry.field(
        description=(
            "Provinces (Bangkok counted) of those named areas. Null before certification began."
        )
    )
    async def named_provinces(self, info: Info) -> int | None:
        return await _named_provinces(info, self.end_year)

    @strawberry.field(
        description=(
            "The latest number of certified areas the programme reported by then "
            "(`CERTIFIED_CITIES`), with its date and sources; null where none was reported."
        )
    )
    async def reported_areas(
        self, info: Info
    ) -> Annotated[Observation, strawberry.lazy("schema.observations.types")] | None:
        return await self._reported(info, CERTIFIED_AREAS)

    @strawberry.field(
        description=(
            "The latest number of provinces with a certified area the programme reported by "
            "then (`CERTIFIED_PROVINCES`), with its date and sources; it may be older than "
            "`reportedAreas`."
        )
    )
    async def reported_provinces(
        self, info: Info
    ) -> Annotated[Observation, strawberry.lazy("schema.observations.types")] | None:
        return await self._reported(info, CERTIFIED_PROVINCES)

    async def _reported(self, info: Info, indicator: str) -> Observation | None:
        from schema.observations.types import Observation

        row = await _latest_reported(info, indicator, self.end_year)
        return None if row is None else Observation.from_row(row)


DEPRECATED_COUNT = (
    "Counts only the areas this data names, which is not the programme's count. Use "
    "`certification { reportedAreas namedAreas }`."
)


@strawberry.type(
    description=(
        "A phase of the national programme and its targets (ระยะของโครงการ), e.g. year 1 "
        "(2018): 10 areas in 7 provinces."
    )
)
class ProgrammePhase(Record, Node):
    table = ProgrammePhaseRow
    WORDING: ClassVar[dict[str, TextOrigin | str]] = {
        "name_th": TextOrigin.PRINTED,
        "name_en": TextOrigin.TRANSLATION,
    }
    key: str = strawberry.field(description="Stable key, e.g. `PHASE_1`.")
    name_th: str | None = strawberry.field(description="The phase's name as printed, in Thai.")
    name_en: str | None = strawberry.field(
        description="The phase's name in English: our rendering of the Thai."
    )
    start_year: int | None = strawberry.field(description="First year (ค.ศ.).")
    end_year: int | None = strawberry.field(description="Last year (ค.ศ.).")
    target_areas: int | None = strawberry.field(description="Target number of smart-city areas.")
    target_provinces: int | None = strawberry.field(
        description="Target number of provinces, counting Bangkok."
    )

    name = localized("name_th", "name_en", "The phase's name in the language asked for.")

    @strawberry.field(
        description=(
            "Certified areas by the end of the phase, as reported and as named in this data, "
            "and what remained to reach its target."
        )
    )
    def certification(self) -> Certification:
        return Certification(end_year=self.end_year)

    @strawberry.field(
        description="Certified areas this data names by then, as `certification.namedAreas`.",
        deprecation_reason=DEPRECATED_COUNT,
    )
    async def certified_areas(self, info: Info) -> int | None:
        return await _named_areas(info, self.end_year)

    @strawberry.field(
        description="Provinces of those areas, as `certification.namedProvinces`.",
        deprecation_reason=DEPRECATED_COUNT,
    )
    async def certified_provinces(self, info: Info) -> int | None:
        return await _named_provinces(info, self.end_year)

    @strawberry.field(
        description=(
            "Areas still missing to reach the target, from the latest count the programme "
            "reported by the end of the phase (`certification.reportedAreas`); 0 once met; "
            "null where none was reported."
        )
    )
    async def areas_to_target(self, info: Info) -> int | None:
        return await _to_target(info, CERTIFIED_AREAS, self.target_areas, self.end_year)

    @strawberry.field(
        description=(
            "Provinces still missing to reach the target, from the latest count the "
            "programme reported by the end of the phase (`certification.reportedProvinces`, "
            "which may be older than the count of areas); 0 once met; null where none was "
            "reported."
        )
    )
    async def provinces_to_target(self, info: Info) -> int | None:
        return await _to_target(info, CERTIFIED_PROVINCES, self.target_provinces, self.end_year)

    provinces = list_field(
        "The provinces the target names, where a source names them; a source may name only "
        "some of them (compare `targetProvinces`).",
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
        "A note of ours on where the published lists are known to be incomplete "
        "(ข้อจำกัดของข้อมูล), in English and Thai. Missing areas or figures are unknown, not absent."
    )
)
class CoverageNote:
    key: str = strawberry.field(
        description="Stable identifier, e.g. `round-1-areas`; the change feed names it."
    )
    text_en: str = strawberry.field(description="The note in English.")
    text_th: str | None = strawberry.field(description="The note in Thai.")

    @strawberry.field(
        description="The note in the language asked for; in English where it has no Thai yet."
    )
    def text(
        self,
        lang: Annotated[
            Language, strawberry.argument(description="The language to answer in.")
        ] = Language.EN,
    ) -> str:
        return in_language(lang, self.text_th, self.text_en) or self.text_en

    updated_at: datetime = strawberry.field(description="When this note last changed (UTC).")

    @classmethod
    def from_row(cls, row: Row[Any]) -> CoverageNote:
        return from_columns(cls, row)


@strawberry.type(
    description=(
        "The national Smart City programme (โครงการเมืองอัจฉริยะ), run by depa with OTP and "
        "EPPO: its phase targets, programme-wide figures and milestones."
    )
)
class Programme:
    @strawberry.field(
        description=(
            "Certified areas to date: the programme's latest reported count, and the areas "
            "this data names."
        )
    )
    def certification(self) -> Certification:
        return Certification(end_year=None)

    @strawberry.field(
        description=(
            "Certified areas this data names to date, as `certification.namedAreas`, but 0 "
            "rather than null before certification began."
        ),
        deprecation_reason=DEPRECATED_COUNT,
    )
    async def certified_areas(self, info: Info) -> int:
        return await _named_areas(info, None) or 0

    @strawberry.field(
        description=(
            "Provinces of those areas, as `certification.namedProvinces`, but 0 rather than "
            "null before certification began."
        ),
        deprecation_reason=DEPRECATED_COUNT,
    )
    async def certified_provinces(self, info: Info) -> int:
        return await _named_provinces(info, None) or 0

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

        rows = await info.context.loaders.programme_figures.load("all")
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
            "Where the published lists are known to be incomplete, in English. Missing areas "
            "or figures are unknown, not absent."
        ),
        deprecation_reason="Use `coverage`: each note with its key, in English and Thai.",
    )
    async def coverage_notes(self, info: Info) -> list[str]:
        return [row.text_en for row in await queries.coverage_notes(info.context.db)]

    @strawberry.field(
        description=(
            "Where the published lists are known to be incomplete, in order, each note with "
            "its key and its text in English and Thai. Missing areas or figures are unknown, "
            "not absent."
        )
    )
    async def coverage(self, info: Info) -> list[CoverageNote]:
        return [CoverageNote.from_row(row) for row in await queries.coverage_notes(info.context.db)]

    @strawberry.field(
        description=(
            "What the latest report names as delaying the certified areas' projects "
            "(ปัญหาและอุปสรรค), most important first: each an `OBSTACLE` observation whose value "
            "is its rank and whose text is as printed, with its date and sources."
        )
    )
    async def obstacles(
        self, info: Info
    ) -> list[Annotated[Observation, strawberry.lazy("schema.observations.types")]]:
        from schema.observations.types import Observation

        figures = await info.context.loaders.programme_figures.load("all")
        named = [row for row in figures if row.indicator == OBSTACLE]
        latest = max((row.as_of or "" for row in named), default=None)
        ranked = sorted(
            (row for row in named if (row.as_of or "") == latest), key=lambda row: row.value
        )
        return [Observation.from_row(row) for row in ranked]

    @strawberry.field(
        description="Proposals for the smart-city mark and what each screening decided, by date."
    )
    async def proposals(
        self, info: Info
    ) -> list[Annotated[Proposal, strawberry.lazy("schema.governance.types")]]:
        from schema.governance.types import Proposal

        rows = await info.context.db.rows(queries.listing(ProposalRow, PROPOSALS.unfiltered()))
        return [Proposal.from_row(row) for row in rows]

    @strawberry.field(
        description="What the indicators measure and how, where a source describes them."
    )
    async def indicators(
        self, info: Info
    ) -> list[Annotated[Indicator, strawberry.lazy("schema.governance.types")]]:
        from schema.governance.types import Indicator

        rows = await info.context.db.rows(queries.listing(IndicatorRow, INDICATORS.unfiltered()))
        return [Indicator.from_row(row) for row in rows]
