from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

from db import queries
from db.enums import Certainty, InvestmentKind, InvestmentStage
from db.tables import Investment as InvestmentRow
from schema.common import Money, Record, load_one, load_related
from schema.context import Info
from schema.node import Node, encode_id
from schema.scalars import PartialDate, partial_date

if TYPE_CHECKING:
    from schema.cities.types import City
    from schema.organizations.types import Organization
    from schema.projects.types import Project


@strawberry.type(
    description=(
        "An amount of money invested in, budgeted for or expected in a smart-city area "
        "(การลงทุน), optionally for one of its projects. Sources often disagree; each figure "
        "is kept with its own sources and date rather than merged."
    )
)
class Investment(Record, Node):
    table = "investment"
    key: str = strawberry.field(description="Stable identifier.")
    amount: Money = strawberry.field(description="The amount, exact, with its currency.")
    kind: InvestmentKind = strawberry.field(description="Public, private, PPP, …")
    stage: InvestmentStage = strawberry.field(description="Actual, expected, budgeted, requested.")
    label: str | None = strawberry.field(description="What the figure is, in English.")
    as_of: PartialDate | None = strawberry.field(
        description="The date the figure refers to; null where the source is undated."
    )
    certainty: Certainty = strawberry.field(description="How firmly the sources establish it.")
    city_id: strawberry.Private[int]
    project_id: strawberry.Private[int | None]
    investor_id: strawberry.Private[int | None]

    @classmethod
    def from_row(cls, row: InvestmentRow) -> Investment:
        assert row.id is not None
        return cls(
            id=encode_id("Investment", row.key),
            db_id=row.id,
            updated_at=row.updated_at,
            key=row.key,
            amount=Money(amount=row.amount, currency=row.currency),
            kind=row.kind,
            stage=row.stage,
            label=row.label_en,
            as_of=partial_date(row.as_of),
            certainty=row.certainty,
            city_id=row.city_id,
            project_id=row.project_id,
            investor_id=row.investor_id,
        )

    @classmethod
    async def load(cls, info: Info, key: str) -> Investment:
        return await load_one(
            info.context.loaders.investment_by_key, key, cls.from_row, "investment with key"
        )

    @strawberry.field(description="The year the figure refers to (ค.ศ.), from `asOf`.")
    def year(self) -> int | None:
        return queries.year_of(self.as_of)

    @strawberry.field(description="The smart-city area the money is for.")
    async def city(self, info: Info) -> Annotated[City, strawberry.lazy("schema.cities.types")]:
        from schema.cities.types import City

        related = await load_related(info.context.loaders.city_by_id, self.city_id, City.from_row)
        assert related is not None  # a foreign key
        return related

    @strawberry.field(description="The project the money is for, if the source names one.")
    async def project(
        self, info: Info
    ) -> Annotated[Project, strawberry.lazy("schema.projects.types")] | None:
        from schema.projects.types import Project

        return await load_related(
            info.context.loaders.project_by_id, self.project_id, Project.from_row
        )

    @strawberry.field(description="Who invests, where the source names them (ผู้ลงทุน).")
    async def investor(
        self, info: Info
    ) -> Annotated[Organization, strawberry.lazy("schema.organizations.types")] | None:
        from schema.organizations.types import Organization

        return await load_related(
            info.context.loaders.organization_by_id, self.investor_id, Organization.from_row
        )
