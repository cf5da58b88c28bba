from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, ClassVar

import strawberry
from sqlmodel import col

from db import queries
from db.enums import Certainty, CityStatus, CityType, LocationPrecision, TextOrigin
from db.loaders import Relation
from db.tables import AscnMembership as AscnMembershipRow
from db.tables import City as CityRow
from db.tables import CityDimension
from db.tables import Dimension as DimensionRow
from db.tables import Investment as InvestmentRow
from db.tables import Milestone as MilestoneRow
from db.tables import Observation as ObservationRow
from db.tables import Project as ProjectRow
from schema.common import (
    GeoPoint,
    Record,
    geo_point,
    load_related,
    localized,
)
from schema.computed import Derived
from schema.connections import connection_field, list_field, to_one_field
from schema.context import Info
from schema.dimensions.filters import DIMENSIONS
from schema.investments.filters import INVESTMENTS
from schema.milestones.filters import MILESTONES
from schema.node import Node
from schema.observations.filters import OBSERVATIONS
from schema.projects.filters import PROJECTS
from schema.scalars import PartialDate

if TYPE_CHECKING:
    from schema.dimensions.types import Dimension
    from schema.investments.types import Investment
    from schema.milestones.types import Milestone
    from schema.observations.types import Observation
    from schema.organizations.types import Organization
    from schema.projects.types import Project
    from schema.provinces.types import AscnMembership, Province


OBSERVATIONS_OF_AREA = Relation(ObservationRow, col(ObservationRow.city_id))


@strawberry.type(
    description=(
        "A smart-city area in the national programme (เมืองอัจฉริยะ): a whole province, a "
        "municipality or a district such as Samyan. Names are as printed by the sources; an "
        "English name is given only where an English source prints one."
    )
)
class City(Record, Node):
    table = CityRow
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
    location: GeoPoint = strawberry.field(
        description=(
            "Where to put the area on a map. Every area has a point, but it may be only its "
            "province's marker (the provincial capital or town centre), not the area's own "
            "place: `locationPrecision` says which."
        )
    )
    location_precision: LocationPrecision = strawberry.field(
        description=(
            "Whether `location` is the area's own point (`AREA`, as a source gives it) or only "
            "its province's marker (`PROVINCE`), which may lie far from the area."
        )
    )
    certainty: Certainty = strawberry.field(
        description="How firmly the sources establish the area."
    )
    province_id: strawberry.Private[int]
    operator_id: strawberry.Private[int | None]

    WORDING: ClassVar[dict[str, TextOrigin | str]] = {
        "name_th": TextOrigin.PRINTED,
        "name_en": TextOrigin.PRINTED,
    }

    DERIVED: ClassVar[dict[str, Derived]] = {
        "location": Derived(("latitude", "longitude"), geo_point),
    }

    name = localized(
        "name_th", "name_en", "The name in the language asked for; null if no source names it."
    )

    province = to_one_field(
        "The province the area lies in (จังหวัด).",
        Annotated["Province", strawberry.lazy("schema.provinces.types")],
        "province_id",
        required=True,
    )

    operator = to_one_field(
        "The organisation that runs the area's plan (ผู้ดำเนินการ).",
        Annotated["Organization", strawberry.lazy("schema.organizations.types")],
        "operator_id",
    )

    dimensions = list_field(
        "The smart dimensions the area's plan targets (มิติ).",
        Annotated["Dimension", strawberry.lazy("schema.dimensions.types")],
        Relation(DimensionRow, col(CityDimension.city_id), link=col(CityDimension.dimension_id)),
        DIMENSIONS.unfiltered,
    )

    @strawberry.field(
        description="ASEAN Smart Cities Network membership of the area's province, if any."
    )
    async def ascn_membership(
        self, info: Info
    ) -> Annotated[AscnMembership, strawberry.lazy("schema.provinces.types")] | None:
        from schema.provinces.types import AscnMembership

        return await load_related(
            info, AscnMembership, self.province_id, by=col(AscnMembershipRow.province_id)
        )

    projects = connection_field(
        "Projects in the area's plan (โครงการ), by slug.",
        Annotated["Project", strawberry.lazy("schema.projects.types")],
        PROJECTS,
        Relation(ProjectRow, col(ProjectRow.city_id)),
    )

    investments = connection_field(
        "Money invested in or budgeted for the area (การลงทุน).",
        Annotated["Investment", strawberry.lazy("schema.investments.types")],
        INVESTMENTS,
        Relation(InvestmentRow, col(InvestmentRow.city_id)),
    )

    milestones = connection_field(
        "Dated steps of the area and its projects (หมุดหมาย), in calendar order.",
        Annotated["Milestone", strawberry.lazy("schema.milestones.types")],
        MILESTONES,
        Relation(MilestoneRow, col(MilestoneRow.city_id)),
    )

    observations = connection_field(
        (
            "Measured values for the area (progress, index scores, area, population), oldest "
            "first per indicator; history is kept, never overwritten."
        ),
        Annotated["Observation", strawberry.lazy("schema.observations.types")],
        OBSERVATIONS,
        Relation(ObservationRow, col(ObservationRow.city_id)),
    )

    progress = list_field(
        (
            "Percent complete of the area's plan over time (ความคืบหน้า), oldest first: the "
            "`PROGRESS_PERCENT` observations."
        ),
        Annotated["Observation", strawberry.lazy("schema.observations.types")],
        OBSERVATIONS_OF_AREA,
        queries.progress_history,
    )

    @strawberry.field(description="The most recent progress figure, or null where none is known.")
    async def latest_progress(
        self, info: Info
    ) -> Annotated[Observation, strawberry.lazy("schema.observations.types")] | None:
        from schema.observations.types import Observation

        loader = info.context.loaders.all_of(OBSERVATIONS_OF_AREA)
        history = await loader.load((self.db_id, queries.progress_history()))
        return Observation.from_row(history[-1]) if history else None
