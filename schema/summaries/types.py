from __future__ import annotations

import asyncio
from datetime import datetime
from decimal import Decimal
from enum import Enum
from typing import Annotated, Any

import strawberry
from sqlalchemy import ColumnElement, select, true
from sqlmodel import col

from db import queries, summaries
from db.enums import Currency
from db.tables import Dimension, Observation
from schema.cities.filters import CityFilter
from schema.cities.types import City
from schema.common import LangArgument, Language, Money, in_language, load_related
from schema.context import Info
from schema.enums import describe_values
from schema.observations.types import Observation as ObservationType
from schema.pagination import MAX_PAGE_SIZE, check_page_size
from schema.scalars import PartialDate, partial_date

REGION_NAMES = {
    "NORTH": ("North", "ภาคเหนือ"),
    "CENTRAL": ("Central", "ภาคกลาง"),
    "NORTHEAST": ("Northeast", "ภาคตะวันออกเฉียงเหนือ"),
    "WEST": ("West", "ภาคตะวันตก"),
    "EAST": ("East", "ภาคตะวันออก"),
    "SOUTH": ("South", "ภาคใต้"),
}


@strawberry.enum(description="How to break investments down (จัดกลุ่มตาม).")
class InvestmentGrouping(Enum):
    DIMENSION = "DIMENSION"
    PROVINCE = "PROVINCE"
    REGION = "REGION"
    YEAR = "YEAR"
    KIND = "KIND"
    STAGE = "STAGE"
    CITY_STATUS = "CITY_STATUS"
    CITY = "CITY"


describe_values(
    InvestmentGrouping,
    {
        InvestmentGrouping.DIMENSION: (
            "By smart dimension: money for a project under the project's dimensions, other "
            "money under those its area's plan targets. Money may count under several "
            "dimensions, so the groups can add up to more than the total; money under none "
            "forms the group with a null key."
        ),
        InvestmentGrouping.PROVINCE: (
            "By the province of the money's area (key: its ISO 3166-2 code, e.g. `TH-40`)."
        ),
        InvestmentGrouping.REGION: "By the region of the money's area (key: the `Region` value).",
        InvestmentGrouping.YEAR: (
            "By the year of `asOf`; undated figures form the group with a null key."
        ),
        InvestmentGrouping.KIND: "By kind (key: the `InvestmentKind` value).",
        InvestmentGrouping.STAGE: "By stage (key: the `InvestmentStage` value).",
        InvestmentGrouping.CITY_STATUS: (
            "By the certification status of the money's area (key: the `CityStatus` value)."
        ),
        InvestmentGrouping.CITY: "By area (key: the area's slug).",
    },
)


@strawberry.enum(description="How to break smart-city areas down (จัดกลุ่มตาม).")
class CityGrouping(Enum):
    STATUS = "STATUS"
    ROUND = "ROUND"
    CITY_TYPE = "CITY_TYPE"
    REGION = "REGION"
    PROVINCE = "PROVINCE"
    DIMENSION = "DIMENSION"


describe_values(
    CityGrouping,
    {
        CityGrouping.STATUS: "By certification status (key: the `CityStatus` value).",
        CityGrouping.ROUND: (
            "By certification round, e.g. `2021-R1`; areas without one form the group with a "
            "null key."
        ),
        CityGrouping.CITY_TYPE: (
            "By city type (key: the `CityType` value); areas of unknown type form the group "
            "with a null key."
        ),
        CityGrouping.REGION: "By the region of the area's province (key: the `Region` value).",
        CityGrouping.PROVINCE: "By province (key: its ISO 3166-2 code, e.g. `TH-50`).",
        CityGrouping.DIMENSION: (
            "By the dimensions the area's plan targets: an area counts under each one, so the "
            "groups can add up to more than the total; areas naming none form the group with a "
            "null key."
        ),
    },
)


def _label(group: summaries.Group, grouping: str | None) -> tuple[str | None, str | None]:
    if grouping == "REGION" and group.key in REGION_NAMES:
        return REGION_NAMES[group.key]
    return group.label_en, group.label_th


@strawberry.type(description="One group of a breakdown.")
class Group:
    key: str | None = strawberry.field(
        description=(
            "What the group shares: a dimension or province code, a region, a year, a kind, "
            "a status or a city slug; null for records without one (undated, or serving no "
            "named dimension)."
        )
    )
    label_en: strawberry.Private[str | None]
    label_th: strawberry.Private[str | None]
    count: int = strawberry.field(description="How many records the group holds.")
    as_of: PartialDate | None = strawberry.field(
        description="The latest date of the data behind the group's figures."
    )
    data_updated_at: datetime | None = strawberry.field(
        description="When the newest record behind the figures last changed."
    )

    @strawberry.field(description="The group's name in the language asked for, where it has one.")
    def label(self, lang: LangArgument = Language.EN) -> str | None:
        return in_language(lang, self.label_th, self.label_en)


@strawberry.type(description="A group of investments with its total and average.")
class InvestmentGroup(Group):
    total: Money | None = strawberry.field(description="The sum of the group's amounts.")
    average: Money | None = strawberry.field(description="The mean amount, to the satang.")


@strawberry.type(
    description=(
        "Investment totals (ยอดการลงทุน) over the investments a filter selects, in one "
        "currency. Grouped by dimension, an investment counts in each dimension it serves "
        "(group totals may add up to more than the total), and money serving no named "
        "dimension forms a group with a null key."
    )
)
class InvestmentSummary:
    currency: Currency = strawberry.field(description="The currency summed.")
    count: int = strawberry.field(description="How many investments are summed.")
    total: Money | None = strawberry.field(description="Their sum; null when there are none.")
    average: Money | None = strawberry.field(description="Their mean, to the satang.")
    as_of: PartialDate | None = strawberry.field(
        description="The latest date the summed figures refer to."
    )
    data_updated_at: datetime | None = strawberry.field(
        description="When the newest summed record last changed."
    )
    groups: list[InvestmentGroup] = strawberry.field(
        description="The breakdown asked for with `groupBy`, ordered by key, null key last."
    )


@strawberry.type(description="Counts of smart-city areas (จำนวนเมืองอัจฉริยะ) a filter selects.")
class CitySummary:
    count: int = strawberry.field(description="How many areas.")
    as_of: PartialDate | None = strawberry.field(
        description="The latest certification or proposal date among them."
    )
    data_updated_at: datetime | None = strawberry.field(
        description="When the newest of them last changed."
    )
    groups: list[Group] = strawberry.field(
        description="The breakdown asked for with `groupBy`, ordered by key, null key last."
    )


@strawberry.type(description="How many areas' latest progress falls in a range.")
class ProgressBucket:
    from_percent: Decimal = strawberry.field(description="Lower bound, included.")
    to_percent: Decimal = strawberry.field(description="Upper bound, excluded (100 included).")
    count: int = strawberry.field(description="How many areas.")


@strawberry.type(
    description=(
        "The latest progress (ความคืบหน้าล่าสุด) of the areas a filter selects: how many have a "
        "figure, and over those, the range and distribution. Few areas have a published "
        "figure, so this describes those areas, not the programme: the programme's own "
        'overall figure is `programme { figures(indicator: "PROGRESS_PERCENT") }`.'
    )
)
class ProgressSummary:
    areas_with_figure: int = strawberry.field(description="Areas with a progress figure.")
    areas_without_figure: int = strawberry.field(description="Areas without one (unknown).")
    coverage: Decimal | None = strawberry.field(
        description=(
            "The share of the selected areas that have a figure, 0 to 1 (2 places); null "
            "when no area is selected."
        )
    )
    average: Decimal | None = strawberry.field(
        description=(
            "Mean latest percent, 2 places; null unless at least half of the selected areas "
            "have a figure, as a mean of a few areas would be read as the areas' progress."
        )
    )
    minimum: Decimal | None = strawberry.field(description="Lowest latest percent.")
    maximum: Decimal | None = strawberry.field(description="Highest latest percent.")
    as_of: PartialDate | None = strawberry.field(description="Date of the newest figure used.")
    distribution: list[ProgressBucket] = strawberry.field(
        description="Counts in 25-point ranges: 0 to 25, 25 to 50, 50 to 75, 75 to 100."
    )


@strawberry.type(description="An area's place in a ranking.")
class RankedCity:
    rank: int = strawberry.field(description="Its place; equal values share a place (1, 2, 2, 4).")
    city: City = strawberry.field(description="The area.")
    observation: ObservationType = strawberry.field(
        description="The figure it is ranked by, with its date and sources."
    )


@strawberry.type(description="Areas ranked by their latest figure of one indicator (อันดับ).")
class CityRanking:
    indicator: str = strawberry.field(description="The indicator ranked by.")
    total_count: int = strawberry.field(description="How many areas have such a figure.")
    entries: list[RankedCity] = strawberry.field(description="Best first.")


def _money(amount: Decimal | None, currency: Currency) -> Money | None:
    return None if amount is None else Money(amount=amount, currency=currency)


def _where(filter_: object) -> ColumnElement[bool]:
    clause = getattr(filter_, "clause", None)
    return clause() if clause is not None else true()


def investment_statements(arguments: dict[str, Any]) -> summaries.Summary:
    """What `investmentSummary` reads, from its arguments (as its resolver receives them)."""
    group_by: InvestmentGrouping | None = arguments.get("group_by")
    return summaries.investment_summary(
        _where(arguments.get("where")),
        arguments.get("currency", Currency.THB),
        None if group_by is None else group_by.value,
    )


async def investment_summary(info: Info, arguments: dict[str, Any]) -> InvestmentSummary:
    overall, groups = await summaries.summarise(info.context.db, investment_statements(arguments))
    return built_investment_summary(arguments, overall, groups)


def built_investment_summary(
    arguments: dict[str, Any], overall: summaries.Group, groups: list[summaries.Group]
) -> InvestmentSummary:
    """`investmentSummary`'s answer from its rows, whoever read them (`schema.computed.Built`)."""
    currency: Currency = arguments.get("currency", Currency.THB)
    group_by: InvestmentGrouping | None = arguments.get("group_by")
    grouping = None if group_by is None else group_by.value
    return InvestmentSummary(
        currency=currency,
        count=overall.count,
        total=_money(overall.total, currency),
        average=_money(summaries.average(overall.total, overall.count), currency),
        as_of=partial_date(overall.as_of),
        data_updated_at=overall.updated_at,
        groups=[
            InvestmentGroup(
                key=group.key,
                label_en=_label(group, grouping)[0],
                label_th=_label(group, grouping)[1],
                count=group.count,
                total=_money(group.total, currency),
                average=_money(summaries.average(group.total, group.count), currency),
                as_of=partial_date(group.as_of),
                data_updated_at=group.updated_at,
            )
            for group in groups
        ],
    )


def city_statements(arguments: dict[str, Any]) -> summaries.Summary:
    """What `citySummary` reads, from its arguments (as its resolver receives them)."""
    group_by: CityGrouping | None = arguments.get("group_by")
    return summaries.city_counts(
        _where(arguments.get("where")), None if group_by is None else group_by.value
    )


async def city_summary(info: Info, arguments: dict[str, Any]) -> CitySummary:
    overall, groups = await summaries.summarise(info.context.db, city_statements(arguments))
    return built_city_summary(arguments, overall, groups)


def built_city_summary(
    arguments: dict[str, Any], overall: summaries.Group, groups: list[summaries.Group]
) -> CitySummary:
    """`citySummary`'s answer from its rows, whoever read them (`schema.computed.Built`)."""
    group_by: CityGrouping | None = arguments.get("group_by")
    grouping = None if group_by is None else group_by.value
    return CitySummary(
        count=overall.count,
        as_of=partial_date(overall.as_of),
        data_updated_at=overall.updated_at,
        groups=[
            Group(
                key=group.key,
                label_en=_label(group, grouping)[0],
                label_th=_label(group, grouping)[1],
                count=group.count,
                as_of=partial_date(group.as_of),
                data_updated_at=group.updated_at,
            )
            for group in groups
        ],
    )


BUCKETS = (Decimal(0), Decimal(25), Decimal(50), Decimal(75), Decimal(100))
MAJORITY = Decimal("0.5")  # the share of areas with a figure below which no average is given


async def progress_summary(info: Info, where: CityFilter | None) -> ProgressSummary:
    db = info.context.db
    latest = await summaries.latest_observations(db, queries.progress_indicator(), _where(where))
    values = [row.value for row in latest if row.value is not None]
    overall, _ = await summaries.summarise(db, summaries.city_counts(_where(where), None))
    counts = [0] * (len(BUCKETS) - 1)
    for value in values:
        index = min(int(value // 25), len(counts) - 1) if value >= 0 else 0
        counts[index] += 1
    dates = [row.as_of for row in latest if row.as_of is not None]
    covered = Decimal(len(values)) / overall.count if overall.count else None
    return ProgressSummary(
        areas_with_figure=len(values),
        areas_without_figure=overall.count - len(values),
        coverage=None if covered is None else covered.quantize(Decimal("0.01")),
        average=(
            summaries.average(sum(values, Decimal(0)), len(values))
            if covered is not None and covered >= MAJORITY
            else None
        ),
        minimum=min(values).normalize() if values else None,
        maximum=max(values).normalize() if values else None,
        as_of=partial_date(max(dates)) if dates else None,
        distribution=[
            ProgressBucket(from_percent=low, to_percent=high, count=count)
            for low, high, count in zip(BUCKETS[:-1], BUCKETS[1:], counts, strict=True)
        ],
    )


async def city_ranking(
    info: Info,
    indicator: str,
    qualifier: str | None,
    dimension: str | None,
    where: CityFilter | None,
    first: int,
) -> CityRanking:
    check_page_size("first", first)
    conditions = col(Observation.indicator) == indicator
    if qualifier is not None:
        conditions &= col(Observation.qualifier) == qualifier
    if dimension is not None:
        conditions &= col(Observation.dimension_id).in_(
            select(col(Dimension.id)).where(col(Dimension.code) == dimension)
        )
    latest = await summaries.latest_observations(info.context.db, conditions, _where(where))
    shown = latest[:first]
    # Gathered, so the DataLoader answers all the cities with one statement.
    cities = await asyncio.gather(*(load_related(info, City, row.city_id) for row in shown))
    entries: list[RankedCity] = []
    rank = 0
    for position, (row, city) in enumerate(zip(shown, cities, strict=True), start=1):
        if position == 1 or row.value != shown[position - 2].value:
            rank = position
        assert city is not None  # a foreign key
        entries.append(RankedCity(rank=rank, city=city, observation=ObservationType.from_row(row)))
    return CityRanking(indicator=indicator, total_count=len(latest), entries=entries)


FirstRanked = Annotated[
    int, strawberry.argument(description=f"How many places (1 to {MAX_PAGE_SIZE}).")
]
