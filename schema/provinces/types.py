from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, ClassVar

import strawberry
from sqlmodel import col

from db.enums import AscnCohort, Region, TextOrigin
from db.loaders import Relation
from db.tables import AscnMembership as AscnMembershipRow
from db.tables import City as CityRow
from db.tables import Project as ProjectRow
from db.tables import Province as ProvinceRow
from schema.cities.filters import CITIES
from schema.common import (
    GeoPoint,
    Record,
    geo_point,
    load_related,
    localized,
)
from schema.computed import Derived
from schema.connections import connection_field
from schema.context import Info
from schema.node import Node
from schema.projects.filters import PROJECTS
from schema.scalars import PartialDate

if TYPE_CHECKING:
    from schema.cities.types import City
    from schema.projects.types import Project


@strawberry.type(
    description=(
        "Membership of the ASEAN Smart Cities Network (เครือข่ายเมืองอัจฉริยะอาเซียน). The "
        "network names cities that in Thailand stand for a province (e.g. Phuket, Chonburi)."
    )
)
class AscnMembership(Record):
    table = AscnMembershipRow
    WORDING: ClassVar[dict[str, TextOrigin | str]] = {"name_as_listed": TextOrigin.PRINTED}
    name_as_listed: str = strawberry.field(description="The member's name as the network lists it.")
    cohort: AscnCohort = strawberry.field(description="The 2018 pilot cohort or a later addition.")
    joined: PartialDate | None = strawberry.field(description="When it joined.")


@strawberry.type(
    description=(
        "One of Thailand's 77 provinces (จังหวัด): 76 provinces and Bangkok. Reference data from "
        "kongvut/thai-province-data (MIT) and the Countries States Cities Database (ODbL 1.0)."
    )
)
class Province(Record, Node):
    table = ProvinceRow
    WORDING: ClassVar[dict[str, TextOrigin | str]] = {
        "name_th": TextOrigin.PRINTED,
        "name_en": TextOrigin.PRINTED,
    }
    code: str = strawberry.field(description="ISO 3166-2:TH code, e.g. `TH-10` for Bangkok.")
    dopa_code: int = strawberry.field(
        description="The Department of Provincial Administration code."
    )
    name_th: str = strawberry.field(description="Thai name (ชื่อภาษาไทย).")
    name_en: str = strawberry.field(description="English name.")
    region: Region = strawberry.field(description="Geographic region (ภาค).")
    location: GeoPoint | None = strawberry.field(
        description="A map marker near the provincial capital, not a polygon centroid."
    )
    wikidata_id: str | None = strawberry.field(description="Wikidata item, e.g. `Q1861`.")

    DERIVED: ClassVar[dict[str, Derived]] = {
        "location": Derived(("latitude", "longitude"), geo_point)
    }

    name = localized("name_th", "name_en", "The name in the language asked for.", required=True)

    cities = connection_field(
        "The smart-city areas in this province (เมืองอัจฉริยะ), by slug.",
        Annotated["City", strawberry.lazy("schema.cities.types")],
        CITIES,
        Relation(CityRow, col(CityRow.province_id)),
    )

    projects = connection_field(
        "Projects in this province, in an area or province-wide.",
        Annotated["Project", strawberry.lazy("schema.projects.types")],
        PROJECTS,
        Relation(ProjectRow, col(ProjectRow.province_id)),
    )

    @strawberry.field(description="Its ASEAN Smart Cities Network membership, if any.")
    async def ascn_membership(self, info: Info) -> AscnMembership | None:
        return await load_related(
            info, AscnMembership, self.db_id, by=col(AscnMembershipRow.province_id)
        )
