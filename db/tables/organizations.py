from sqlmodel import Field

from db.enums import OrganizationKind, TextOrigin
from db.tables.base import Record, enum_type


class Organization(Record, table=True):
    slug: str = Field(max_length=80, unique=True)
    name_en: str | None = Field(default=None, max_length=300)
    name_th: str | None = Field(default=None, max_length=300)
    abbreviation: str | None = Field(default=None, max_length=32)
    kind: OrganizationKind = Field(sa_type=enum_type(OrganizationKind))
    # Most English names are printed by a source; some are only our rendering of the Thai.
    name_en_origin: TextOrigin = Field(default=TextOrigin.PRINTED, sa_type=enum_type(TextOrigin))
