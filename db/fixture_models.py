"""What each file in `fixtures/` holds: one validated record model per entity.

A field fills the table column of its name, except: a field named after a foreign key without
its `_id` (`province` for `province_id`) holds the related record's natural key, a field named
after a link (`dimensions`) holds a list of keys, and `sources` lists the keys of the sources
the record cites (see `db.entities.Fixture`).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    StringConstraints,
    model_validator,
)
from pydantic import Field as PydanticField

from db.enums import (
    AscnCohort,
    Certainty,
    CityStatus,
    CityType,
    Currency,
    InvestmentKind,
    InvestmentStage,
    MilestoneStatus,
    MilestoneType,
    OrganizationKind,
    ProjectStatus,
    Region,
    RoleKind,
    ScreeningOutcome,
    TextOrigin,
)
from db.types import PARTIAL_DATE, is_partial_date


def _no_float(value: Any) -> Any:
    # YAML reads 27.57 as a binary float; money and figures must be written as strings.
    if isinstance(value, float):
        raise ValueError("write decimals as quoted strings, e.g. '27.57'")
    return value


def _real_day(text: str) -> str:
    if not is_partial_date(text):
        raise ValueError(f"{text!r} is no day: write YYYY, YYYY-MM or a real YYYY-MM-DD")
    return text


PartialDate = Annotated[
    str, StringConstraints(pattern=PARTIAL_DATE.pattern), AfterValidator(_real_day)
]
ExactNumber = Annotated[Decimal, BeforeValidator(_no_float)]
Key = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=120)]


class _Fixture(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Cited(_Fixture):
    sources: list[str] = PydanticField(min_length=1)


class SourceFixture(_Fixture):
    key: Key
    url: str | None
    publisher: str | None = None
    title: str | None = None
    published_on: PartialDate | None = None
    language: Annotated[str, StringConstraints(pattern=r"^[a-z]{2}$")] | None = None  # ISO 639-1


class ProvinceFixture(_Fixture):
    code: Annotated[str, StringConstraints(pattern=r"^TH-\d{2}$")]
    dopa_code: int
    name_th: str
    name_en: str
    region: Region
    latitude: float | None
    longitude: float | None
    wikidata_id: str | None


class DimensionFixture(_Cited):
    code: Annotated[str, StringConstraints(pattern=r"^[A-Z]+$")]
    name_en: str
    name_th: str
    alt_names_th: list[str] = []


class OrganizationFixture(_Cited):
    slug: Key
    name_en: str | None
    name_th: str | None = None
    abbreviation: str | None = None
    kind: OrganizationKind
    name_en_origin: TextOrigin = PydanticField(
        TextOrigin.PRINTED, description="Where the words of `nameEn` come from."
    )


class CityFixture(_Cited):
    slug: Key
    name_th: str | None
    name_en: str | None
    province: str
    city_type: CityType | None = None
    status: CityStatus
    certification_round: str | None = None
    proposed_on: PartialDate | None = None
    certified_on: PartialDate | None = None
    operator: str | None = None
    dimensions: list[str] = []
    # The area's own map point, only where a source gives one; else the loader stores its
    # province's marker (`db.map_points`).
    latitude: float | None = PydanticField(
        None, description="The area's own latitude (WGS 84), only where a source gives one."
    )
    longitude: float | None = PydanticField(
        None, description="The area's own longitude (WGS 84), with its latitude."
    )
    certainty: Certainty

    @model_validator(mode="after")
    def _whole_point(self) -> CityFixture:
        if (self.latitude is None) != (self.longitude is None):
            raise ValueError("give both latitude and longitude, or neither")
        return self


class ProjectFixture(_Cited):
    slug: Key
    city: str | None
    province: str
    title_th: str | None
    title_en: str | None
    dimensions: list[str] = []
    status: ProjectStatus | None = None
    start_on: PartialDate | None = None
    end_on: PartialDate | None = None
    budget: ExactNumber | None = None
    operator: str | None = None
    is_headline: bool = False
    certainty: Certainty


class InvestmentFixture(_Cited):
    key: Key
    city: str
    project: str | None = None
    amount: ExactNumber
    currency: Currency = PydanticField(description="The currency of `amount` (ISO 4217).")
    kind: InvestmentKind
    stage: InvestmentStage
    label_en: str | None = PydanticField(
        None, description="What the money is for, in our own words (a summary)."
    )
    investor: str | None = None
    as_of: PartialDate | None = None
    certainty: Certainty


class MilestoneFixture(_Cited):
    key: Key
    project: str | None = None
    city: str | None = None
    province: str | None = None
    title_en: str | None
    title_th: str | None = None
    type: MilestoneType | None = None
    status: MilestoneStatus
    due_on: PartialDate | None = None
    met_on: PartialDate | None = None
    ends_on: PartialDate | None = None
    organization: str | None = None
    venue_th: str | None = None


class ObservationFixture(_Cited):
    key: Key
    indicator: Annotated[str, StringConstraints(pattern=r"^[A-Z][A-Z0-9_]*$")]
    city: str | None = None
    project: str | None = None
    dimension: str | None = None
    value: ExactNumber | None = None
    value_text: str | None = None
    value_text_origin: TextOrigin = PydanticField(
        TextOrigin.PRINTED, description="Where the words of `valueText` come from."
    )
    unit: str | None = None
    qualifier: str | None = None
    as_of: PartialDate | None = None
    certainty: Certainty
    supersedes: str | None = None  # the observation this one corrects


class PhaseFixture(_Cited):
    key: Annotated[str, StringConstraints(pattern=r"^[A-Z0-9_]+$")]
    name_th: str | None = None
    name_en: str | None = None
    start_year: int | None = None
    end_year: int | None = None
    target_areas: int | None = None
    target_provinces: int | None = None
    provinces: list[str] = []


class CoverageNoteFixture(_Fixture):
    key: Annotated[Key, StringConstraints(max_length=64)]
    text_en: str
    text_th: str


class AscnFixture(_Cited):
    province: str
    name_as_listed: str
    cohort: AscnCohort
    joined: PartialDate | None = None


class AlternativeFixture(_Cited):
    key: Key
    subject_type: str = PydanticField(
        description="The table of the record the other value is about, e.g. `programme_phase`."
    )
    subject_key: str = PydanticField(description="That record's natural key.")
    field: str
    value: str
    note_en: str | None = None


class RoleFixture(_Cited):
    key: Key
    role: RoleKind
    body: str | None = None
    milestone: str | None = None
    holder: str | None = None
    province: str | None = None
    name_th: str | None = None
    position_th: str | None = None
    as_of: PartialDate | None = None


class ProposalFixture(_Cited):
    key: Key
    title_th: str
    proposer: str
    province: str
    city: str | None = None
    screened_on: PartialDate
    screened_by: str
    outcome: ScreeningOutcome
    forwarded_to: str | None = None


class IndicatorFixture(_Cited):
    code: Annotated[str, StringConstraints(pattern=r"^[A-Z][A-Z0-9_]*$")]
    name_th: str | None = None
    name_en: str | None = None
    method_th: str | None = None
    method_en: str | None = None
    compiled_by: str | None = None
