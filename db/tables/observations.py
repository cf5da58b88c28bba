from decimal import Decimal

from sqlalchemy import Index
from sqlmodel import Field

from db.enums import Certainty, TextOrigin
from db.tables.base import Record, enum_type
from db.types import ExactDecimal


class Observation(Record, table=True):
    """A value measured at a date. History is kept: a new figure is a new row, and so is a
    correction, which names the observation it supersedes; that one then no longer counts
    as any area's latest figure."""

    # An area's latest figure of an indicator (progress, rankings) is read on every page of
    # areas: one index walk instead of a scan of the history.
    __table_args__ = (
        Index("ix_observation_city_indicator_as_of", "city_id", "indicator", "as_of"),
    )

    key: str = Field(max_length=120, unique=True)
    indicator: str = Field(max_length=64, index=True)
    city_id: int | None = Field(default=None, foreign_key="city.id", index=True)
    project_id: int | None = Field(default=None, foreign_key="project.id", index=True)
    dimension_id: int | None = Field(default=None, foreign_key="dimension.id", index=True)
    value: Decimal | None = Field(default=None, sa_type=ExactDecimal(18, 4))
    value_text: str | None = Field(default=None, max_length=300)
    # A text value is printed by a source, or our own words where none prints one.
    value_text_origin: TextOrigin = Field(default=TextOrigin.PRINTED, sa_type=enum_type(TextOrigin))
    unit: str | None = Field(default=None, max_length=40)
    qualifier: str | None = Field(default=None, max_length=200)
    as_of: str | None = Field(default=None, max_length=10)
    certainty: Certainty = Field(sa_type=enum_type(Certainty))
    # Each observation is corrected at most once; a correction may itself be corrected.
    supersedes_id: int | None = Field(default=None, foreign_key="observation.id", unique=True)
