from sqlmodel import Field

from db.enums import OrganizationKind
from db.tables.base import Record, enum_type


class Organization(Record, table=True):
    slug: str = Field(max_length=80, unique=True)
    name_en: str | None = Field(default=None, max_length=300)
    name_th: str | None = Field(default=None, max_length=300)
    abbreviation: str | None = Field(default=None, max_length=32)
    kind: OrganizationKind = Field(sa_type=enum_type(OrganizationKind))
