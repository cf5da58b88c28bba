"""Root fields for sources."""

from __future__ import annotations

import strawberry

from db.tables import Source as SourceRow
from schema.common import Source
from schema.connections import connection_field
from schema.sources.filters import SOURCES


@strawberry.type
class SourceQueries:
    sources = connection_field(
        "The documents the facts come from (แหล่งที่มา), by key.",
        Source,
        SOURCES,
        SourceRow,
    )
