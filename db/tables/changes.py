from sqlmodel import Field

from db.tables.base import Timestamped


class Change(Timestamped, table=True):
    """One create, update or delete of a published record, in the order it happened.

    `id` is the feed's sequence number; `updated_at` is when the change was made. A deletion
    keeps the deleted record's type and natural key (a tombstone).
    """

    __tablename__ = "change"

    id: int | None = Field(default=None, primary_key=True)
    subject_type: str = Field(max_length=32)
    subject_key: str = Field(max_length=120)
    operation: str = Field(max_length=8)
