from __future__ import annotations

from collections.abc import Mapping
from enum import Enum
from typing import Annotated, Any, ClassVar

import strawberry
from sqlalchemy import ColumnElement, exists
from sqlmodel import col

from db.enums import Region
from db.tables import AscnMembership, Province
from schema.filters import (
    Columns,
    DateTimeFilter,
    EntityFilter,
    EnumFilter,
    Listing,
    OrderDirection,
    Relation,
    Relations,
    SortKey,
    StringFilter,
    either,
)


def province_in_ascn(province_id: Any) -> Relation:
    """The `ascnMember` condition on records whose province is `province_id`."""

    def condition(member: bool) -> ColumnElement[bool]:
        is_member = exists().where(col(AscnMembership.province_id) == province_id)
        return is_member if member else ~is_member

    return condition


@strawberry.input(description="Conditions on a province; all those given must hold.")
class ProvinceFilter(EntityFilter):
    code: StringFilter | None = strawberry.field(
        default=strawberry.UNSET, description='ISO code, e.g. `{in: ["TH-10", "TH-50"]}`.'
    )
    name: StringFilter | None = strawberry.field(
        default=strawberry.UNSET, description="Its name in Thai or English."
    )
    region: EnumFilter[Region] | None = strawberry.field(
        default=strawberry.UNSET, description="Its region (ภาค)."
    )
    ascn_member: bool | None = strawberry.field(
        default=strawberry.UNSET,
        description="Whether it is in the ASEAN Smart Cities Network.",
    )
    updated_at: DateTimeFilter | None = strawberry.field(
        default=strawberry.UNSET, description="When the record last changed."
    )
    and_: list[ProvinceFilter] | None = strawberry.field(
        name="and", default=strawberry.UNSET, description="All of these."
    )
    or_: list[ProvinceFilter] | None = strawberry.field(
        name="or", default=strawberry.UNSET, description="Any of these."
    )
    not_: ProvinceFilter | None = strawberry.field(
        name="not", default=strawberry.UNSET, description="Not this."
    )

    COLUMNS: ClassVar[Columns] = {
        "code": col(Province.code),
        "region": col(Province.region),
        "updated_at": col(Province.updated_at),
    }
    RELATIONS: ClassVar[Relations] = {
        "name": lambda f: either(f, col(Province.name_th), col(Province.name_en)),
        "ascn_member": province_in_ascn(col(Province.id)),
    }


@strawberry.enum(description="Fields provinces can be sorted by.")
class ProvinceOrderField(Enum):
    CODE = strawberry.enum_value("CODE", description="The ISO 3166-2 code, e.g. `TH-10`.")
    NAME_EN = strawberry.enum_value("NAME_EN", description="The English name.")
    NAME_TH = strawberry.enum_value("NAME_TH", description="The Thai name.")
    REGION = strawberry.enum_value("REGION", description="The region's name, alphabetically.")
    UPDATED_AT = strawberry.enum_value(
        "UPDATED_AT",
        description="When the record last changed (`updatedAt`).",
    )


@strawberry.input(description="A sort key for provinces.")
class ProvinceOrder(SortKey):
    field: ProvinceOrderField = strawberry.field(description="What to sort by.")
    direction: OrderDirection = strawberry.field(
        default=OrderDirection.ASC, description="Ascending or descending."
    )

    COLUMNS: ClassVar[Mapping[ProvinceOrderField, Any]] = {
        ProvinceOrderField.CODE: col(Province.code),
        ProvinceOrderField.NAME_EN: col(Province.name_en),
        ProvinceOrderField.NAME_TH: col(Province.name_th),
        ProvinceOrderField.REGION: col(Province.region),
        ProvinceOrderField.UPDATED_AT: col(Province.updated_at),
    }


ProvinceFilterArg = Annotated[
    ProvinceFilter | None,
    strawberry.argument(name="filter", description="Only provinces matching this."),
]
ProvinceOrderArg = Annotated[
    list[ProvinceOrder] | None,
    strawberry.argument(description="Sort keys, applied in order; a unique key breaks ties."),
]

PROVINCES = Listing(
    updated_column=col(Province.updated_at),
    default_order=(col(Province.code),),
    filter_arg=ProvinceFilterArg,
    order_arg=ProvinceOrderArg,
)
