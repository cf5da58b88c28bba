from sqlmodel import Field

from db.tables.base import Record


class MirrorState(Record, table=True):
    """Where a mirror made by `smartcity mirror` stands: the server it copies, and the last
    change of that server's feed it holds. One row, written in the same transaction as the
    data it describes; no row in a database that is not a mirror."""

    __tablename__ = "mirror_state"

    source_url: str = Field(max_length=500, unique=True)
    # The source's change-feed sequence number: every change up to it is applied here.
    sequence: int
