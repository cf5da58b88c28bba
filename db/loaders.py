"""Batch loaders: every relation of the graph is read through one of these, per request.

Each batch function answers all the keys gathered in one tick with a single statement and
returns results in key order, `None` (or an empty list) for keys with nothing, so the number of
statements depends on the depth of a query, not on how many rows it returns.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Coroutine, Hashable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from aiodataloader import DataLoader
from sqlalchemy import ColumnElement, tuple_
from sqlmodel import col, select

from db.access import Db
from db.enums import CityStatus
from db.tables import (
    AscnMembership,
    Citation,
    City,
    CityDimension,
    Dimension,
    Investment,
    Milestone,
    Observation,
    Organization,
    ProgrammePhase,
    ProgrammePhaseProvince,
    Project,
    ProjectDimension,
    Province,
    Record,
    Source,
)

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")
R = TypeVar("R", bound=Record)


class Loader(Generic[K, V]):
    """A typed face on `aiodataloader.DataLoader` (which ships no type hints)."""

    def __init__(self, batch: Callable[[list[K]], Coroutine[Any, Any, list[V]]]) -> None:
        self._loader: DataLoader[K, V] = DataLoader(batch_load_fn=batch)

    async def load(self, key: K) -> V:
        return await self._loader.load(key)


def _one_by(db: Db, model: type[R], column: Any) -> Loader[Any, R | None]:
    """Rows by a unique column (id, slug, code): one row or None per key."""

    async def batch(keys: list[Any]) -> list[R | None]:
        rows = await db.all(select(model).where(col(column).in_(keys)))
        found = {getattr(row, column.key): row for row in rows}
        return [found.get(key) for key in keys]

    return Loader(batch)


@dataclass(frozen=True)
class Query:
    """The conditions and ordering a list asks for.

    `key` names the ask: relation loads with equal keys batch into one statement, so a
    query's statement count grows with the number of distinct asks, never with the data.
    """

    key: str
    where: ColumnElement[bool] = field(compare=False, hash=False)
    order_by: tuple[Any, ...] = field(compare=False, hash=False)


def _grouped(keys: list[tuple[int, Query]]) -> dict[Query, list[int]]:
    by_query: dict[Query, list[int]] = defaultdict(list)
    for parent_id, query in keys:
        by_query[query].append(parent_id)
    return by_query


def _by_parent(
    db: Db, statement_for: Callable[[Query, list[int]], Any]
) -> Loader[tuple[int, Query], list[Any]]:
    """Rows for each (parent id, query), from statements selecting (parent id, row): one
    statement per distinct query, however many parents ask."""

    async def batch(keys: list[tuple[int, Query]]) -> list[list[Any]]:
        found: dict[tuple[int, str], list[Any]] = defaultdict(list)
        for query, parent_ids in _grouped(keys).items():
            for parent_id, row in await db.rows(statement_for(query, parent_ids)):
                found[(parent_id, query.key)].append(row)
        return [found.get((parent_id, query.key), []) for parent_id, query in keys]

    return Loader(batch)


def _many_by(db: Db, model: type[R], column: Any) -> Loader[tuple[int, Query], list[R]]:
    """Rows by a foreign key, for each (parent id, query)."""
    return _by_parent(
        db,
        lambda query, parent_ids: (
            select(col(column), model)
            .where(col(column).in_(parent_ids), query.where)
            .order_by(*query.order_by, col(model.id))
        ),
    )


def _linked(
    db: Db, target: type[R], source_column: Any, target_column: Any
) -> Loader[tuple[int, Query], list[R]]:
    """Rows across a many-to-many link table, for each (parent id, query)."""
    return _by_parent(
        db,
        lambda query, parent_ids: (
            select(col(source_column), target)
            .join(target, col(target.id) == col(target_column))
            .where(col(source_column).in_(parent_ids), query.where)
            .order_by(*query.order_by, col(target.id))
        ),
    )


def _sources_by_subject(db: Db) -> Loader[tuple[str, int], list[Source]]:
    """Sources cited by any record, keyed by (table name, id)."""

    async def batch(keys: list[tuple[str, int]]) -> list[list[Source]]:
        statement = (
            select(col(Citation.subject_type), col(Citation.subject_id), Source)
            .join(Source, col(Source.id) == col(Citation.source_id))
            .where(tuple_(col(Citation.subject_type), col(Citation.subject_id)).in_(keys))
            .order_by(col(Source.key))
        )
        grouped: dict[tuple[str, int], list[Source]] = defaultdict(list)
        for subject_type, subject_id, source in await db.rows(statement):
            grouped[(subject_type, subject_id)].append(source)
        return [grouped.get(key, []) for key in keys]

    return Loader(batch)


def _certified_areas(db: Db) -> Loader[str, list[tuple[str | None, int]]]:
    """(certified_on, province id) of every certified or renewed area, read once a request."""

    async def batch(keys: list[str]) -> list[list[tuple[str | None, int]]]:
        rows = await db.rows(
            select(col(City.certified_on), col(City.province_id)).where(
                col(City.status).in_((CityStatus.CERTIFIED, CityStatus.RENEWED))
            )
        )
        return [[(certified_on, province_id) for certified_on, province_id in rows] for _ in keys]

    return Loader(batch)


class Loaders:
    """The per-request set of loaders; names read as contracts (`cities_by_province_id`)."""

    def __init__(self, db: Db) -> None:
        self.province_by_id = _one_by(db, Province, Province.id)
        self.province_by_code = _one_by(db, Province, Province.code)
        self.city_by_id = _one_by(db, City, City.id)
        self.city_by_slug = _one_by(db, City, City.slug)
        self.dimension_by_id = _one_by(db, Dimension, Dimension.id)
        self.dimension_by_code = _one_by(db, Dimension, Dimension.code)
        self.organization_by_id = _one_by(db, Organization, Organization.id)
        self.organization_by_slug = _one_by(db, Organization, Organization.slug)
        self.project_by_id = _one_by(db, Project, Project.id)
        self.project_by_slug = _one_by(db, Project, Project.slug)
        self.investment_by_key = _one_by(db, Investment, Investment.key)
        self.milestone_by_key = _one_by(db, Milestone, Milestone.key)
        self.observation_by_key = _one_by(db, Observation, Observation.key)
        self.source_by_key = _one_by(db, Source, Source.key)
        self.phase_by_key = _one_by(db, ProgrammePhase, ProgrammePhase.key)
        self.ascn_membership_by_province_id = _one_by(
            db, AscnMembership, AscnMembership.province_id
        )

        self.cities_by_province_id = _many_by(db, City, City.province_id)
        self.cities_by_operator_id = _many_by(db, City, City.operator_id)
        self.projects_by_city_id = _many_by(db, Project, Project.city_id)
        self.projects_by_province_id = _many_by(db, Project, Project.province_id)
        self.projects_by_operator_id = _many_by(db, Project, Project.operator_id)
        self.investments_by_city_id = _many_by(db, Investment, Investment.city_id)
        self.investments_by_project_id = _many_by(db, Investment, Investment.project_id)
        self.investments_by_investor_id = _many_by(db, Investment, Investment.investor_id)
        self.milestones_by_project_id = _many_by(db, Milestone, Milestone.project_id)
        self.milestones_by_city_id = _many_by(db, Milestone, Milestone.city_id)
        self.observations_by_city_id = _many_by(db, Observation, Observation.city_id)
        self.observations_by_project_id = _many_by(db, Observation, Observation.project_id)

        self.dimensions_by_city_id = _linked(
            db, Dimension, CityDimension.city_id, CityDimension.dimension_id
        )
        self.cities_by_dimension_id = _linked(
            db, City, CityDimension.dimension_id, CityDimension.city_id
        )
        self.dimensions_by_project_id = _linked(
            db, Dimension, ProjectDimension.project_id, ProjectDimension.dimension_id
        )
        self.projects_by_dimension_id = _linked(
            db, Project, ProjectDimension.dimension_id, ProjectDimension.project_id
        )
        self.provinces_by_phase_id = _linked(
            db, Province, ProgrammePhaseProvince.phase_id, ProgrammePhaseProvince.province_id
        )
        self.sources_by_subject = _sources_by_subject(db)
        self.certified_areas = _certified_areas(db)
