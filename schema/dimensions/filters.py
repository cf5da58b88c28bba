from __future__ import annotations

from typing import ClassVar

import strawberry
from sqlmodel import col

from db.tables import Dimension
from schema.filters import (
    Columns,
    EntityFilter,
    Listing,
    Relations,
    StringFilter,
    either,
)


@strawberry.input(description="Conditions on a smart dimension; all those given must hold.")
class DimensionFilter(EntityFilter):
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

    COLUMNS: ClassVar[Columns] = {"code": col(Dimension.code)}
    RELATIONS: ClassVar[Relations] = {
        "name": lambda f: either(f, col(Dimension.name_th), col(Dimension.name_en))
    }


DIMENSIONS = Listing(
    updated_column=col(Dimension.updated_at),
    default_order=(col(Dimension.id),),
)
