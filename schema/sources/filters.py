from __future__ import annotations

from collections.abc import Mapping
from enum import Enum
from typing import Annotated, Any, ClassVar

import strawberry
from sqlmodel import col

from db.tables import Source
from schema.filters import (
    Columns,
    DateFilter,
    DateTimeFilter,
    EntityFilter,
    Listing,
    OrderDirection,
    Relations,
    SortKey,
    StringFilter,
)


@strawberry.input(description="Conditions on a source; all those given must hold.")
class SourceFilter(EntityFilter):
    key: StringFilter | None = strawberry.field(default=strawberry.UNSET, description="Its key.")
    publisher: StringFilter | None = strawberry.field(
        default=strawberry.UNSET, description="Who published it."
    )
    url: StringFilter | None = strawberry.field(default=strawberry.UNSET, description="Its URL.")
    published_on: DateFilter | None = strawberry.field(
        default=strawberry.UNSET, description="When it was published."
    )
    updated_at: DateTimeFilter | None = strawberry.field(
        default=strawberry.UNSET, description="When the record last changed."
    )
    and_: list[SourceFilter] | None = strawberry.field(
        name="and", default=strawberry.UNSET, description="All of these."
    )
    or_: list[SourceFilter] | None = strawberry.field(
        name="or", default=strawberry.UNSET, description="Any of these."
    )
    not_: SourceFilter | None = strawberry.field(
        name="not", default=strawberry.UNSET, description="Not this."
    )

    COLUMNS: ClassVar[Columns] = {
        "key": col(Source.key),
        "publisher": col(Source.publisher),
        "url": col(Source.url),
        "published_on": col(Source.published_on),
        "updated_at": col(Source.updated_at),
    }
    RELATIONS: ClassVar[Relations] = {}


@strawberry.enum(description="Fields sources can be sorted by.")
class SourceOrderField(Enum):
    KEY = strawberry.enum_value("KEY", description="The natural key.")
    PUBLISHER = strawberry.enum_value("PUBLISHER", description="The publisher's name.")
    PUBLISHED_ON = strawberry.enum_value(
        "PUBLISHED_ON",
        description="The publication date (`2021` sorts before `2021-08`).",
    )
    UPDATED_AT = strawberry.enum_value(
        "UPDATED_AT",
        description="When the record last changed (`updatedAt`).",
    )


@strawberry.input(description="A sort key for sources; unknown values sort last.")
class SourceOrder(SortKey):
    field: SourceOrderField = strawberry.field(description="What to sort by.")
    direction: OrderDirection = strawberry.field(
        default=OrderDirection.ASC, description="Ascending or descending."
    )

    COLUMNS: ClassVar[Mapping[SourceOrderField, Any]] = {
        SourceOrderField.KEY: col(Source.key),
        SourceOrderField.PUBLISHER: col(Source.publisher),
        SourceOrderField.PUBLISHED_ON: col(Source.published_on),
        SourceOrderField.UPDATED_AT: col(Source.updated_at),
    }


SourceFilterArg = Annotated[
    SourceFilter | None,
    strawberry.argument(name="filter", description="Only sources matching this."),
]
SourceOrderArg = Annotated[
    list[SourceOrder] | None,
    strawberry.argument(description="Sort keys, applied in order; a unique key breaks ties."),
]

SOURCES = Listing(
    updated_column=col(Source.updated_at),
    default_order=(col(Source.key),),
    filter_arg=SourceFilterArg,
    order_arg=SourceOrderArg,
)
