import sqlalchemy as sa
from sqlmodel import Field

from db.tables.base import Record


class Dimension(Record, table=True):
    code: str = Field(max_length=16, unique=True)
    name_en: str = Field(max_length=100)
    name_th: str = Field(max_length=100)
    alt_names_th: list[str] = Field(default_factory=list, sa_type=sa.JSON)
