"""Batch loaders: every relation of the graph is read through one of these, per request.

Each batch function answers all the keys gathered in one tick with a single statement and
returns results in key order, `None` (or an empty list) for keys with nothing, so the number of
statements depends on the depth of a query, not on how many rows it returns.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Coroutine, Hashable
from typing import Any, Generic, TypeVar

from aiodataloader import DataLoader
from sqlalchemy import ColumnElement, tuple_
from sqlmodel import col, select

from db.access import Db
from db.queries import milestone_order, observation_order
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

    async def load_many(self, keys: list[K]) -> list[V]:
        return await self._loader.load_many(keys)


def _one_by(db: Db, model: type[R], column: Any) -> Loader[Any, R | None]:
    """Rows by a unique column (id, slug, code): one row or None per key."""

    async def batch(keys: list[Any]) -> list[R | None]:
        rows = await db.all(select(model).where(col(column).in_(keys)))
        found = {getattr(row, column.key): row for row in rows}
        return [found.get(key) for key in keys]

    return Loader(batch)


def _many_by(
    db: Db, model: type[R], column: Any, *order_by: ColumnElement[Any] | Any
) -> Loader[int, list[R]]:
    """Rows by a foreign key: a list per key, in `order_by` order then by id."""

    async def batch(keys: list[int]) -> list[list[R]]:
        statement = select(model).where(col(column).in_(keys)).order_by(*order_by, col(model.id))
        grouped: dict[int, list[R]] = defaultdict(list)
        for row in await db.all(statement):
            grouped[getattr(row, column.key)].append(row)
        return [grouped.get(key, []) for key in keys]

    return Loader(batch)


def _linked(
    db: Db,
    target: type[R],
    link: type[Any],
    source_column: Any,
    target_column: Any,
    *order_by: ColumnElement[Any] | Any,
) -> Loader[int, list[R]]:
    """Rows across a many-to-many link table: a list per key."""

    async def batch(keys: list[int]) -> list[list[R]]:
        statement = (
            select(col(source_column), target)
            .join(target, col(target.id) == col(target_column))
            .where(col(source_column).in_(keys))
            .order_by(*order_by, col(target.id))
        )
        grouped: dict[int, list[R]] = defaultdict(list)
        for key, row in await db.rows(statement):
            grouped[key].append(row)
        return [grouped.get(key, []) for key in keys]

    return Loader(batch)


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

        self.cities_by_province_id = _many_by(db, City, City.province_id, City.slug)
        self.cities_by_operator_id = _many_by(db, City, City.operator_id, City.slug)
        self.projects_by_city_id = _many_by(db, Project, Project.city_id, Project.slug)
        self.projects_by_province_id = _many_by(db, Project, Project.province_id, Project.slug)
        self.projects_by_operator_id = _many_by(db, Project, Project.operator_id, Project.slug)
        self.investments_by_city_id = _many_by(db, Investment, Investment.city_id, Investment.key)
        self.investments_by_project_id = _many_by(
            db, Investment, Investment.project_id, Investment.key
        )
        self.investments_by_investor_id = _many_by(
            db, Investment, Investment.investor_id, Investment.key
        )
        self.milestones_by_project_id = _many_by(
            db, Milestone, Milestone.project_id, *milestone_order()
        )
        self.milestones_by_city_id = _many_by(db, Milestone, Milestone.city_id, *milestone_order())
        self.observations_by_city_id = _many_by(
            db, Observation, Observation.city_id, *observation_order()
        )
        self.observations_by_project_id = _many_by(
            db, Observation, Observation.project_id, *observation_order()
        )

        self.dimensions_by_city_id = _linked(
            db,
            Dimension,
            CityDimension,
            CityDimension.city_id,
            CityDimension.dimension_id,
            Dimension.id,
        )
        self.cities_by_dimension_id = _linked(
            db, City, CityDimension, CityDimension.dimension_id, CityDimension.city_id, City.slug
        )
        self.dimensions_by_project_id = _linked(
            db,
            Dimension,
            ProjectDimension,
            ProjectDimension.project_id,
            ProjectDimension.dimension_id,
            Dimension.id,
        )
        self.projects_by_dimension_id = _linked(
            db,
            Project,
            ProjectDimension,
            ProjectDimension.dimension_id,
            ProjectDimension.project_id,
            Project.slug,
        )
        self.provinces_by_phase_id = _linked(
            db,
            Province,
            ProgrammePhaseProvince,
            ProgrammePhaseProvince.phase_id,
            ProgrammePhaseProvince.province_id,
            Province.code,
        )
        self.sources_by_subject = _sources_by_subject(db)
