from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

from db.enums import AscnCohort, Region
from db.tables import AscnMembership as AscnMembershipRow
from db.tables import Province as ProvinceRow
from schema.cities.filters import CITIES, CityFilterArg, CityOrderArg
from schema.common import (
    GeoPoint,
    LangArgument,
    Language,
    Record,
    geo_point,
    in_language,
    load_one,
    load_related,
)
from schema.context import Info
from schema.filters import UpdatedSince
from schema.node import Node, encode_id
from schema.pagination import After, Before, Connection, First, Last, PageArgs, connection_from_list
from schema.projects.filters import PROJECTS, ProjectFilterArg, ProjectOrderArg
from schema.scalars import PartialDate, partial_date

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
    table = "ascn_membership"
    name_as_listed: str = strawberry.field(description="The member's name as the network lists it.")
    cohort: AscnCohort = strawberry.field(description="The 2018 pilot cohort or a later addition.")
    joined: PartialDate | None = strawberry.field(description="When it joined.")

    @classmethod
    def from_row(cls, row: AscnMembershipRow) -> AscnMembership:
        assert row.id is not None
        return cls(
            db_id=row.id,
            updated_at=row.updated_at,
            name_as_listed=row.name_as_listed,
            cohort=row.cohort,
            joined=partial_date(row.joined),
        )


@strawberry.type(
    description=(
        "One of Thailand's 77 provinces (จังหวัด): 76 provinces and Bangkok. Reference data from "
        "kongvut/thai-province-data (MIT) and the Countries States Cities Database (ODbL 1.0)."
    )
)
class Province(Record, Node):
    table = "province"
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

    @classmethod
    async def load(cls, info: Info, key: str) -> Province:
        return await load_one(
            info.context.loaders.province_by_code, key, cls.from_row, "province with code"
        )

    @classmethod
    def from_row(cls, row: ProvinceRow) -> Province:
        assert row.id is not None
        return cls(
            id=encode_id("Province", row.code),
            db_id=row.id,
            updated_at=row.updated_at,
            code=row.code,
            dopa_code=row.dopa_code,
            name_th=row.name_th,
            name_en=row.name_en,
            region=row.region,
            location=geo_point(row.latitude, row.longitude),
            wikidata_id=row.wikidata_id,
        )

    @strawberry.field(description="The name in the language asked for.")
    def name(self, lang: LangArgument = Language.EN) -> str:
        return in_language(lang, self.name_th, self.name_en) or self.name_en

    @strawberry.field(description="The smart-city areas in this province (เมืองอัจฉริยะ), by slug.")
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
    ) -> Connection[Annotated[City, strawberry.lazy("schema.cities.types")]]:
        from schema.cities.types import City

        rows = await info.context.loaders.cities_by_province_id.load(
            (self.db_id, CITIES.query(info, where, order_by, updated_since))
        )
        return connection_from_list(rows, PageArgs(first, after, last, before), City.from_row)

    @strawberry.field(description="Projects in this province, in an area or province-wide.")
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
    ) -> Connection[Annotated[Project, strawberry.lazy("schema.projects.types")]]:
        from schema.projects.types import Project

        rows = await info.context.loaders.projects_by_province_id.load(
            (self.db_id, PROJECTS.query(info, where, order_by, updated_since))
        )
        return connection_from_list(rows, PageArgs(first, after, last, before), Project.from_row)

    @strawberry.field(description="Its ASEAN Smart Cities Network membership, if any.")
    async def ascn_membership(self, info: Info) -> AscnMembership | None:
        return await load_related(
            info.context.loaders.ascn_membership_by_province_id, self.db_id, AscnMembership.from_row
        )
