"""Statements and derived values shared by the root lists, filters, orderings and summaries.

Every list ends its ordering with the primary key, so offset cursors page through without
gaps or repeats whatever the ordering; `nulls_last()` keeps SQLite and PostgreSQL in the same
order.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Integer, Row, ScalarSelect, cast, func, union_all
from sqlalchemy.orm import aliased
from sqlmodel import col, select

from db.access import Db
from db.enums import Currency, InvestmentStage
from db.loaders import Query, columns
from db.observations import current
from db.tables import (
    City,
    CityDimension,
    CoverageNote,
    Dimension,
    Investment,
    Milestone,
    Observation,
    ProgrammePhase,
    ProjectDimension,
    Province,
    Record,
)
from db.types import ExactDecimal

PROGRESS = "PROGRESS_PERCENT"


def listing(model: type[Record], query: Query) -> Any:
    """A root list: the rows `query` selects, in its order, the primary key last."""
    return select(*columns(model)).where(query.where).order_by(*query.order_by, col(model.id))


def programme_wide_milestone() -> ColumnElement[bool]:
    """Steps of the programme as a whole: tied to no project, area or province."""
    return (
        col(Milestone.project_id).is_(None)
        & col(Milestone.city_id).is_(None)
        & col(Milestone.province_id).is_(None)
    )


def milestone_date() -> ColumnElement[Any]:
    """When a step happened, else when it is due."""
    return func.coalesce(col(Milestone.met_on), col(Milestone.due_on))


def investment_year() -> ColumnElement[Any]:
    """The year of an investment's `as_of` date (partial dates start with the year)."""
    return cast(func.substr(col(Investment.as_of), 1, 4), Integer)


def year_of(partial_date: str | None) -> int | None:
    """The year of a partial date, as `investment_year` reads it in SQL."""
    return None if partial_date is None else int(partial_date[:4])


def latest_first(observation: Any = Observation) -> tuple[Any, ...]:
    """The order that makes an indicator's latest figure come first (undated figures count as
    oldest), for the latest value of one city and for the latest of every city alike."""
    return (observation.as_of.desc().nulls_last(), observation.key.desc())


def progress_indicator() -> ColumnElement[bool]:
    return (col(Observation.indicator) == PROGRESS) & current()


def latest_observation_value(indicator: str, city_id: Any) -> ScalarSelect[Any]:
    """The most recent value of `indicator` for a city (undated figures count as oldest).

    It reads an alias of the observations, so that inside a statement that selects
    observations itself (a summary filtering areas by their latest progress) it is not
    correlated to that statement's observations and left with no FROM of its own.
    """
    latest = aliased(Observation, name="latest_observation")
    return (
        select(col(latest.value))
        .where(col(latest.city_id) == city_id, col(latest.indicator) == indicator, current(latest))
        .order_by(*latest_first(latest))
        .limit(1)
        .scalar_subquery()
    )


def progress_history() -> Query:
    """A city's or project's `PROGRESS_PERCENT` figures, oldest first (undated first)."""
    return Query(
        key="progress-history",
        where=progress_indicator(),
        order_by=(col(Observation.as_of).asc().nulls_first(), col(Observation.key)),
    )


def latest_progress(city_id: Any = City.id) -> ScalarSelect[Any]:
    return latest_observation_value(PROGRESS, city_id)


def total_investment(city_id: Any = City.id) -> ScalarSelect[Any]:
    """The sum of a city's actual investments in baht (null when it has none). Expected,
    budgeted and requested money is not spent yet, and registered capital is no spending at
    all: summed together they would rank a city by money that may never reach it."""
    return (
        select(func.sum(col(Investment.amount), type_=ExactDecimal(18, 2)))
        .where(
            col(Investment.city_id) == city_id,
            col(Investment.currency) == Currency.THB,
            col(Investment.stage) == InvestmentStage.ACTUAL,
        )
        .scalar_subquery()
    )


def province_column(column: Any, province_id: Any) -> ScalarSelect[Any]:
    """One column of the province a row points to, for ordering by it."""
    return select(column).where(col(Province.id) == province_id).scalar_subquery()


async def dimensions(db: Db, updated_since: datetime | None = None) -> Sequence[Row[Any]]:
    statement = select(*columns(Dimension)).order_by(col(Dimension.id))
    if updated_since is not None:
        statement = statement.where(col(Dimension.updated_at) >= updated_since)
    return await db.rows(statement)


async def programme_phases(db: Db) -> Sequence[Row[Any]]:
    return await db.rows(select(*columns(ProgrammePhase)).order_by(col(ProgrammePhase.position)))


async def coverage_notes(db: Db) -> Sequence[Row[Any]]:
    return await db.rows(select(*columns(CoverageNote)).order_by(col(CoverageNote.position)))


def investment_dimensions() -> Any:
    """(investment id, dimension id): money for a project counts under the project's
    dimensions; other money under the dimensions its area's plan targets. Summaries group by
    it and the investment filter selects by it, so both apply the same rule."""
    via_project: Any = select(
        col(Investment.id).label("investment_id"), col(ProjectDimension.dimension_id)
    ).join(ProjectDimension, col(ProjectDimension.project_id) == col(Investment.project_id))
    via_city: Any = (
        select(col(Investment.id).label("investment_id"), col(CityDimension.dimension_id))
        .join(CityDimension, col(CityDimension.city_id) == col(Investment.city_id))
        .where(col(Investment.project_id).is_(None))
    )
    return union_all(via_project, via_city).subquery("investment_dimension")
