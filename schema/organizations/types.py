from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, ClassVar

import strawberry
from sqlmodel import col

from db.enums import OrganizationKind, TextOrigin
from db.loaders import Relation
from db.tables import City as CityRow
from db.tables import Investment as InvestmentRow
from db.tables import Organization as OrganizationRow
from db.tables import Project as ProjectRow
from db.tables import Proposal as ProposalRow
from db.tables import Role as RoleRow
from schema.cities.filters import CITIES
from schema.common import Record, localized
from schema.connections import connection_field, list_field
from schema.governance.listings import PROPOSALS, ROLES
from schema.investments.filters import INVESTMENTS
from schema.node import Node
from schema.projects.filters import PROJECTS

if TYPE_CHECKING:
    from schema.cities.types import City
    from schema.governance.types import Proposal, Role
    from schema.investments.types import Investment
    from schema.projects.types import Project


@strawberry.type(
    description=(
        "An operator, investor, agency or one of the programme's bodies (องค์กร): depa, EGAT, "
        "the BMA, a municipality, a company, the development committee, a working group. "
        "Names as printed by the sources."
    )
)
class Organization(Record, Node):
    table = OrganizationRow
    WORDING: ClassVar[dict[str, TextOrigin | str]] = {
        "name_th": TextOrigin.PRINTED,
        "name_en": "name_en_origin",
        "abbreviation": TextOrigin.PRINTED,
    }
    name_en_origin: strawberry.Private[TextOrigin]
    slug: str = strawberry.field(description="Stable identifier, e.g. `egat`.")
    name_en: str | None = strawberry.field(
        description=(
            "English name: as printed, or where only Thai sources name the organisation, our "
            "rendering (`wording` says which)."
        )
    )
    name_th: str | None = strawberry.field(description="Thai name as printed (ชื่อภาษาไทย).")
    abbreviation: str | None = strawberry.field(description="Short name, e.g. EGAT.")
    kind: OrganizationKind = strawberry.field(description="Agency, state enterprise, company, …")

    name = localized("name_th", "name_en", "The name in the language asked for.")

    operated_cities = connection_field(
        "Areas this organisation operates, by slug.",
        Annotated["City", strawberry.lazy("schema.cities.types")],
        CITIES,
        Relation(CityRow, col(CityRow.operator_id)),
    )

    operated_projects = connection_field(
        "Projects this organisation operates, by slug.",
        Annotated["Project", strawberry.lazy("schema.projects.types")],
        PROJECTS,
        Relation(ProjectRow, col(ProjectRow.operator_id)),
    )

    investments = connection_field(
        "Investments this organisation made or committed.",
        Annotated["Investment", strawberry.lazy("schema.investments.types")],
        INVESTMENTS,
        Relation(InvestmentRow, col(InvestmentRow.investor_id)),
    )

    roles = list_field(
        "The parts played in this body: its chair, its joint secretaries, who houses it.",
        Annotated["Role", strawberry.lazy("schema.governance.types")],
        Relation(RoleRow, col(RoleRow.body_id)),
        ROLES.unfiltered,
    )

    held_roles = list_field(
        "The parts this organisation plays in other bodies and at dated steps.",
        Annotated["Role", strawberry.lazy("schema.governance.types")],
        Relation(RoleRow, col(RoleRow.holder_id)),
        ROLES.unfiltered,
    )

    proposals = list_field(
        "Smart-city proposals this organisation put forward, by screening date.",
        Annotated["Proposal", strawberry.lazy("schema.governance.types")],
        Relation(ProposalRow, col(ProposalRow.proposer_id)),
        PROPOSALS.unfiltered,
    )
