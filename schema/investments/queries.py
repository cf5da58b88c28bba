"""Root fields for investments."""

from __future__ import annotations

import strawberry

from db.tables import Investment as InvestmentRow
from schema.connections import connection_field
from schema.investments.filters import INVESTMENTS
from schema.investments.types import Investment


@strawberry.type
class InvestmentQueries:
    investments = connection_field(
        "Money invested in or budgeted for the areas (การลงทุน).",
        Investment,
        INVESTMENTS,
        InvestmentRow,
    )
