from __future__ import annotations

from collections.abc import Mapping
from enum import Enum
from typing import Annotated, Any, ClassVar

import strawberry
from sqlalchemy import ColumnElement
from sqlmodel import col

from db.enums import Certainty
from db.tables import City, Dimension, Observation, Project
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
    refers_to,
)
from schema.projects.filters import ProjectFilter


def _programme_wide(flag: bool) -> ColumnElement[bool]:
    """Figures for the programme as a whole: of no area and no project."""
    wide = col(Observation.city_id).is_(None) & col(Observation.project_id).is_(None)
    return wide if flag else ~wide


@strawberry.input(description="Conditions on an observation; all those given must hold.")
class ObservationFilter(EntityFilter):
    indicator: StringFilter | None = strawberry.field(
        default=strawberry.UNSET, description='What is measured, e.g. `{eq: "TSCCI_SCORE"}`.'
    )
    value: DecimalFilter | None = strawberry.field(
        default=strawberry.UNSET, description="Its value."
    )
    unit: StringFilter | None = strawberry.field(default=strawberry.UNSET, description="Its unit.")
    qualifier: StringFilter | None = strawberry.field(
        default=strawberry.UNSET, description='Its qualifier, e.g. `{contains: "2023"}`.'
    )
    as_of: DateFilter | None = strawberry.field(
        default=strawberry.UNSET, description="The date the value refers to."
    )
    certainty: EnumFilter[Certainty] | None = strawberry.field(
        default=strawberry.UNSET, description="How firmly the sources establish it."
    )
    programme_wide: bool | None = strawberry.field(
        default=strawberry.UNSET, description="Whether it is a figure for the whole programme."
    )
    city: CityFilter | None = strawberry.field(
        default=strawberry.UNSET, description="The area measured matches this."
    )
    project: ProjectFilter | None = strawberry.field(
        default=strawberry.UNSET, description="The project measured matches this."
    )
    dimension: DimensionFilter | None = strawberry.field(
        default=strawberry.UNSET, description="The figure's dimension matches this."
    )
    updated_at: DateTimeFilter | None = strawberry.field(
        default=strawberry.UNSET, description="When the record last changed."
    )
    and_: list[ObservationFilter] | None = strawberry.field(
        name="and", default=strawberry.UNSET, description="All of these."
    )
    or_: list[ObservationFilter] | None = strawberry.field(
        name="or", default=strawberry.UNSET, description="Any of these."
    )
    not_: ObservationFilter | None = strawberry.field(
        name="not", default=strawberry.UNSET, description="Not this."
    )

    COLUMNS: ClassVar[Columns] = {
        "indicator": col(Observation.indicator),
        "value": col(Observation.value),
        "unit": col(Observation.unit),
        "qualifier": col(Observation.qualifier),
        "as_of": col(Observation.as_of),
        "certainty": col(Observation.certainty),
        "updated_at": col(Observation.updated_at),
    }
    RELATIONS: ClassVar[Relations] = {
        "programme_wide": _programme_wide,
        "city": refers_to(col(Observation.city_id), City),
        "project": refers_to(col(Observation.project_id), Project),
        "dimension": refers_to(col(Observation.dimension_id), Dimension),
    }


@strawberry.enum(description="Fields observations can be sorted by.")
class ObservationOrderField(Enum):
    INDICATOR = strawberry.enum_value(
        "INDICATOR",
        description="The indicator code, alphabetically.",
    )
    AS_OF = strawberry.enum_value(
        "AS_OF",
        description="The date the value is as of (`2021` sorts before `2021-08`).",
    )
    VALUE = strawberry.enum_value(
        "VALUE",
        description="The value as a number; text facts have none.",
    )
    KEY = strawberry.enum_value("KEY", description="The natural key.")
    UPDATED_AT = strawberry.enum_value(
        "UPDATED_AT",
        description="When the record last changed (`updatedAt`).",
    )


@strawberry.input(description="A sort key for observations; unknown values sort last.")
class ObservationOrder(SortKey):
    field: ObservationOrderField = strawberry.field(description="What to sort by.")
    direction: OrderDirection = strawberry.field(
        default=OrderDirection.ASC, description="Ascending or descending."
    )

    COLUMNS: ClassVar[Mapping[ObservationOrderField, Any]] = {
        ObservationOrderField.INDICATOR: col(Observation.indicator),
        ObservationOrderField.AS_OF: col(Observation.as_of),
        ObservationOrderField.VALUE: col(Observation.value),
        ObservationOrderField.KEY: col(Observation.key),
        ObservationOrderField.UPDATED_AT: col(Observation.updated_at),
    }


ObservationFilterArg = Annotated[
    ObservationFilter | None,
    strawberry.argument(name="filter", description="Only observations matching this."),
]
ObservationOrderArg = Annotated[
    list[ObservationOrder] | None,
    strawberry.argument(description="Sort keys, applied in order; a unique key breaks ties."),
]

OBSERVATIONS = Listing(
    updated_column=col(Observation.updated_at),
    # By indicator, then oldest first (undated first), so the last of each is the latest.
    default_order=(
        col(Observation.indicator),
        col(Observation.as_of).asc().nulls_first(),
        col(Observation.key),
    ),
    filter_arg=ObservationFilterArg,
    order_arg=ObservationOrderArg,
)
