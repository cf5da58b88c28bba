from sqlmodel import Field

from db.enums import AscnCohort, Region
from db.tables.base import Record, enum_type


class Province(Record, table=True):
    code: str = Field(max_length=8, unique=True)  # ISO 3166-2:TH, e.g. TH-10
    dopa_code: int
    name_th: str = Field(max_length=100)
    name_en: str = Field(max_length=100)
    region: Region = Field(sa_type=enum_type(Region), index=True)
    latitude: float | None = None
    longitude: float | None = None
    wikidata_id: str | None = Field(default=None, max_length=16)


class AscnMembership(Record, table=True):
    """A Thai member of the ASEAN Smart Cities Network; the network names provinces' cities."""

    __tablename__ = "ascn_membership"

    province_id: int = Field(foreign_key="province.id", unique=True)
    name_as_listed: str = Field(max_length=100)
    cohort: AscnCohort = Field(sa_type=enum_type(AscnCohort))
    joined: str | None = Field(default=None, max_length=10)
