from sqlalchemy import Index
from sqlmodel import Field

from db.tables.base import Record


class Alternative(Record, table=True):
    """Another value a source gives for one field of a record, where sources disagree: the
    record keeps one value, and each other value is kept here with its own sources."""

    # A record's alternatives are looked up by its table and natural key.
    __table_args__ = (Index("ix_alternative_subject", "subject_type", "subject_key"),)

    key: str = Field(max_length=120, unique=True)
    subject_type: str = Field(max_length=32)  # the record's table, e.g. `programme_phase`
    subject_key: str = Field(max_length=120)  # its natural key, e.g. `PHASE_3`
    field: str = Field(max_length=64)  # the column (or export column) the value is for
    value: str = Field(max_length=500)  # as the source gives it
    note_en: str | None = Field(default=None, max_length=500)  # our own words
