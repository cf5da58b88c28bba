from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, ClassVar

import strawberry

from db import queries
from db.enums import Certainty, InvestmentKind, InvestmentStage, TextOrigin
from db.tables import Investment as InvestmentRow
from schema.common import Money, Record, load_related, money
from schema.computed import Derived, renamed
from schema.context import Info
from schema.node import Node
from schema.scalars import PartialDate

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
    table = InvestmentRow
    WORDING: ClassVar[dict[str, TextOrigin | str]] = {"label": TextOrigin.SUMMARY}
    key: str = strawberry.field(description="Stable identifier.")
    amount: Money = strawberry.field(description="The amount, exact, with its currency.")
    kind: InvestmentKind = strawberry.field(description="Public, private, PPP, …")
    stage: InvestmentStage = strawberry.field(description="Actual, expected, budgeted, requested.")
    label: str | None = strawberry.field(description="What the figure is, in English.")
    as_of: PartialDate | None = strawberry.field(
        description="The date the figure refers to; null where the source is undated."
    )
    certainty: Certainty = strawberry.field(description="How firmly the sources establish it.")
    year: int | None = strawberry.field(
        description="The year the figure refers to (ค.ศ.), from `asOf`."
    )
    city_id: strawberry.Private[int]
    project_id: strawberry.Private[int | None]
    investor_id: strawberry.Private[int | None]

    DERIVED: ClassVar[dict[str, Derived]] = {
        "amount": Derived(("amount", "currency"), money),
        "label": renamed("label_en"),
        "year": Derived(("as_of",), queries.year_of),
    }

    @strawberry.field(description="The smart-city area the money is for.")
    async def city(self, info: Info) -> Annotated[City, strawberry.lazy("schema.cities.types")]:
        from schema.cities.types import City

        related = await load_related(info, City, self.city_id)
        assert related is not None  # a foreign key
        return related

    @strawberry.field(description="The project the money is for, if the source names one.")
    async def project(
        self, info: Info
    ) -> Annotated[Project, strawberry.lazy("schema.projects.types")] | None:
        from schema.projects.types import Project

        return await load_related(info, Project, self.project_id)

    @strawberry.field(description="Who invests, where the source names them (ผู้ลงทุน).")
    async def investor(
        self, info: Info
    ) -> Annotated[Organization, strawberry.lazy("schema.organizations.types")] | None:
        from schema.organizations.types import Organization

        return await load_related(info, Organization, self.investor_id)
