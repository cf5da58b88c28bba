from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, ClassVar

import strawberry
from sqlmodel import col

from db.enums import Certainty, TextOrigin
from db.tables import Indicator as IndicatorRow
from db.tables import Observation as ObservationRow
from schema.common import Record
from schema.computed import Derived
from schema.connections import to_one_field
from schema.context import Info
from schema.node import Node
from schema.scalars import PartialDate

if TYPE_CHECKING:
    from schema.cities.types import City
    from schema.dimensions.types import Dimension
    from schema.governance.types import Indicator
    from schema.projects.types import Project


def normalized(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.normalize()


@strawberry.type(
    description=(
        "A value measured at a date, with its source (ตัวชี้วัด): an area's percent complete, a "
        "Thailand Smart City Competitiveness Index score, a programme-wide total. History is "
        "kept: a new figure is a new observation, so progress over time can be read back, and "
        "a correction is a new observation that supersedes the one it corrects."
    )
)
class Observation(Record, Node):
    table = ObservationRow
    WORDING: ClassVar[dict[str, TextOrigin | str]] = {
        "value_text": "value_text_origin",
        "qualifier": TextOrigin.SUMMARY,
    }
    value_text_origin: strawberry.Private[TextOrigin]
    key: str = strawberry.field(description="Stable identifier.")
    indicator: str = strawberry.field(
        description=(
            "What is measured, e.g. `PROGRESS_PERCENT`, `TSCCI_SCORE`, `CERTIFIED_CITIES`, "
            "`TOTAL_INVESTMENT`."
        )
    )
    value: Decimal | None = strawberry.field(description="The value, exact; null for a text fact.")
    value_text: str | None = strawberry.field(
        description="The value as printed where it is not a plain number (e.g. `100+`)."
    )
    unit: str | None = strawberry.field(description="Unit, e.g. `percent`, `THB`, `rai`.")
    qualifier: str | None = strawberry.field(
        description="What sets this figure apart, e.g. `TSCCI 2023, city-based`."
    )
    as_of: PartialDate | None = strawberry.field(description="The date the value refers to.")
    certainty: Certainty = strawberry.field(description="How firmly the sources establish it.")
    city_id: strawberry.Private[int | None]
    project_id: strawberry.Private[int | None]
    dimension_id: strawberry.Private[int | None]
    supersedes_id: strawberry.Private[int | None]

    # Stored at four decimal places; shown as the source printed it.
    DERIVED: ClassVar[dict[str, Derived]] = {"value": Derived(("value",), normalized)}

    city = to_one_field(
        "The area measured; null for a programme-wide figure.",
        Annotated["City", strawberry.lazy("schema.cities.types")],
        "city_id",
    )

    project = to_one_field(
        "The project measured, if the figure is per project.",
        Annotated["Project", strawberry.lazy("schema.projects.types")],
        "project_id",
    )

    dimension = to_one_field(
        "The smart dimension, where the figure is per dimension.",
        Annotated["Dimension", strawberry.lazy("schema.dimensions.types")],
        "dimension_id",
    )

    supersedes = to_one_field(
        "The observation this one corrects, if it is a correction.",
        Annotated["Observation", strawberry.lazy("schema.observations.types")],
        "supersedes_id",
    )

    @strawberry.field(
        description=(
            "The correction that supersedes this figure; null while it stands. A superseded "
            "figure counts in no history, latest figure or summary."
        )
    )
    async def superseded_by(self, info: Info) -> Observation | None:
        loader = info.context.loaders.one_by(col(ObservationRow.supersedes_id))
        row = await loader.load(self.db_id)
        return None if row is None else Observation.from_row(row)

    @strawberry.field(
        description=(
            "What the indicator measures and how, where a source describes it; null otherwise."
        )
    )
    async def definition(
        self, info: Info
    ) -> Annotated[Indicator, strawberry.lazy("schema.governance.types")] | None:
        from schema.governance.types import Indicator

        row = await info.context.loaders.one_by(col(IndicatorRow.code)).load(self.indicator)
        return None if row is None else Indicator.from_row(row)
