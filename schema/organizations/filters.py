from __future__ import annotations

from collections.abc import Mapping
from enum import Enum
from typing import Annotated, Any, ClassVar

import strawberry
from sqlmodel import col

from db.enums import OrganizationKind
from db.tables import Organization
from schema.filters import (
    Columns,
    DateTimeFilter,
    EntityFilter,
    EnumFilter,
    Listing,
    OrderDirection,
    Relations,
    SortKey,
    StringFilter,
    either,
)


@strawberry.input(description="Conditions on an organisation; all those given must hold.")
class OrganizationFilter(EntityFilter):
    slug: StringFilter | None = strawberry.field(default=strawberry.UNSET, description="Its slug.")
    name: StringFilter | None = strawberry.field(
        default=strawberry.UNSET, description="Its name in Thai or English, or abbreviation."
    )
    kind: EnumFilter[OrganizationKind] | None = strawberry.field(
        default=strawberry.UNSET, description="What kind of body it is."
    )
    updated_at: DateTimeFilter | None = strawberry.field(
        default=strawberry.UNSET, description="When the record last changed."
    )
    and_: list[OrganizationFilter] | None = strawberry.field(
        name="and", default=strawberry.UNSET, description="All of these."
    )
    or_: list[OrganizationFilter] | None = strawberry.field(
        name="or", default=strawberry.UNSET, description="Any of these."
    )
    not_: OrganizationFilter | None = strawberry.field(
        name="not", default=strawberry.UNSET, description="Not this."
    )

    COLUMNS: ClassVar[Columns] = {
        "slug": col(Organization.slug),
        "kind": col(Organization.kind),
        "updated_at": col(Organization.updated_at),
    }
    RELATIONS: ClassVar[Relations] = {
        "name": lambda f: either(
            f,
            col(Organization.name_th),
            col(Organization.name_en),
            col(Organization.abbreviation),
        )
    }


@strawberry.enum(description="Fields organisations can be sorted by.")
class OrganizationOrderField(Enum):
    SLUG = strawberry.enum_value("SLUG", description="The slug.")
    NAME_EN = strawberry.enum_value("NAME_EN", description="The English name.")
    KIND = strawberry.enum_value("KIND", description="The kind's name, alphabetically.")
    UPDATED_AT = strawberry.enum_value(
        "UPDATED_AT",
        description="When the record last changed (`updatedAt`).",
    )


@strawberry.input(description="A sort key for organisations.")
class OrganizationOrder(SortKey):
    field: OrganizationOrderField = strawberry.field(description="What to sort by.")
    direction: OrderDirection = strawberry.field(
        default=OrderDirection.ASC, description="Ascending or descending."
    )

    COLUMNS: ClassVar[Mapping[OrganizationOrderField, Any]] = {
        OrganizationOrderField.SLUG: col(Organization.slug),
        OrganizationOrderField.NAME_EN: col(Organization.name_en),
        OrganizationOrderField.KIND: col(Organization.kind),
        OrganizationOrderField.UPDATED_AT: col(Organization.updated_at),
    }


OrganizationFilterArg = Annotated[
    OrganizationFilter | None,
    strawberry.argument(name="filter", description="Only organisations matching this."),
]
OrganizationOrderArg = Annotated[
    list[OrganizationOrder] | None,
    strawberry.argument(description="Sort keys, applied in order; a unique key breaks ties."),
]

ORGANIZATIONS = Listing(
    updated_column=col(Organization.updated_at),
    default_order=(col(Organization.slug),),
    filter_arg=OrganizationFilterArg,
    order_arg=OrganizationOrderArg,
)
