from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, ClassVar

import strawberry
from sqlmodel import col

from db.enums import MilestoneStatus, MilestoneType, TextOrigin
from db.loaders import Relation
from db.tables import Milestone as MilestoneRow
from db.tables import Role as RoleRow
from schema.common import Record, localized
from schema.connections import list_field, to_one_field
from schema.governance.listings import ROLES
from schema.node import Node
from schema.scalars import PartialDate

if TYPE_CHECKING:
    from schema.cities.types import City
    from schema.governance.types import Role
    from schema.organizations.types import Organization
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
    WORDING: ClassVar[dict[str, TextOrigin | str]] = {
        "title_th": TextOrigin.PRINTED,
        "title_en": TextOrigin.SUMMARY,
        "venue_th": TextOrigin.PRINTED,
    }
    key: str = strawberry.field(description="Stable identifier.")
    title_en: str | None = strawberry.field(
        description="What happened or is planned, in English: our own short summary."
    )
    title_th: str | None = strawberry.field(description="The same in Thai, where printed.")
    type: MilestoneType | None = strawberry.field(description="Approval, delivery, …, if clear.")
    status: MilestoneStatus = strawberry.field(description="Scheduled, met, not met, …")
    due_on: PartialDate | None = strawberry.field(description="When it was planned for.")
    met_on: PartialDate | None = strawberry.field(description="When it happened.")
    ends_on: PartialDate | None = strawberry.field(
        description="The last day of a step that lasted several days (a workshop, a conference)."
    )
    venue_th: str | None = strawberry.field(description="Where it took place, as printed in Thai.")
    project_id: strawberry.Private[int | None]
    organization_id: strawberry.Private[int | None]
    city_id: strawberry.Private[int | None]
    province_id: strawberry.Private[int | None]

    title = localized("title_th", "title_en", "The title in the language asked for.")

    project = to_one_field(
        "The project this step belongs to, if any.",
        Annotated["Project", strawberry.lazy("schema.projects.types")],
        "project_id",
    )

    city = to_one_field(
        "The smart-city area this step belongs to, if any.",
        Annotated["City", strawberry.lazy("schema.cities.types")],
        "city_id",
    )

    province = to_one_field(
        "The province of a province-level step tied to no single area, if any.",
        Annotated["Province", strawberry.lazy("schema.provinces.types")],
        "province_id",
    )

    organization = to_one_field(
        "The body that met or took the step: a committee, a working group, an agency.",
        Annotated["Organization", strawberry.lazy("schema.organizations.types")],
        "organization_id",
    )

    participants = list_field(
        "Who organised it, chaired it or took part, as the sources name them.",
        Annotated["Role", strawberry.lazy("schema.governance.types")],
        Relation(RoleRow, col(RoleRow.milestone_id)),
        ROLES.unfiltered,
    )
