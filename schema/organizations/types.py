from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry
from sqlmodel import col

from db.enums import OrganizationKind
from db.loaders import Relation
from db.tables import City as CityRow
from db.tables import Investment as InvestmentRow
from db.tables import Organization as OrganizationRow
from db.tables import Project as ProjectRow
from schema.cities.filters import CITIES
from schema.common import Record, localized
from schema.connections import connection_field
from schema.investments.filters import INVESTMENTS
from schema.node import Node
from schema.projects.filters import PROJECTS

if TYPE_CHECKING:
    from schema.cities.types import City
    from schema.investments.types import Investment
    from schema.projects.types import Project


@strawberry.type(
    description=(
        "An operator, investor or agency (องค์กร): depa, EGAT, the BMA, a municipality, a "
        "company. Names as printed by the sources."
    )
)
class Organization(Record, Node):
    table = OrganizationRow
    slug: str = strawberry.field(description="Stable identifier, e.g. `egat`.")
    name_en: str | None = strawberry.field(description="English name as printed.")
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
