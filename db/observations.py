"""Which observations count: a correction supersedes the observation it names."""

from __future__ import annotations

import functools
from typing import Any

from sqlalchemy import ColumnElement, exists
from sqlalchemy.orm import aliased
from sqlmodel import col

from db.tables import Observation


@functools.cache  # built once: queries that read figures are built on every request
def current(observation: Any = Observation) -> ColumnElement[bool]:
    """Observations no correction supersedes: the figures that count. A corrected one stays
    in the list of observations (with `supersededBy`), but in no history, latest figure or
    summary."""
    correction = aliased(Observation, name="correction")
    return ~exists().where(col(correction.supersedes_id) == observation.id)
