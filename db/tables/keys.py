from datetime import datetime

from sqlmodel import Field

from db.enums import KeyRole
from db.tables.base import Record, enum_type
from db.types import UtcDateTime


class ApiKey(Record, table=True):
    """An API key, stored only as its SHA-256; `prefix` names it in lists and logs."""

    __tablename__ = "api_key"

    prefix: str = Field(max_length=16, unique=True)
    sha256: str = Field(max_length=64, unique=True)
    name: str = Field(max_length=200)
    budget: int | None = None  # points per window; None: the default for keys
    revoked_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    role: KeyRole = Field(default=KeyRole.READER, sa_type=enum_type(KeyRole))
