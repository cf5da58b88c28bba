from sqlalchemy import Index
from sqlmodel import Field

from db.tables.base import Record, Timestamped


class Source(Record, table=True):
    """A document a fact comes from: journalists cite it."""

    key: str = Field(max_length=80, unique=True)
    url: str | None = Field(default=None, max_length=500)
    publisher: str | None = Field(default=None, max_length=200)
    title: str | None = Field(default=None, max_length=500)
    published_on: str | None = Field(default=None, max_length=10)
    language: str | None = Field(default=None, max_length=8)  # ISO 639-1, e.g. `th`


class Citation(Timestamped, table=True):
    """Links any record (`subject_type` is its table name) to a source it cites."""

    # A record's sources are looked up by (table, id); the primary key leads with the source.
    __table_args__ = (Index("ix_citation_subject", "subject_type", "subject_id"),)

    source_id: int = Field(foreign_key="source.id", primary_key=True, ondelete="CASCADE")
    subject_type: str = Field(max_length=32, primary_key=True)
    subject_id: int = Field(primary_key=True, index=True)
