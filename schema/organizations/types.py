from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

from db.enums import OrganizationKind
from db.tables import Organization as OrganizationRow
from schema.cities.filters import CITIES, CityFilterArg, CityOrderArg
from schema.common import LangArgument, Language, Record, in_language, load_one
from schema.context import Info
from schema.filters import UpdatedSince
from schema.investments.filters import INVESTMENTS, InvestmentFilterArg, InvestmentOrderArg
from schema.node import Node, encode_id
from schema.pagination import After, Before, Connection, First, Last, PageArgs, connection_from_list
from schema.projects.filters import PROJECTS, ProjectFilterArg, ProjectOrderArg

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
    table = "organization"
    slug: str = strawberry.field(description="Stable identifier, e.g. `egat`.")
    name_en: str | None = strawberry.field(description="English name as printed.")
    name_th: str | None = strawberry.field(description="Thai name as printed (ชื่อภาษาไทย).")
    abbreviation: str | None = strawberry.field(description="Short name, e.g. EGAT.")
    kind: OrganizationKind = strawberry.field(description="Agency, state enterprise, company, …")

    @classmethod
    def from_row(cls, row: OrganizationRow) -> Organization:
        assert row.id is not None
        return cls(
            id=encode_id("Organization", row.slug),
            db_id=row.id,
            updated_at=row.updated_at,
            slug=row.slug,
            name_en=row.name_en,
            name_th=row.name_th,
            abbreviation=row.abbreviation,
            kind=row.kind,
        )

    @classmethod
    async def load(cls, info: Info, key: str) -> Organization:
        return await load_one(
            info.context.loaders.organization_by_slug, key, cls.from_row, "organization with slug"
        )

    @strawberry.field(description="The name in the language asked for.")
    def name(self, lang: LangArgument = Language.EN) -> str | None:
        return in_language(lang, self.name_th, self.name_en)

    @strawberry.field(description="Areas this organisation operates, by slug.")
    async def operated_cities(
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

        rows = await info.context.loaders.cities_by_operator_id.load(
            (self.db_id, CITIES.query(info, where, order_by, updated_since))
        )
        return connection_from_list(rows, PageArgs(first, after, last, before), City.from_row)

    @strawberry.field(description="Projects this organisation operates, by slug.")
    async def operated_projects(
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

        rows = await info.context.loaders.projects_by_operator_id.load(
            (self.db_id, PROJECTS.query(info, where, order_by, updated_since))
        )
        return connection_from_list(rows, PageArgs(first, after, last, before), Project.from_row)

    @strawberry.field(description="Investments this organisation made or committed.")
    async def investments(
        self,
        info: Info,
        where: InvestmentFilterArg = None,
        order_by: InvestmentOrderArg = None,
        updated_since: UpdatedSince = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Annotated[Investment, strawberry.lazy("schema.investments.types")]]:
        from schema.investments.types import Investment

        rows = await info.context.loaders.investments_by_investor_id.load(
            (self.db_id, INVESTMENTS.query(info, where, order_by, updated_since))
        )
        return connection_from_list(rows, PageArgs(first, after, last, before), Investment.from_row)
