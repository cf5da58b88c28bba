from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, ClassVar

import strawberry

from db.enums import RoleKind, ScreeningOutcome, TextOrigin
from db.tables import Indicator as IndicatorRow
from db.tables import Proposal as ProposalRow
from db.tables import Role as RoleRow
from schema.common import Record, localized
from schema.connections import to_one_field
from schema.node import Node
from schema.scalars import PartialDate

if TYPE_CHECKING:
    from schema.cities.types import City
    from schema.milestones.types import Milestone
    from schema.organizations.types import Organization
    from schema.provinces.types import Province


@strawberry.type(
    description=(
        "A part someone plays (บทบาท): in one of the programme's bodies (the committee's "
        "chair, its joint secretaries, the agency that houses an office) or at one of its "
        "dated steps (who organised a meeting, who took part). Who plays it is an "
        "organisation, a province, or a person named as printed."
    )
)
class Role(Record, Node):
    table = RoleRow
    WORDING: ClassVar[dict[str, TextOrigin | str]] = {
        "name_th": TextOrigin.PRINTED,
        "position_th": TextOrigin.PRINTED,
    }
    key: str = strawberry.field(description="Stable identifier.")
    role: RoleKind = strawberry.field(description="The part played.")
    name_th: str | None = strawberry.field(
        description="Who plays it, as printed in Thai: a person, or a body with no record here."
    )
    position_th: str | None = strawberry.field(
        description="Their position or title, as printed in Thai (ตำแหน่ง)."
    )
    as_of: PartialDate | None = strawberry.field(
        description="When a source reports it; it may have changed since."
    )
    body_id: strawberry.Private[int | None]
    milestone_id: strawberry.Private[int | None]
    holder_id: strawberry.Private[int | None]
    province_id: strawberry.Private[int | None]

    body = to_one_field(
        "The body the part is played in; null for a part at a step.",
        Annotated["Organization", strawberry.lazy("schema.organizations.types")],
        "body_id",
    )

    milestone = to_one_field(
        "The dated step the part is played at; null for a body.",
        Annotated["Milestone", strawberry.lazy("schema.milestones.types")],
        "milestone_id",
    )

    holder = to_one_field(
        "The organisation that plays it, where it has a record.",
        Annotated["Organization", strawberry.lazy("schema.organizations.types")],
        "holder_id",
    )

    province = to_one_field(
        "The province that plays it, or whose office or city does.",
        Annotated["Province", strawberry.lazy("schema.provinces.types")],
        "province_id",
    )


@strawberry.type(
    description=(
        "A plan put forward for the smart-city mark (ข้อเสนอแผนพัฒนาเมืองอัจฉริยะ), and what a "
        "screening decided about it."
    )
)
class Proposal(Record, Node):
    table = ProposalRow
    WORDING: ClassVar[dict[str, TextOrigin | str]] = {"title_th": TextOrigin.PRINTED}
    key: str = strawberry.field(description="Stable identifier.")
    title_th: str = strawberry.field(description="The proposal's title as printed, in Thai.")
    screened_on: PartialDate = strawberry.field(description="When it was screened.")
    outcome: ScreeningOutcome = strawberry.field(description="What the screening decided.")
    proposer_id: strawberry.Private[int]
    province_id: strawberry.Private[int]
    city_id: strawberry.Private[int | None]
    screened_by_id: strawberry.Private[int]
    forwarded_to_id: strawberry.Private[int | None]

    proposer = to_one_field(
        "Who put it forward.",
        Annotated["Organization", strawberry.lazy("schema.organizations.types")],
        "proposer_id",
        required=True,
    )

    screened_by = to_one_field(
        "The body that screened it.",
        Annotated["Organization", strawberry.lazy("schema.organizations.types")],
        "screened_by_id",
        required=True,
    )

    forwarded_to = to_one_field(
        "The body a forwarded proposal went to next.",
        Annotated["Organization", strawberry.lazy("schema.organizations.types")],
        "forwarded_to_id",
    )

    province = to_one_field(
        "The province it is for.",
        Annotated["Province", strawberry.lazy("schema.provinces.types")],
        "province_id",
        required=True,
    )

    city = to_one_field(
        (
            "The smart-city area record it is tied to; null where the sources do not say "
            "which area it is."
        ),
        Annotated["City", strawberry.lazy("schema.cities.types")],
        "city_id",
    )


@strawberry.type(
    description=(
        "What an indicator measures and how (ตัวชี้วัด), as a source describes it: the "
        "`indicator` code of observations."
    )
)
class Indicator(Record, Node):
    table = IndicatorRow
    WORDING: ClassVar[dict[str, TextOrigin | str]] = {
        "name_th": TextOrigin.PRINTED,
        "name_en": TextOrigin.PRINTED,
        "method_th": TextOrigin.PRINTED,
        "method_en": TextOrigin.SUMMARY,
    }
    code: str = strawberry.field(description="The code observations use, e.g. `TSCCI_SCORE`.")
    name_th: str | None = strawberry.field(description="Its Thai name as printed.")
    name_en: str | None = strawberry.field(description="Its English name as printed, or null.")
    method_th: str | None = strawberry.field(
        description="What it is built from, as printed in Thai."
    )
    method_en: str | None = strawberry.field(
        description="How it is built, in our own words (a summary, not a quotation)."
    )
    compiled_by_id: strawberry.Private[int | None]

    name = localized("name_th", "name_en", "The name in the language asked for.")

    compiled_by = to_one_field(
        "Who compiles it, where a source says.",
        Annotated["Organization", strawberry.lazy("schema.organizations.types")],
        "compiled_by_id",
    )
