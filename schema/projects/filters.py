from __future__ import annotations

from collections.abc import Mapping
from enum import Enum
from typing import Annotated, Any, ClassVar

import strawberry
from sqlmodel import col

from db.enums import Certainty, ProjectStatus
from db.tables import City, Dimension, Organization, Project, ProjectDimension, Province
from schema.cities.filters import CityFilter
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
from schema.provinces.filters import ProvinceFilter


@strawberry.input(
    description=(
        "Conditions on a project; all those given must hold. A period is a range on "
        '`startOn`/`endOn`, e.g. `{startOn: {gte: "2020"}, endOn: {lt: "2026"}}`.'
    )
)
class ProjectFilter(EntityFilter):
    slug: StringFilter | None = strawberry.field(default=strawberry.UNSET, description="Its slug.")
    title: StringFilter | None = strawberry.field(
        default=strawberry.UNSET, description="Its title in Thai or English."
    )
    status: EnumFilter[ProjectStatus] | None = strawberry.field(
        default=strawberry.UNSET, description="Planned, in progress, …"
    )
    start_on: DateFilter | None = strawberry.field(
        default=strawberry.UNSET, description="When it started."
    )
    end_on: DateFilter | None = strawberry.field(
        default=strawberry.UNSET, description="When it ended or is due to end."
    )
    budget: DecimalFilter | None = strawberry.field(
        default=strawberry.UNSET, description="Its budget in baht."
    )
    is_headline: bool | None = strawberry.field(
        default=strawberry.UNSET, description="Whether it is a certified area's plan itself."
    )
    certainty: EnumFilter[Certainty] | None = strawberry.field(
        default=strawberry.UNSET, description="How firmly the sources establish it."
    )
    city: CityFilter | None = strawberry.field(
        default=strawberry.UNSET, description="Its smart-city area matches this."
    )
    province: ProvinceFilter | None = strawberry.field(
        default=strawberry.UNSET, description="Its province matches this."
    )
    dimension: DimensionFilter | None = strawberry.field(
        default=strawberry.UNSET, description="It works on a dimension matching this."
    )
    operator: OrganizationFilter | None = strawberry.field(
        default=strawberry.UNSET, description="Its operator matches this."
    )
    updated_at: DateTimeFilter | None = strawberry.field(
        default=strawberry.UNSET, description="When the record last changed."
    )
    and_: list[ProjectFilter] | None = strawberry.field(
        name="and", default=strawberry.UNSET, description="All of these."
    )
    or_: list[ProjectFilter] | None = strawberry.field(
        name="or", default=strawberry.UNSET, description="Any of these."
    )
    not_: ProjectFilter | None = strawberry.field(
        name="not", default=strawberry.UNSET, description="Not this."
    )

    COLUMNS: ClassVar[Columns] = {
        "slug": col(Project.slug),
        "status": col(Project.status),
        "start_on": col(Project.start_on),
        "end_on": col(Project.end_on),
        "budget": col(Project.budget),
        "certainty": col(Project.certainty),
        "updated_at": col(Project.updated_at),
    }
    RELATIONS: ClassVar[Relations] = {
        "title": lambda f: either(f, col(Project.title_th), col(Project.title_en)),
        "is_headline": lambda value: col(Project.is_headline).is_(bool(value)),
        "city": refers_to(col(Project.city_id), City),
        "province": refers_to(col(Project.province_id), Province),
        "dimension": linked(
            col(Project.id),
            col(ProjectDimension.project_id),
            col(ProjectDimension.dimension_id),
            Dimension,
        ),
        "operator": refers_to(col(Project.operator_id), Organization),
    }


@strawberry.enum(description="Fields projects can be sorted by.")
class ProjectOrderField(Enum):
    SLUG = strawberry.enum_value("SLUG", description="The slug.")
    TITLE_TH = strawberry.enum_value("TITLE_TH", description="The Thai title.")
    TITLE_EN = strawberry.enum_value("TITLE_EN", description="The English title.")
    STATUS = strawberry.enum_value(
        "STATUS",
        description="The status's name, alphabetically: not the order of a project's stages.",
    )
    START_ON = strawberry.enum_value(
        "START_ON",
        description="The start date (`2021` sorts before `2021-08`).",
    )
    END_ON = strawberry.enum_value(
        "END_ON",
        description="The end date (`2021` sorts before `2021-08`).",
    )
    BUDGET = strawberry.enum_value("BUDGET", description="The budget in baht.")
    UPDATED_AT = strawberry.enum_value(
        "UPDATED_AT",
        description="When the record last changed (`updatedAt`).",
    )


@strawberry.input(description="A sort key for projects; unknown values sort last.")
class ProjectOrder(SortKey):
    field: ProjectOrderField = strawberry.field(description="What to sort by.")
    direction: OrderDirection = strawberry.field(
        default=OrderDirection.ASC, description="Ascending or descending."
    )

    COLUMNS: ClassVar[Mapping[ProjectOrderField, Any]] = {
        ProjectOrderField.SLUG: col(Project.slug),
        ProjectOrderField.TITLE_TH: col(Project.title_th),
        ProjectOrderField.TITLE_EN: col(Project.title_en),
        ProjectOrderField.STATUS: col(Project.status),
        ProjectOrderField.START_ON: col(Project.start_on),
        ProjectOrderField.END_ON: col(Project.end_on),
        ProjectOrderField.BUDGET: col(Project.budget),
        ProjectOrderField.UPDATED_AT: col(Project.updated_at),
    }


ProjectFilterArg = Annotated[
    ProjectFilter | None,
    strawberry.argument(name="filter", description="Only projects matching this."),
]
ProjectOrderArg = Annotated[
    list[ProjectOrder] | None,
    strawberry.argument(description="Sort keys, applied in order; a unique key breaks ties."),
]

PROJECTS = Listing(
    updated_column=col(Project.updated_at),
    default_order=(col(Project.slug),),
    filter_arg=ProjectFilterArg,
    order_arg=ProjectOrderArg,
)
