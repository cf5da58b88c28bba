from sqlmodel import Field

from db.enums import Certainty, CityStatus, CityType, LocationPrecision
from db.tables.base import Record, Timestamped, enum_type


class City(Record, table=True):
    """A smart-city area: a province, a municipality or a district such as Samyan."""

    slug: str = Field(max_length=80, unique=True)
    name_th: str | None = Field(default=None, max_length=300)
    name_en: str | None = Field(default=None, max_length=300)
    province_id: int = Field(foreign_key="province.id", index=True)
    city_type: CityType | None = Field(default=None, sa_type=enum_type(CityType))
    status: CityStatus = Field(sa_type=enum_type(CityStatus), index=True)
    certification_round: str | None = Field(default=None, max_length=16)
    proposed_on: str | None = Field(default=None, max_length=10)
    certified_on: str | None = Field(default=None, max_length=10)
    operator_id: int | None = Field(default=None, foreign_key="organization.id", index=True)
    # Never null: the area's own point, else its province's marker (`db.map_points`).
    latitude: float
    longitude: float
    location_precision: LocationPrecision = Field(sa_type=enum_type(LocationPrecision))
    certainty: Certainty = Field(sa_type=enum_type(Certainty))


class CityDimension(Timestamped, table=True):
    __tablename__ = "city_dimension"
    city_id: int = Field(foreign_key="city.id", primary_key=True, ondelete="CASCADE")
    dimension_id: int = Field(
        foreign_key="dimension.id", primary_key=True, index=True, ondelete="CASCADE"
    )
