from sqlmodel import Field

from db.tables.base import Timestamped


class PersistedQuery(Timestamped, table=True):
    """A query registered under its SHA-256 (automatic persisted queries), shared by every
    server process because it lives in the database."""

    __tablename__ = "persisted_query"

    sha256: str = Field(max_length=64, primary_key=True)
    query: str = Field(max_length=20000)
