"""Root fields for observations."""

from __future__ import annotations

import strawberry

from db.tables import Observation as ObservationRow
from schema.connections import connection_field
from schema.observations.filters import OBSERVATIONS
from schema.observations.types import Observation


@strawberry.type
class ObservationQueries:
    observations = connection_field(
        "Measured values (ตัวชี้วัด): progress, index scores, totals; by indicator, date.",
        Observation,
        OBSERVATIONS,
        ObservationRow,
    )
