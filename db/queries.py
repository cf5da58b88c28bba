"""Statements behind the root lists, each in a stable, documented order.

Every ordering ends with a unique column so offset cursors page through without gaps or
repeats; `nulls_first()` keeps SQLite and PostgreSQL in the same order.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import func
from sqlmodel import col, select
from sqlmodel.sql.expression import SelectOfScalar

from db.access import Db
from db.tables import (
    City,
    CoverageNote,
    Dimension,
    Investment,
    Milestone,
    Observation,
    Organization,
    ProgrammePhase,
    Project,
    Province,
    Source,
)


def provinces() -> SelectOfScalar[Province]:
    return select(Province).order_by(col(Province.code))


def cities() -> SelectOfScalar[City]:
    return select(City).order_by(col(City.slug))


def organizations() -> SelectOfScalar[Organization]:
    return select(Organization).order_by(col(Organization.slug))


def projects() -> SelectOfScalar[Project]:
    return select(Project).order_by(col(Project.slug))


def investments() -> SelectOfScalar[Investment]:
    return select(Investment).order_by(col(Investment.key))


def milestones() -> SelectOfScalar[Milestone]:
    return select(Milestone).order_by(*milestone_order())


def programme_milestones() -> SelectOfScalar[Milestone]:
    """Steps of the whole programme: tied to no project, area or province."""
    return milestones().where(
        col(Milestone.project_id).is_(None),
        col(Milestone.city_id).is_(None),
        col(Milestone.province_id).is_(None),
    )


def observations(indicator: str | None = None) -> SelectOfScalar[Observation]:
    statement = select(Observation).order_by(*observation_order())
    if indicator is not None:
        statement = statement.where(col(Observation.indicator) == indicator)
    return statement


def sources() -> SelectOfScalar[Source]:
    return select(Source).order_by(col(Source.key))


def milestone_order() -> tuple[Any, ...]:
    """Calendar order: the date a step was met, else the date it is due; undated last."""
    return (
        func.coalesce(col(Milestone.met_on), col(Milestone.due_on)).nulls_last(),
        col(Milestone.key),
    )


def observation_order() -> tuple[Any, ...]:
    """By indicator, then oldest first (undated first), so the last is the latest."""
    return (col(Observation.indicator), col(Observation.as_of).nulls_first(), col(Observation.key))


async def dimensions(db: Db) -> Sequence[Dimension]:
    return await db.all(select(Dimension).order_by(col(Dimension.id)))


async def programme_phases(db: Db) -> Sequence[ProgrammePhase]:
    return await db.all(select(ProgrammePhase).order_by(col(ProgrammePhase.position)))


async def programme_figures(db: Db) -> Sequence[Observation]:
    """Programme-wide observations: measured for no single area or project."""
    return await db.all(
        observations().where(
            col(Observation.city_id).is_(None), col(Observation.project_id).is_(None)
        )
    )


async def coverage_notes(db: Db) -> Sequence[str]:
    return await db.all(select(CoverageNote.text_en).order_by(col(CoverageNote.position)))
