from __future__ import annotations

from enum import Enum
from typing import Annotated

import strawberry
from sqlalchemy import ColumnElement
from sqlmodel import col

from db.tables import Dimension
from schema.filters import Listing, OrderDirection, StringFilter, either, entity_clause


@strawberry.input(description="Conditions on a smart dimension; all those given must hold.")
class DimensionFilter:
    code: StringFilter | None = strawberry.field(
        default=strawberry.UNSET, description='Its code, e.g. `{eq: "MOBILITY"}`.'
    )
    name: StringFilter | None = strawberry.field(
        default=strawberry.UNSET, description="Its name in Thai or English."
    )
    and_: list[DimensionFilter] | None = strawberry.field(
        name="and", default=strawberry.UNSET, description="All of these."
    )
    or_: list[DimensionFilter] | None = strawberry.field(
        name="or", default=strawberry.UNSET, description="Any of these."
    )
    not_: DimensionFilter | None = strawberry.field(
        name="not", default=strawberry.UNSET, description="Not this."
    )

    def clause(self) -> ColumnElement[bool]:
        return entity_clause(
            self,
            {"code": col(Dimension.code)},
            {"name": lambda f: either(f, col(Dimension.name_th), col(Dimension.name_en))},
        )


@strawberry.enum(description="Fields dimensions can be sorted by.")
class DimensionOrderField(Enum):
    CODE = "CODE"
    NAME_EN = "NAME_EN"


@strawberry.input(description="A sort key for dimensions.")
class DimensionOrder:
    field: DimensionOrderField = strawberry.field(description="What to sort by.")
    direction: OrderDirection = strawberry.field(
        default=OrderDirection.ASC, description="Ascending or descending."
    )


DIMENSIONS = Listing(
    updated_column=col(Dimension.updated_at),
    orders={
        DimensionOrderField.CODE: col(Dimension.code),
        DimensionOrderField.NAME_EN: col(Dimension.name_en),
    },
    default_order=(col(Dimension.id),),
)

DimensionFilterArg = Annotated[
    DimensionFilter | None,
    strawberry.argument(name="filter", description="Only dimensions matching this."),
]
DimensionOrderArg = Annotated[
    list[DimensionOrder] | None,
    strawberry.argument(description="Sort keys, applied in order; a unique key breaks ties."),
]
