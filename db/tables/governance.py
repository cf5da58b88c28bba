from sqlalchemy import CheckConstraint
from sqlmodel import Field

from db.enums import RoleKind, ScreeningOutcome
from db.tables.base import Record, enum_type


class Role(Record, table=True):
    """A part someone plays: in a body (the committee's chair, its joint secretaries) or at a
    dated step (who organised a meeting, who attended it). The one who plays it is an
    organisation, a province, or a person named as printed, with their position."""

    __table_args__ = (
        CheckConstraint("(body_id IS NULL) <> (milestone_id IS NULL)", name="played_in_one_place"),
        CheckConstraint(
            "holder_id IS NOT NULL OR province_id IS NOT NULL OR name_th IS NOT NULL",
            name="played_by_someone",
        ),
    )

    key: str = Field(max_length=120, unique=True)
    role: RoleKind = Field(sa_type=enum_type(RoleKind))
    # Where the part is played: a body, or a step (a meeting, an event); one of the two.
    body_id: int | None = Field(default=None, foreign_key="organization.id", index=True)
    milestone_id: int | None = Field(default=None, foreign_key="milestone.id", index=True)
    # Who plays it: an organisation, a province, or a person (or body) named as printed.
    holder_id: int | None = Field(default=None, foreign_key="organization.id", index=True)
    province_id: int | None = Field(default=None, foreign_key="province.id", index=True)
    name_th: str | None = Field(default=None, max_length=300)
    position_th: str | None = Field(default=None, max_length=300)
    as_of: str | None = Field(default=None, max_length=10)


class Proposal(Record, table=True):
    """A plan put forward for the smart-city mark, and what a screening decided about it."""

    key: str = Field(max_length=120, unique=True)
    title_th: str = Field(max_length=300)
    proposer_id: int = Field(foreign_key="organization.id", index=True)
    province_id: int = Field(foreign_key="province.id", index=True)
    city_id: int | None = Field(default=None, foreign_key="city.id", index=True)
    screened_on: str = Field(max_length=10)
    screened_by_id: int = Field(foreign_key="organization.id", index=True)
    outcome: ScreeningOutcome = Field(sa_type=enum_type(ScreeningOutcome))
    # The body a forwarded proposal goes to next.
    forwarded_to_id: int | None = Field(default=None, foreign_key="organization.id", index=True)


class Indicator(Record, table=True):
    """What an observation's indicator measures, and how, as the sources describe it."""

    code: str = Field(max_length=64, unique=True)
    name_th: str | None = Field(default=None, max_length=300)
    name_en: str | None = Field(default=None, max_length=300)
    # The inputs or method as printed, in Thai; and our own summary in English.
    method_th: str | None = Field(default=None, max_length=1000)
    method_en: str | None = Field(default=None, max_length=1000)
    compiled_by_id: int | None = Field(default=None, foreign_key="organization.id", index=True)
