from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, ClassVar

import strawberry
from sqlmodel import col

from db import queries
from db.enums import Certainty, ProjectStatus, TextOrigin
from db.loaders import Relation
from db.tables import Dimension as DimensionRow
from db.tables import Investment as InvestmentRow
from db.tables import Milestone as MilestoneRow
from db.tables import Observation as ObservationRow
from db.tables import Project as ProjectRow
from db.tables import ProjectDimension
from schema.common import (
    Money,
    Record,
    baht,
    localized,
)
from schema.computed import Derived
from schema.connections import connection_field, list_field, to_one_field
from schema.dimensions.filters import DIMENSIONS
from schema.investments.filters import INVESTMENTS
from schema.milestones.filters import MILESTONES
from schema.node import Node
from schema.observations.filters import OBSERVATIONS
from schema.scalars import PartialDate

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
    table = ProjectRow
    WORDING: ClassVar[dict[str, TextOrigin | str]] = {
        "title_th": TextOrigin.PRINTED,
        "title_en": TextOrigin.PRINTED,
    }
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

    DERIVED: ClassVar[dict[str, Derived]] = {"budget": Derived(("budget",), baht)}

    title = localized(
        "title_th", "title_en", "The title in the language asked for; null if none printed."
    )

    city = to_one_field(
        "The smart-city area, or null for a province-level project.",
        Annotated["City", strawberry.lazy("schema.cities.types")],
        "city_id",
    )

    province = to_one_field(
        "The province the project is in.",
        Annotated["Province", strawberry.lazy("schema.provinces.types")],
        "province_id",
        required=True,
    )

    operator = to_one_field(
        "The organisation that runs it (ผู้ดำเนินการ).",
        Annotated["Organization", strawberry.lazy("schema.organizations.types")],
        "operator_id",
    )

    dimensions = list_field(
        "The smart dimensions it works on (มิติ).",
        Annotated["Dimension", strawberry.lazy("schema.dimensions.types")],
        Relation(
            DimensionRow, col(ProjectDimension.project_id), link=col(ProjectDimension.dimension_id)
        ),
        DIMENSIONS.unfiltered,
    )

    milestones = connection_field(
        "Its dated steps (หมุดหมาย), in calendar order.",
        Annotated["Milestone", strawberry.lazy("schema.milestones.types")],
        MILESTONES,
        Relation(MilestoneRow, col(MilestoneRow.project_id)),
    )

    investments = connection_field(
        "Money invested in it (การลงทุน).",
        Annotated["Investment", strawberry.lazy("schema.investments.types")],
        INVESTMENTS,
        Relation(InvestmentRow, col(InvestmentRow.project_id)),
    )

    observations = connection_field(
        "Measured values for the project, e.g. its progress over time.",
        Annotated["Observation", strawberry.lazy("schema.observations.types")],
        OBSERVATIONS,
        Relation(ObservationRow, col(ObservationRow.project_id)),
    )

    progress = list_field(
        (
            "Percent complete of the project over time (ความคืบหน้า), oldest first: its "
            "`PROGRESS_PERCENT` observations."
        ),
        Annotated["Observation", strawberry.lazy("schema.observations.types")],
        Relation(ObservationRow, col(ObservationRow.project_id)),
        queries.progress_history,
    )
