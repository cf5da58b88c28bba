"""Batch loaders: every relation of the graph is read through one of these, per request.

Each batch function answers all the keys gathered in one tick with a single statement and
returns results in key order, `None` (or an empty list) for keys with nothing, so the number of
statements depends on the depth of a query, not on how many rows it returns. A page of a
relation is cut in SQL, per parent, so the rows read depend on the page sizes asked for, not on
how many children a parent has. Rows are read as plain column tuples (`Row`), never as ORM
objects: a read path has no use for identity maps and change tracking, and building them was
most of the time spent on a deep query.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Callable, Coroutine, Hashable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from aiodataloader import DataLoader
from sqlalchemy import ColumnElement, Row, and_, func, or_, select, tuple_
from sqlmodel import col

from db.access import Db
from db.enums import CityStatus
from db.observations import current
from db.tables import Alternative, Citation, City, Observation, Record, Source

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")
A = TypeVar("A", bound=Hashable)
L = TypeVar("L", bound="Loader[Any, Any]")
S = TypeVar("S", tuple[str, int], tuple[str, str])  # a subject: (table, id or natural key)


class Loader(Generic[K, V]):
    """A typed face on `aiodataloader.DataLoader` (which ships no type hints)."""

    def __init__(self, batch: Callable[[list[K]], Coroutine[Any, Any, list[V]]]) -> None:
        self._loader: DataLoader[K, V] = DataLoader(batch_load_fn=batch)

    async def load(self, key: K) -> V:
        return await self._loader.load(key)


def columns(model: Any) -> list[Any]:
    """Every column of a table's model, to select its rows as plain `Row`s."""
    return list(model.__table__.c)


@dataclass(frozen=True)
class Query:
    """The conditions and ordering a list asks for.

    `key` names the ask: relation loads with equal keys batch into one statement, so a
    query's statement count grows with the number of distinct asks, never with the data.
    """

    key: str
    where: ColumnElement[bool] = field(compare=False, hash=False)
    order_by: tuple[Any, ...] = field(compare=False, hash=False)


@dataclass(frozen=True)
class Slice:
    """Which part of an ordered list a page is, in positions counted from 0: after position
    `after`, before position `before`, the first `first` or the last `last` of what is left
    (exactly one of the two is set)."""

    after: int | None
    before: int | None
    first: int | None
    last: int | None


@dataclass(frozen=True, eq=False)
class Relation:
    """The rows of `target` that belong to a parent: those whose `parent` column holds the
    parent's id, either on `target` itself (a foreign key) or on a link table whose `link`
    column points at `target` (many-to-many)."""

    target: type[Record]
    parent: Any  # a mapped column, e.g. `col(City.province_id)`
    link: Any = None

    @property
    def name(self) -> str:
        """A stable name, for caching the relation's loaders per request."""
        return f"{self.parent.class_.__tablename__}.{self.parent.key}:{self.target.__tablename__}"

    def select(self, *extra: Any) -> Any:
        """(parent id, the target's columns, *extra), from the target and any link table."""
        statement = select(self.parent.label("page_parent"), *columns(self.target), *extra)
        if self.link is not None:
            statement = statement.select_from(self.parent.class_).join(
                self.target, col(self.target.id) == self.link
            )
        return statement


@dataclass(frozen=True)
class Page:
    """One parent's page: its rows, each with its `page_position` in the whole list, and how
    many rows the whole list holds."""

    rows: list[Row[Any]]
    total: int


def _one_by(db: Db, column: Any) -> Loader[Any, Row[Any] | None]:
    """Rows by a unique column (id, slug, code): one row or None per key."""

    async def batch(keys: list[Any]) -> list[Row[Any] | None]:
        statement = select(*columns(column.class_)).where(column.in_(keys))
        found = {getattr(row, column.key): row for row in await db.rows(statement)}
        return [found.get(key) for key in keys]

    return Loader(batch)


def _grouped(keys: list[tuple[int, A]]) -> dict[A, list[int]]:
    """Parent ids by what is asked of them: one statement answers each distinct ask."""
    by_ask: dict[A, list[int]] = defaultdict(list)
    for parent_id, ask in keys:
        by_ask[ask].append(parent_id)
    return by_ask


def _all_of(db: Db, relation: Relation) -> Loader[tuple[int, Query], list[Row[Any]]]:
    """Every row for each (parent id, query): for short lists that are not paged (an area's
    dimensions, its progress history)."""

    async def batch(keys: list[tuple[int, Query]]) -> list[list[Row[Any]]]:
        found: dict[tuple[int, Query], list[Row[Any]]] = defaultdict(list)
        for query, parent_ids in _grouped(keys).items():
            statement = (
                relation.select()
                .where(relation.parent.in_(parent_ids), query.where)
                .order_by(*query.order_by, col(relation.target.id))
            )
            for row in await db.rows(statement):
                found[(row.page_parent, query)].append(row)
        return [found.get(key, []) for key in keys]

    return Loader(batch)


def in_slice(position: Any, total: Any, part: Slice) -> ColumnElement[bool]:
    """Whether the row at `position` of a list of `total` rows is in the page `part` asks for:
    `schema.pagination.window`'s arithmetic, in SQL."""
    conditions = []
    if part.after is not None:
        conditions.append(position > part.after)
    if part.before is not None:
        conditions.append(position < part.before)
    if part.last is not None:
        # The last n before min(before, total): at or past either bound less n.
        from_end = [position >= total - part.last]
        if part.before is not None:
            from_end.append(position >= part.before - part.last)
        conditions.append(or_(*from_end))
    else:
        start = 0 if part.after is None else part.after + 1
        conditions.append(position < start + (part.first or 0))
    return and_(*conditions)


def _pages_of(db: Db, relation: Relation) -> Loader[tuple[int, Query, Slice], Page]:
    """A page for each (parent id, query, slice), numbered and counted per parent by window
    functions. The first row of every parent's list comes too, even off the page, so that a
    page past the end still knows how long the list is."""

    async def batch(keys: list[tuple[int, Query, Slice]]) -> list[Page]:
        found: dict[tuple[int, Query, Slice], list[Row[Any]]] = defaultdict(list)
        totals: dict[tuple[int, Query, Slice], int] = {}
        asks = _grouped([(parent_id, (query, part)) for parent_id, query, part in keys])
        for (query, part), parent_ids in asks.items():
            ordering = (*query.order_by, col(relation.target.id))
            numbered = (
                relation.select(
                    (
                        func.row_number().over(partition_by=relation.parent, order_by=ordering) - 1
                    ).label("page_position"),
                    func.count().over(partition_by=relation.parent).label("page_total"),
                )
                .where(relation.parent.in_(parent_ids), query.where)
                .subquery("numbered")
            )
            position = numbered.c.page_position
            statement = (
                select(numbered)
                .where(or_(position == 0, in_slice(position, numbered.c.page_total, part)))
                .order_by(numbered.c.page_parent, position)
            )
            for row in await db.rows(statement):
                key = (row.page_parent, query, part)
                found[key].append(row)
                totals[key] = row.page_total
        return [Page(found.get(key, []), totals.get(key, 0)) for key in keys]

    return Loader(batch)


def _sources_by_subject(db: Db) -> Loader[tuple[str, int], list[Row[Any]]]:
    """Sources cited by any record, keyed by (table name, id)."""

    async def batch(keys: list[tuple[str, int]]) -> list[list[Row[Any]]]:
        statement = (
            select(col(Citation.subject_type), col(Citation.subject_id), *columns(Source))
            .join(Source, col(Source.id) == col(Citation.source_id))
            .where(tuple_(col(Citation.subject_type), col(Citation.subject_id)).in_(keys))
            .order_by(col(Source.key))
        )
        return await _by_subject(db, statement, keys, "subject_id")

    return Loader(batch)


async def _by_subject(
    db: Db, statement: Any, keys: list[S], id_column: str
) -> list[list[Row[Any]]]:
    """The rows of `statement` for each (subject type, subject id or key) in `keys`, in the
    keys' order: what a record cites, or where sources give other values for it."""
    grouped: dict[S, list[Row[Any]]] = defaultdict(list)
    for row in await db.rows(statement):
        grouped[(row.subject_type, getattr(row, id_column))].append(row)
    return [grouped.get(key, []) for key in keys]


def _read_once(db: Db, statement: Any) -> Loader[str, list[Row[Any]]]:
    """The rows of `statement`, read once a request however many fields ask (key `"all"`)."""

    async def batch(keys: list[str]) -> list[list[Row[Any]]]:
        rows = list(await db.rows(statement))
        return [rows for _ in keys]

    return Loader(batch)


def _certified_areas(db: Db) -> Loader[str, list[Row[Any]]]:
    """(certified_on, province id) of every certified or renewed area, read once a request."""
    return _read_once(
        db,
        select(col(City.certified_on), col(City.province_id)).where(
            col(City.status).in_((CityStatus.CERTIFIED, CityStatus.RENEWED))
        ),
    )


def _alternatives_by_subject(db: Db) -> Loader[tuple[str, str], list[Row[Any]]]:
    """Other values sources give for a record's fields, keyed by (table name, natural key)."""

    async def batch(keys: list[tuple[str, str]]) -> list[list[Row[Any]]]:
        statement = (
            select(*columns(Alternative))
            .where(tuple_(col(Alternative.subject_type), col(Alternative.subject_key)).in_(keys))
            .order_by(col(Alternative.field), col(Alternative.key))
        )
        return await _by_subject(db, statement, keys, "subject_key")

    return Loader(batch)


@functools.cache  # the statement is the same for every request: built once
def _programme_figures_statement() -> Any:
    return (
        select(*columns(Observation))
        .where(
            col(Observation.city_id).is_(None),
            col(Observation.project_id).is_(None),
            current(),
        )
        .order_by(
            col(Observation.indicator),
            col(Observation.as_of).nulls_first(),
            col(Observation.key),
        )
    )


def _programme_figures(db: Db) -> Loader[str, list[Row[Any]]]:
    """Programme-wide observations (measured for no single area or project), by indicator,
    oldest first, read once a request: the programme and each of its phases use them."""
    return _read_once(db, _programme_figures_statement())


class Loaders:
    """The per-request loaders, each made on first use: one per column records are looked up
    by, and two per relation (paged, and whole for short lists)."""

    def __init__(self, db: Db) -> None:
        self._db = db
        self._made: dict[str, Any] = {}
        self.sources_by_subject = _sources_by_subject(db)
        self.certified_areas = _certified_areas(db)
        self.programme_figures = _programme_figures(db)
        self.alternatives_by_subject = _alternatives_by_subject(db)

    def _once(self, name: str, make: Callable[[], L]) -> L:
        if name not in self._made:
            self._made[name] = make()
        loader: L = self._made[name]
        return loader

    def one_by(self, column: Any) -> Loader[Any, Row[Any] | None]:
        """Rows by a unique column, e.g. `one_by(City.slug)`."""
        name = f"one:{column.class_.__tablename__}.{column.key}"
        return self._once(name, lambda: _one_by(self._db, column))

    def page_of(self, relation: Relation) -> Loader[tuple[int, Query, Slice], Page]:
        return self._once(f"page:{relation.name}", lambda: _pages_of(self._db, relation))

    def all_of(self, relation: Relation) -> Loader[tuple[int, Query], list[Row[Any]]]:
        return self._once(f"all:{relation.name}", lambda: _all_of(self._db, relation))
