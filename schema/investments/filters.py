from __future__ import annotations

from collections.abc import Mapping
from enum import Enum
from typing import Annotated, Any, ClassVar

import strawberry
from sqlalchemy import ColumnElement, select
from sqlmodel import col

from db import queries
from db.enums import Certainty, Currency, InvestmentKind, InvestmentStage
from db.tables import (
    City,
    Dimension,
    Investment,
    Organization,
    Project,
    Province,
)
from schema.cities.filters import CityFilter
from schema.dimensions.filters import DimensionFilter
from schema.filters import (
    Columns,
    DateFilter,
    DateTimeFilter,
    DecimalFilter,
    EntityFilter,
    EnumFilter,
    IntFilter,
    Listing,
    OrderDirection,
    Relations,
    SortKey,
    StringFilter,
    ids_matching,
    refers_to,
)
from schema.organizations.filters import OrganizationFilter
from schema.projects.filters import ProjectFilter
from schema.provinces.filters import ProvinceFilter


def _counts_under_dimension(filter_: DimensionFilter) -> ColumnElement[bool]:
    links = queries.investment_dimensions()
    return col(Investment.id).in_(
        select(links.c.investment_id).where(
            links.c.dimension_id.in_(ids_matching(Dimension, filter_))
        )
    )


def _in_province(filter_: ProvinceFilter) -> ColumnElement[bool]:
    cities = select(col(City.id)).where(col(City.province_id).in_(ids_matching(Province, filter_)))
    return col(Investment.city_id).in_(cities)


@strawberry.input(description="Conditions on an investment; all those given must hold.")
class InvestmentFilter(EntityFilter):
    key: StringFilter | None = strawberry.field(default=strawberry.UNSET, description="Its key.")
    kind: EnumFilter[InvestmentKind] | None = strawberry.field(
        default=strawberry.UNSET, description="Public, private, PPP, …"
    )
    stage: EnumFilter[InvestmentStage] | None = strawberry.field(
        default=strawberry.UNSET, description="Actual, expected, budgeted, requested."
    )
    currency: EnumFilter[Currency] | None = strawberry.field(
        default=strawberry.UNSET, description="Its currency."
    )
    amount: DecimalFilter | None = strawberry.field(
        default=strawberry.UNSET, description="Its amount."
    )
    year: IntFilter | None = strawberry.field(
        default=strawberry.UNSET, description="The year the figure refers to."
    )
    as_of: DateFilter | None = strawberry.field(
        default=strawberry.UNSET, description="The date the figure refers to."
    )
    certainty: EnumFilter[Certainty] | None = strawberry.field(
        default=strawberry.UNSET, description="How firmly the sources establish it."
    )
    city: CityFilter | None = strawberry.field(
        default=strawberry.UNSET, description="Its smart-city area matches this."
    )
    project: ProjectFilter | None = strawberry.field(
        default=strawberry.UNSET, description="Its project matches this."
    )
    province: ProvinceFilter | None = strawberry.field(
        default=strawberry.UNSET, description="Its area's province matches this."
    )
    dimension: DimensionFilter | None = strawberry.field(
        default=strawberry.UNSET,
        description=(
            "It counts under a dimension matching this: its project's dimensions, or for "
            "money tied to no project, the dimensions its area's plan targets."
        ),
    )
    investor: OrganizationFilter | None = strawberry.field(
        default=strawberry.UNSET, description="Its investor matches this."
    )
    updated_at: DateTimeFilter | None = strawberry.field(
        default=strawberry.UNSET, description="When the record last changed."
    )
    and_: list[InvestmentFilter] | None = strawberry.field(
        name="and", default=strawberry.UNSET, description="All of these."
    )
    or_: list[InvestmentFilter] | None = strawberry.field(
        name="or", default=strawberry.UNSET, description="Any of these."
    )
    not_: InvestmentFilter | None = strawberry.field(
        name="not", default=strawberry.UNSET, description="Not this."
    )

    COLUMNS: ClassVar[Columns] = {
        "key": col(Investment.key),
        "kind": col(Investment.kind),
        "stage": col(Investment.stage),
        "currency": col(Investment.currency),
        "amount": col(Investment.amount),
        "year": queries.investment_year(),
        "as_of": col(Investment.as_of),
        "certainty": col(Investment.certainty),
        "updated_at": col(Investment.updated_at),
    }
    RELATIONS: ClassVar[Relations] = {
        "city": refers_to(col(Investment.city_id), City),
        "project": refers_to(col(Investment.project_id), Project),
        "province": _in_province,
        "dimension": _counts_under_dimension,
        "investor": refers_to(col(Investment.investor_id), Organization),
    }


@strawberry.enum(description="Fields investments can be sorted by.")
class InvestmentOrderField(Enum):
    KEY = strawberry.enum_value("KEY", description="The natural key.")
    AMOUNT = strawberry.enum_value(
        "AMOUNT",
        description="The amount as a number, whatever its currency.",
    )
    AS_OF = strawberry.enum_value(
        "AS_OF",
        description="The date the figure is as of (`2021` sorts before `2021-08`).",
    )
    KIND = strawberry.enum_value("KIND", description="The kind's name, alphabetically.")
    UPDATED_AT = strawberry.enum_value(
        "UPDATED_AT",
        description="When the record last changed (`updatedAt`).",
    )


@strawberry.input(description="A sort key for investments; unknown values sort last.")
class InvestmentOrder(SortKey):
    field: InvestmentOrderField = strawberry.field(description="What to sort by.")
    direction: OrderDirection = strawberry.field(
        default=OrderDirection.ASC, description="Ascending or descending."
    )

    COLUMNS: ClassVar[Mapping[InvestmentOrderField, Any]] = {
        InvestmentOrderField.KEY: col(Investment.key),
        InvestmentOrderField.AMOUNT: col(Investment.amount),
        InvestmentOrderField.AS_OF: col(Investment.as_of),
        InvestmentOrderField.KIND: col(Investment.kind),
        InvestmentOrderField.UPDATED_AT: col(Investment.updated_at),
    }


InvestmentFilterArg = Annotated[
    InvestmentFilter | None,
    strawberry.argument(name="filter", description="Only investments matching this."),
]
InvestmentOrderArg = Annotated[
    list[InvestmentOrder] | None,
    strawberry.argument(description="Sort keys, applied in order; a unique key breaks ties."),
]

INVESTMENTS = Listing(
    updated_column=col(Investment.updated_at),
    default_order=(col(Investment.key),),
    filter_arg=InvestmentFilterArg,
    order_arg=InvestmentOrderArg,
)
