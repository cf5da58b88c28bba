from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, ClassVar

import strawberry
from sqlmodel import col

from db.enums import TextOrigin
from db.loaders import Relation
from db.tables import City as CityRow
from db.tables import CityDimension, ProjectDimension
from db.tables import Dimension as DimensionRow
from db.tables import Project as ProjectRow
from schema.cities.filters import CITIES
from schema.common import Record, localized
from schema.connections import connection_field
from schema.node import Node
from schema.projects.filters import PROJECTS

if TYPE_CHECKING:
    from schema.cities.types import City
    from schema.projects.types import Project


@strawberry.type(
    description=(
        "One of the programme's seven smart dimensions (มิติเมืองอัจฉริยะ 7 ด้าน): ENVIRONMENT, "
        "ECONOMY, MOBILITY, ENERGY, PEOPLE, LIVING, GOVERNANCE."
    )
)
class Dimension(Record, Node):
    table = DimensionRow
    WORDING: ClassVar[dict[str, TextOrigin | str]] = {
        "name_th": TextOrigin.PRINTED,
        "name_en": TextOrigin.PRINTED,
    }
    code: str = strawberry.field(description="Stable code, e.g. `MOBILITY`.")
    name_en: str = strawberry.field(description="English name, e.g. Smart Mobility.")
    name_th: str = strawberry.field(description="Thai name (ชื่อภาษาไทย).")
    alt_names_th: list[str] = strawberry.field(description="Other Thai names in use.")

    name = localized("name_th", "name_en", "The name in the language asked for.", required=True)

    cities = connection_field(
        "Areas whose plan targets this dimension, by slug.",
        Annotated["City", strawberry.lazy("schema.cities.types")],
        CITIES,
        Relation(CityRow, col(CityDimension.dimension_id), link=col(CityDimension.city_id)),
    )

    projects = connection_field(
        "Projects working on this dimension, by slug.",
        Annotated["Project", strawberry.lazy("schema.projects.types")],
        PROJECTS,
        Relation(
            ProjectRow, col(ProjectDimension.dimension_id), link=col(ProjectDimension.project_id)
        ),
    )
