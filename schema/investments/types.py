from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, ClassVar

import strawberry

from db import queries
from db.enums import Certainty, InvestmentKind, InvestmentStage, TextOrigin
from db.tables import Investment as InvestmentRow
from schema.common import Money, Record, money
from schema.computed import Derived, renamed
from schema.connections import to_one_field
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

    city = to_one_field(
        "The smart-city area the money is for.",
        Annotated["City", strawberry.lazy("schema.cities.types")],
        "city_id",
        required=True,
    )

    project = to_one_field(
        "The project the money is for, if the source names one.",
        Annotated["Project", strawberry.lazy("schema.projects.types")],
        "project_id",
    )

    investor = to_one_field(
        "Who invests, where the source names them (ผู้ลงทุน).",
        Annotated["Organization", strawberry.lazy("schema.organizations.types")],
        "investor_id",
    )
