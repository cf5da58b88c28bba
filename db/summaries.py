"""Totals, breakdowns and rankings, computed by the database from the rows a filter selects.

Sums are exact (numeric on PostgreSQL, scaled integers on SQLite); averages are divided here
in Python decimals rather than by SQL `AVG`, which SQLite answers in floating point.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from sqlalchemy import ColumnElement, Row, func, literal, select
from sqlmodel import col
from sqlmodel import select as select_rows

from db.access import Db
from db.enums import Currency
from db.loaders import columns
from db.observations import current
from db.queries import investment_dimensions, investment_year, latest_first
from db.tables import (
    City,
    CityDimension,
    Dimension,
    Investment,
    Observation,
    Province,
)
from db.types import ExactDecimal


def average(total: Decimal | None, count: int, places: int = 2) -> Decimal | None:
    if total is None or count == 0:
        return None
    return (total / count).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_EVEN)


@dataclass(frozen=True)
class Group:
    """One row of a breakdown; `key` is None for the rows with no value (e.g. undated)."""

    key: str | None
    label_en: str | None
    label_th: str | None
    count: int
    total: Decimal | None
    as_of: str | None
    updated_at: datetime | None


def _groups(rows: Sequence[Any]) -> list[Group]:
    return [
        Group(
            key=None if key is None else str(key),
            label_en=label_en,
            label_th=label_th,
            count=count,
            total=total,
            as_of=as_of,
            updated_at=updated_at,
        )
        for key, label_en, label_th, count, total, as_of, updated_at in rows
    ]


def _province_group(group_by: str) -> tuple[Any, Any, Any]:
    """The key and labels of a PROVINCE group (its code and names) or a REGION group."""
    if group_by == "PROVINCE":
        return col(Province.code), col(Province.name_en), col(Province.name_th)
    return col(Province.region), literal(None), literal(None)


def _unlabelled(key: Any) -> tuple[Any, Any, Any]:
    return key, literal(None), literal(None)


DIMENSION_GROUP = (col(Dimension.code), col(Dimension.name_en), col(Dimension.name_th))


@dataclass(frozen=True)
class Summary:
    """A summary's statements: its measures over all selected rows, and per group of the
    breakdown asked for (a key, two labels and the measures per row), in `order`."""

    overall: Any
    breakdown: Any | None
    order: Any | None

    @property
    def statements(self) -> list[Any]:
        return [self.overall] if self.breakdown is None else [self.overall, self.breakdown]

    def groups(self, rows: list[Sequence[Any]]) -> tuple[Group, list[Group]]:
        """The overall group and the breakdown's, from each statement's rows."""
        return _groups(rows[0])[0], _groups(rows[1]) if len(rows) > 1 else []


def _summary(
    measures: tuple[Any, ...], where: ColumnElement[bool], breakdown: Any | None
) -> Summary:
    overall = select(*_unlabelled(literal(None)), *measures).where(where)
    if breakdown is None:
        return Summary(overall, None, None)
    order = breakdown.selected_columns[0].asc().nulls_last()
    return Summary(overall, breakdown.where(where).order_by(order), order)


async def summarise(db: Db, summary: Summary) -> tuple[Group, list[Group]]:
    return summary.groups([await db.rows(statement) for statement in summary.statements])


def _investment_breakdown(group_by: str | None, measures: tuple[Any, ...]) -> Any | None:
    if group_by is None:
        return None
    city = col(Investment.city_id) == col(City.id)
    if group_by == "DIMENSION":
        links = investment_dimensions()
        return (
            select(*DIMENSION_GROUP, *measures)
            .select_from(Investment)
            # Outer joins: money that serves no named dimension forms the group with no key.
            .outerjoin(links, links.c.investment_id == col(Investment.id))
            .outerjoin(Dimension, col(Dimension.id) == links.c.dimension_id)
            .group_by(*DIMENSION_GROUP)
        )
    if group_by in ("PROVINCE", "REGION"):
        group = _province_group(group_by)
        return (
            select(*group, *measures)
            .select_from(Investment)
            .join(City, city)
            .join(Province, col(City.province_id) == col(Province.id))
            .group_by(*group)
        )
    if group_by in ("CITY", "CITY_STATUS"):
        group = (
            (col(City.slug), col(City.name_en), col(City.name_th))
            if group_by == "CITY"
            else _unlabelled(col(City.status))
        )
        return select(*group, *measures).select_from(Investment).join(City, city).group_by(*group)
    key = {
        "YEAR": investment_year(),
        "KIND": col(Investment.kind),
        "STAGE": col(Investment.stage),
    }[group_by]
    return select(*_unlabelled(key), *measures).group_by(key)


def investment_summary(
    where: ColumnElement[bool], currency: Currency, group_by: str | None
) -> Summary:
    """The total, count and latest date of the selected investments, and their breakdown."""
    measures = (
        func.count(col(Investment.id).distinct()),
        func.sum(col(Investment.amount), type_=ExactDecimal(18, 2)),
        func.max(col(Investment.as_of)),
        func.max(col(Investment.updated_at)),
    )
    selected = (col(Investment.currency) == currency) & where
    return _summary(measures, selected, _investment_breakdown(group_by, measures))


def _city_breakdown(group_by: str | None, measures: tuple[Any, ...]) -> Any | None:
    if group_by is None:
        return None
    if group_by == "DIMENSION":
        return (
            select(*DIMENSION_GROUP, *measures)
            .select_from(City)
            # Outer joins: areas whose plan names no dimension form the group with no key.
            .outerjoin(CityDimension, col(CityDimension.city_id) == col(City.id))
            .outerjoin(Dimension, col(Dimension.id) == col(CityDimension.dimension_id))
            .group_by(*DIMENSION_GROUP)
        )
    if group_by in ("REGION", "PROVINCE"):
        group = _province_group(group_by)
        return (
            select(*group, *measures)
            .select_from(City)
            .join(Province, col(Province.id) == col(City.province_id))
            .group_by(*group)
        )
    key = {
        "STATUS": col(City.status),
        "ROUND": col(City.certification_round),
        "CITY_TYPE": col(City.city_type),
    }[group_by]
    return select(*_unlabelled(key), *measures).group_by(key)


def city_counts(where: ColumnElement[bool], group_by: str | None) -> Summary:
    """How many areas the filter selects, and how many per group."""
    measures = (
        func.count(col(City.id).distinct()),
        literal(None),
        func.max(func.coalesce(col(City.certified_on), col(City.proposed_on))),
        func.max(col(City.updated_at)),
    )
    return _summary(measures, where, _city_breakdown(group_by, measures))


def latest_per_city(indicator_where: ColumnElement[bool]) -> Any:
    """Each city's most recent observation among those selected (undated counts as oldest)."""
    position = (
        func.row_number()
        .over(
            partition_by=col(Observation.city_id),
            order_by=latest_first(),
        )
        .label("position")
    )
    ranked = (
        select(col(Observation.id).label("id"), position)
        .where(col(Observation.city_id).is_not(None), indicator_where, current())
        .subquery("ranked")
    )
    return select(ranked.c.id).where(ranked.c.position == 1)


async def latest_observations(
    db: Db, indicator_where: ColumnElement[bool], city_where: ColumnElement[bool]
) -> Sequence[Row[Any]]:
    """The latest selected observation of each city the city filter selects, best value first
    (unknown values last), ties by city slug."""
    statement = (
        select_rows(*columns(Observation))
        .join(City, col(City.id) == col(Observation.city_id))
        .where(col(Observation.id).in_(latest_per_city(indicator_where)), city_where)
        .order_by(col(Observation.value).desc().nulls_last(), col(City.slug))
    )
    return await db.rows(statement)
