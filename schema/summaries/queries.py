"""Root fields for totals, counts, averages and rankings."""

from __future__ import annotations

from typing import Annotated

import strawberry

from db.enums import Currency
from schema.cities.filters import CityFilterArg
from schema.computed import COMPUTED, Built
from schema.context import Info
from schema.investments.filters import InvestmentFilterArg
from schema.summaries.types import (
    CityGrouping,
    CityRanking,
    CitySummary,
    FirstRanked,
    InvestmentGrouping,
    InvestmentSummary,
    ProgressSummary,
    built_city_summary,
    built_investment_summary,
    city_ranking,
    city_statements,
    city_summary,
    investment_statements,
    investment_summary,
    progress_summary,
)


@strawberry.type
class SummaryQueries:
    @strawberry.field(
        description=(
            "Investment totals, counts and averages (ยอดการลงทุน) over the investments the "
            "filter selects, optionally broken down by dimension, province, region, year, "
            "kind, stage, area status or area."
        ),
        metadata={COMPUTED: Built(investment_statements, built_investment_summary)},
    )
    async def investment_summary(
        self,
        info: Info,
        where: InvestmentFilterArg = None,
        group_by: Annotated[
            InvestmentGrouping | None, strawberry.argument(description="The breakdown.")
        ] = None,
        currency: Annotated[
            Currency, strawberry.argument(description="The currency to sum; others are left out.")
        ] = Currency.THB,
    ) -> InvestmentSummary:
        arguments = {"where": where, "group_by": group_by, "currency": currency}
        return await investment_summary(info, arguments)

    @strawberry.field(
        description=(
            "How many smart-city areas (จำนวนเมืองอัจฉริยะ) the filter selects, optionally by "
            "status, round, type, region, province or dimension."
        ),
        metadata={COMPUTED: Built(city_statements, built_city_summary)},
    )
    async def city_summary(
        self,
        info: Info,
        where: CityFilterArg = None,
        group_by: Annotated[
            CityGrouping | None, strawberry.argument(description="The breakdown.")
        ] = None,
    ) -> CitySummary:
        return await city_summary(info, {"where": where, "group_by": group_by})

    @strawberry.field(
        description="Average and distribution of the selected areas' latest progress (ความคืบหน้า)."
    )
    async def progress_summary(self, info: Info, where: CityFilterArg = None) -> ProgressSummary:
        return await progress_summary(info, where)

    @strawberry.field(
        description=(
            "Areas ranked by their latest figure of an indicator, best first (อันดับ): "
            "`PROGRESS_PERCENT` (the default), `TSCCI_SCORE` with a qualifier such as "
            "`TSCCI 2023, city-based`, or `TSCCI_DIMENSION_LEADER` with a dimension."
        )
    )
    async def city_ranking(
        self,
        info: Info,
        indicator: Annotated[
            str, strawberry.argument(description="The indicator to rank by.")
        ] = "PROGRESS_PERCENT",
        qualifier: Annotated[
            str | None,
            strawberry.argument(description="Only figures with this qualifier (an edition)."),
        ] = None,
        dimension: Annotated[
            str | None, strawberry.argument(description="Only figures for this dimension code.")
        ] = None,
        where: CityFilterArg = None,
        first: FirstRanked = 20,
    ) -> CityRanking:
        return await city_ranking(info, indicator, qualifier, dimension, where, first)
