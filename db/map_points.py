"""Where a smart-city area goes on a map: its own point where a source gives one, else its
province's marker (the provincial capital or town centre of the province reference data), and
which of the two it is. Whatever writes an area (the fixture loader, a steward's edit) stores
the point this decides, so every area has one and says how precise it is."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from db.enums import LocationPrecision
from db.tables import Province


class NoMapPoint(ValueError):
    """Neither the area nor its province has a map point."""


@dataclass(frozen=True)
class AreaPoint:
    latitude: float
    longitude: float
    precision: LocationPrecision

    def columns(self) -> dict[str, Any]:
        """The values of the area's (`City`'s) columns that hold it."""
        return {
            "latitude": self.latitude,
            "longitude": self.longitude,
            "location_precision": self.precision,
        }


def area_point(own: tuple[float, float] | None, province: Province) -> AreaPoint:
    """The point to store for an area: `own` (latitude, longitude) where a source gives one,
    else its province's marker."""
    if own is not None:
        return AreaPoint(*own, LocationPrecision.AREA)
    if province.latitude is None or province.longitude is None:
        raise NoMapPoint(f"neither the area nor its province {province.code} has a map point")
    return AreaPoint(province.latitude, province.longitude, LocationPrecision.PROVINCE)
