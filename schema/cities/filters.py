from __future__ import annotations

from collections.abc import Mapping
from enum import Enum
from typing import Annotated, Any, ClassVar

import strawberry
from sqlmodel import col

from db import queries
from db.enums import Certainty, CityStatus, CityType
from db.tables import City, CityDimension, Dimension, Organization, Province
from schema.dimensions.filters import DimensionFilter
from schema.filters import (
    Columns,
    DateFilter,
    DateTimeFilter,
    DecimalFilter,
    EntityFilter,
    EnumFilter,
    Listing,
    OrderDirection,
    Relations,
    SortKey,
    StringFilter,
    either,
    linked,
    refers_to,
)
from schema.organizations.filters import OrganizationFilter
from schema.provinces.filters import ProvinceFilter, province_in_ascn


@strawberry.input(
    description=(
        "Conditions on a smart-city area; all those given must hold. Relations filter by "
        "the related record, e.g. `{province: {region: {eq: NORTH}}, "
        'dimension: {code: {eq: "MOBILITY"}}}`.'
    )
)
class CityFilter(EntityFilter):
    slug: StringFilter | None = strawberry.field(default=strawberry.UNSET, description="Its slug.")
    name: StringFilter | None = strawberry.field(
        default=strawberry.UNSET, description="Its name in Thai or English."
    )
    status: EnumFilter[CityStatus] | None = strawberry.field(
        default=strawberry.UNSET, description="Certification status."
    )
    city_type: EnumFilter[CityType] | None = strawberry.field(
        default=strawberry.UNSET, description="Existing or new city."
    )
    certification_round: StringFilter | None = strawberry.field(
        default=strawberry.UNSET, description='Certification round, e.g. `{eq: "2021-R1"}`.'
    )
    certified_on: DateFilter | None = strawberry.field(
        default=strawberry.UNSET, description="When it was certified."
    )
    proposed_on: DateFilter | None = strawberry.field(
        default=strawberry.UNSET, description="When it was proposed."
    )
    certainty: EnumFilter[Certainty] | None = strawberry.field(
        default=strawberry.UNSET, description="How firmly the sources establish it."
    )
    province: ProvinceFilter | None = strawberry.field(
        default=strawberry.UNSET, description="Its province matches this."
    )
    dimension: DimensionFilter | None = strawberry.field(
        default=strawberry.UNSET, description="Its plan targets a dimension matching this."
    )
    operator: OrganizationFilter | None = strawberry.field(
        default=strawberry.UNSET, description="Its operator matches this."
    )
    ascn_member: bool | None = strawberry.field(
        default=strawberry.UNSET,
        description="Whether its province is in the ASEAN Smart Cities Network.",
    )
    latest_progress: DecimalFilter | None = strawberry.field(
        default=strawberry.UNSET, description="Its latest percent complete."
    )
    updated_at: DateTimeFilter | None = strawberry.field(
        default=strawberry.UNSET, description="When the record last changed."
    )
    and_: list[CityFilter] | None = strawberry.field(
        name="and", default=strawberry.UNSET, description="All of these."
    )
    or_: list[CityFilter] | None = strawberry.field(
        name="or", default=strawberry.UNSET, description="Any of these."
    )
    not_: CityFilter | None = strawberry.field(
        name="not", default=strawberry.UNSET, description="Not this."
    )

    COLUMNS: ClassVar[Columns] = {
        "slug": col(City.slug),
        "status": col(City.status),
        "city_type": col(City.city_type),
        "certification_round": col(City.certification_round),
        "certified_on": col(City.certified_on),
        "proposed_on": col(City.proposed_on),
        "certainty": col(City.certainty),
        "latest_progress": queries.latest_progress(),
        "updated_at": col(City.updated_at),
    }
    RELATIONS: ClassVar[Relations] = {
        "name": lambda f: either(f, col(City.name_th), col(City.name_en)),
        "province": refers_to(col(City.province_id), Province),
        "operator": refers_to(col(City.operator_id), Organization),
        "dimension": linked(
            col(City.id),
            col(CityDimension.city_id),
            col(CityDimension.dimension_id),
            Dimension,
        ),
        "ascn_member": province_in_ascn(col(City.province_id)),
    }


@strawberry.enum(description="Fields smart-city areas can be sorted by.")
class CityOrderField(Enum):
    SLUG = strawberry.enum_value("SLUG", description="The slug.")
    NAME_TH = strawberry.enum_value("NAME_TH", description="The Thai name.")
    NAME_EN = strawberry.enum_value("NAME_EN", description="The English name.")
    STATUS = strawberry.enum_value(
        "STATUS",
        description=(
            "The status's name, alphabetically: not the order of the certification steps."
        ),
    )
    CERTIFICATION_ROUND = strawberry.enum_value(
        "CERTIFICATION_ROUND",
        description="The certification round as text, e.g. `2021-R1` before `2022-R2`.",
    )
    CERTIFIED_ON = strawberry.enum_value(
        "CERTIFIED_ON",
        description="The certification date (`2021` sorts before `2021-08`).",
    )
    PROVINCE_NAME = strawberry.enum_value(
        "PROVINCE_NAME",
        description="The English name of the area's province.",
    )
    LATEST_PROGRESS = strawberry.enum_value(
        "LATEST_PROGRESS",
        description="The area's latest progress percent (`PROGRESS_PERCENT`).",
    )
    TOTAL_INVESTMENT = strawberry.enum_value(
        "TOTAL_INVESTMENT",
        description=(
            "The sum of the area's actual investment (stage `ACTUAL`) in baht; expected, "
            "budgeted and requested money and registered capital are left out, as are figures "
            "in other currencies. Areas with none come last."
        ),
    )
    UPDATED_AT = strawberry.enum_value(
        "UPDATED_AT",
        description="When the record last changed (`updatedAt`).",
    )


@strawberry.input(description="A sort key for smart-city areas; unknown values sort last.")
class CityOrder(SortKey):
    field: CityOrderField = strawberry.field(description="What to sort by.")
    direction: OrderDirection = strawberry.field(
        default=OrderDirection.ASC, description="Ascending or descending."
    )

    COLUMNS: ClassVar[Mapping[CityOrderField, Any]] = {
        CityOrderField.SLUG: col(City.slug),
        CityOrderField.NAME_TH: col(City.name_th),
        CityOrderField.NAME_EN: col(City.name_en),
        CityOrderField.STATUS: col(City.status),
        CityOrderField.CERTIFICATION_ROUND: col(City.certification_round),
        CityOrderField.CERTIFIED_ON: col(City.certified_on),
        CityOrderField.PROVINCE_NAME: queries.province_column(
            col(Province.name_en), col(City.province_id)
        ),
        CityOrderField.LATEST_PROGRESS: queries.latest_progress(),
        CityOrderField.TOTAL_INVESTMENT: queries.total_investment(),
        CityOrderField.UPDATED_AT: col(City.updated_at),
    }


CityFilterArg = Annotated[
    CityFilter | None,
    strawberry.argument(name="filter", description="Only smart-city areas matching this."),
]
CityOrderArg = Annotated[
    list[CityOrder] | None,
    strawberry.argument(description="Sort keys, applied in order; a unique key breaks ties."),
]

CITIES = Listing(
    updated_column=col(City.updated_at),
    default_order=(col(City.slug),),
    filter_arg=CityFilterArg,
    order_arg=CityOrderArg,
)
