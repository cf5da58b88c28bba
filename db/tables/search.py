from sqlmodel import Field, UniqueConstraint

from db.tables.base import Record


class SearchDocument(Record, table=True):
    """The searchable text of one city, province, project or organisation.

    Derived data, rebuilt from its subject on every write (see `db.search`). `text` holds every
    name folded for matching; the database indexes it (SQLite FTS5 trigram, PostgreSQL
    pg_trgm), so a Thai substring finds its record although Thai has no spaces between words.
    """

    __tablename__ = "search_document"
    __table_args__ = (UniqueConstraint("subject_type", "subject_id"),)

    subject_type: str = Field(max_length=32)
    subject_id: int
    key: str = Field(max_length=120)
    name_th: str | None = Field(default=None, max_length=500)
    name_en: str | None = Field(default=None, max_length=500)
    text: str = Field(max_length=2000)
