"""Root fields for milestones."""

from __future__ import annotations

import strawberry

from db.tables import Milestone as MilestoneRow
from schema.connections import connection_field
from schema.milestones.filters import MILESTONES
from schema.milestones.types import Milestone


@strawberry.type
class MilestoneQueries:
    milestones = connection_field(
        "Dated steps (หมุดหมาย) of projects, areas and the programme, by date.",
        Milestone,
        MILESTONES,
        MilestoneRow,
    )
