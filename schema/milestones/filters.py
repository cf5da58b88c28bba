from __future__ import annotations

from collections.abc import Mapping
from enum import Enum
from typing import Annotated, Any, ClassVar

import strawberry
from sqlmodel import col

from db import queries
from db.enums import MilestoneStatus, MilestoneType
from db.tables import City, Milestone, Project
from schema.cities.filters import CityFilter
from schema.filters import (
    Columns,
    DateFilter,
    DateTimeFilter,
    EntityFilter,
    EnumFilter,
    Listing,
    OrderDirection,
    Relations,
    SortKey,
    StringFilter,
    either,
    refers_to,
)
from schema.projects.filters import ProjectFilter


@strawberry.input(description="Conditions on a milestone; all those given must hold.")
class MilestoneFilter(EntityFilter):
    title: StringFilter | None = strawberry.field(
        default=strawberry.UNSET, description="Its title in Thai or English."
    )
    status: EnumFilter[MilestoneStatus] | None = strawberry.field(
        default=strawberry.UNSET, description="Scheduled, met, not met, …"
    )
    type: EnumFilter[MilestoneType] | None = strawberry.field(
        default=strawberry.UNSET, description="What kind of step it is."
    )
    due_on: DateFilter | None = strawberry.field(
        default=strawberry.UNSET, description="When it was due."
    )
    met_on: DateFilter | None = strawberry.field(
        default=strawberry.UNSET, description="When it happened."
    )
    date: DateFilter | None = strawberry.field(
        default=strawberry.UNSET, description="When it happened, else when it is due."
    )
    programme_wide: bool | None = strawberry.field(
        default=strawberry.UNSET,
        description="Whether it is a step of the programme as a whole.",
    )
    project: ProjectFilter | None = strawberry.field(
        default=strawberry.UNSET, description="Its project matches this."
    )
    city: CityFilter | None = strawberry.field(
        default=strawberry.UNSET, description="Its smart-city area matches this."
    )
    updated_at: DateTimeFilter | None = strawberry.field(
        default=strawberry.UNSET, description="When the record last changed."
    )
    and_: list[MilestoneFilter] | None = strawberry.field(
        name="and", default=strawberry.UNSET, description="All of these."
    )
    or_: list[MilestoneFilter] | None = strawberry.field(
        name="or", default=strawberry.UNSET, description="Any of these."
    )
    not_: MilestoneFilter | None = strawberry.field(
        name="not", default=strawberry.UNSET, description="Not this."
    )

    COLUMNS: ClassVar[Columns] = {
        "status": col(Milestone.status),
        "type": col(Milestone.type),
        "due_on": col(Milestone.due_on),
        "met_on": col(Milestone.met_on),
        "date": queries.milestone_date(),
        "updated_at": col(Milestone.updated_at),
    }
    RELATIONS: ClassVar[Relations] = {
        "title": lambda f: either(f, col(Milestone.title_th), col(Milestone.title_en)),
        "programme_wide": lambda wide: (
            queries.programme_wide_milestone() if wide else ~queries.programme_wide_milestone()
        ),
        "project": refers_to(col(Milestone.project_id), Project),
        "city": refers_to(col(Milestone.city_id), City),
    }


@strawberry.enum(description="Fields milestones can be sorted by.")
class MilestoneOrderField(Enum):
    DATE = strawberry.enum_value(
        "DATE",
        description="When it happened, else when it is due (`2021` sorts before `2021-08`).",
    )
    DUE_ON = strawberry.enum_value(
        "DUE_ON",
        description="When it was planned for (`2021` sorts before `2021-08`).",
    )
    MET_ON = strawberry.enum_value(
        "MET_ON",
        description="When it happened (`2021` sorts before `2021-08`).",
    )
    STATUS = strawberry.enum_value("STATUS", description="The status's name, alphabetically.")
    KEY = strawberry.enum_value("KEY", description="The natural key.")
    UPDATED_AT = strawberry.enum_value(
        "UPDATED_AT",
        description="When the record last changed (`updatedAt`).",
    )


@strawberry.input(description="A sort key for milestones; unknown values sort last.")
class MilestoneOrder(SortKey):
    field: MilestoneOrderField = strawberry.field(description="What to sort by.")
    direction: OrderDirection = strawberry.field(
        default=OrderDirection.ASC, description="Ascending or descending."
    )

    COLUMNS: ClassVar[Mapping[MilestoneOrderField, Any]] = {
        MilestoneOrderField.DATE: queries.milestone_date(),
        MilestoneOrderField.DUE_ON: col(Milestone.due_on),
        MilestoneOrderField.MET_ON: col(Milestone.met_on),
        MilestoneOrderField.STATUS: col(Milestone.status),
        MilestoneOrderField.KEY: col(Milestone.key),
        MilestoneOrderField.UPDATED_AT: col(Milestone.updated_at),
    }


MilestoneFilterArg = Annotated[
    MilestoneFilter | None,
    strawberry.argument(name="filter", description="Only milestones matching this."),
]
MilestoneOrderArg = Annotated[
    list[MilestoneOrder] | None,
    strawberry.argument(description="Sort keys, applied in order; a unique key breaks ties."),
]

MILESTONES = Listing(
    updated_column=col(Milestone.updated_at),
    # Calendar order: when a step happened, else when it is due; undated steps last.
    default_order=(queries.milestone_date().asc().nulls_last(), col(Milestone.key)),
    filter_arg=MilestoneFilterArg,
    order_arg=MilestoneOrderArg,
)
