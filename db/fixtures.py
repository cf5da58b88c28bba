"""Loads `fixtures/` into the database: validated, in one transaction, idempotent.

Every record is upserted by its natural key, so IDs stay stable and a second load changes
nothing (no row is written, so no `updated_at` moves). Records gone from the files are deleted.
Which tables are loaded, from which files, in which order, is derived from `db.entities`:
one loop serves them all.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError
from sqlmodel import SQLModel, select
from sqlmodel.ext.asyncio.session import AsyncSession

from db import resources
from db.entities import ENTITIES, Entity, Fixture, Link, references, table_of
from db.enums import LocationPrecision
from db.fixture_models import CityFixture
from db.map_points import NoMapPoint, area_point
from db.tables import Citation, City, Province, Record, Source

DEFAULT_FIXTURES = resources.FIXTURES
_SOURCE = table_of(Source).name
_PROVINCE = table_of(Province).name


class FixtureError(ValueError):
    """A fixture file is malformed or refers to something that does not exist."""


@dataclass(frozen=True, eq=False)
class FixtureTable:
    """A table the fixtures fill: an entity, or a side table of one (`owner`)."""

    model: type[Record]
    key: str  # the column rows are upserted by
    fixture: Fixture
    owner: Entity
    links: tuple[Link, ...] = ()

    @property
    def name(self) -> str:
        return table_of(self.model).name

    @property
    def foreign(self) -> dict[str, tuple[str, str]]:
        """Fixture fields naming another record: field -> (foreign-key column, its table)."""
        return {
            column.removesuffix("_id"): (column, table)
            for column, table in references(self.model).items()
        }

    @property
    def key_field(self) -> str | None:
        """The fixture field holding the key; None where the key is the record's place."""
        if self.key == self.fixture.numbered:
            return None
        return self.key.removesuffix("_id") if self.key in references(self.model) else self.key

    def needs(self) -> list[str]:
        """The tables whose rows this one's records name, which must be loaded first."""
        tables = [*references(self.model).values()]
        tables += [link.ends(self.owner)[2].table for link in self.links]
        if self.fixture.cited:
            tables.append(_SOURCE)
        return [table for table in tables if table != self.name]


def _tables() -> list[FixtureTable]:
    """Every entity, then the side tables, which only add to an entity."""
    tables = [
        FixtureTable(entity.model, entity.key, entity.fixture, entity, entity.links)
        for entity in ENTITIES
    ]
    tables += [
        FixtureTable(side.model, entity.column_to(side.model), side.fixture, entity)
        for entity in ENTITIES
        for side in entity.sides
    ]
    return tables


def _in_load_order(tables: list[FixtureTable]) -> list[FixtureTable]:
    """`tables` reordered so each comes after the tables it needs, otherwise as given."""
    by_name = {table.name: table for table in tables}
    position = {table.name: index for index, table in enumerate(tables)}
    ordered: dict[str, FixtureTable] = {}

    def visit(table: FixtureTable, path: tuple[str, ...]) -> None:
        if table.name in ordered:
            return
        if table.name in path:
            raise ValueError(f"fixtures name each other in a circle: {' -> '.join(path)}")
        for needed in sorted(set(table.needs()), key=position.__getitem__):
            visit(by_name[needed], (*path, table.name))
        ordered[table.name] = table

    for table in tables:
        visit(table, ())
    return list(ordered.values())


LOAD_ORDER = _in_load_order(_tables())
BY_MODEL = {table.model: table for table in LOAD_ORDER}


@dataclass
class Changes:
    """What one load did, per table: the second of two identical loads reports all zeros."""

    inserted: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    deleted: dict[str, int] = field(default_factory=dict)

    def add(self, kind: str, table: str, count: int = 1) -> None:
        counts = getattr(self, kind)
        counts[table] = counts.get(table, 0) + count

    @property
    def total(self) -> int:
        return sum(self.inserted.values()) + sum(self.updated.values()) + sum(self.deleted.values())


F = TypeVar("F", bound=BaseModel)
R = TypeVar("R", bound=Record)


def _read_yaml(path: Path) -> Any:
    try:
        with path.open(encoding="utf-8") as stream:
            return yaml.safe_load(stream)
    except (OSError, yaml.YAMLError) as error:
        raise FixtureError(f"{path.name}: {error}") from error


def _parse(path: Path, model: type[F], records: Any) -> list[F]:
    if not isinstance(records, list):
        raise FixtureError(f"{path.name}: expected a list of records")
    parsed = []
    for index, record in enumerate(records, start=1):
        try:
            parsed.append(model.model_validate(record))
        except ValidationError as error:
            raise FixtureError(f"{path.name}, record {index}: {error}") from error
    return parsed


def _unique(path: Path, keys: Iterable[str]) -> None:
    seen: set[str] = set()
    for key in keys:
        if key in seen:
            raise FixtureError(f"{path.name}: duplicate key {key!r}")
        seen.add(key)


def _read_csv(path: Path) -> list[dict[str, str | None]]:
    """The rows of a CSV file with a header line; an empty cell is None."""
    try:
        with path.open(encoding="utf-8", newline="") as stream:
            return [{k: (v or None) for k, v in row.items()} for row in csv.DictReader(stream)]
    except OSError as error:
        raise FixtureError(f"{path.name}: {error}") from error


def _section(path: Path, document: Any, section: str) -> Any:
    """The list under `section` of a file that is a mapping of lists."""
    if document is None:
        return None
    if not isinstance(document, dict):
        raise FixtureError(f"{path.name}: expected a mapping of lists")
    known = {table.fixture.section for table in LOAD_ORDER if table.fixture.file == path.name}
    unknown = sorted(str(name) for name in document.keys() - known)
    if unknown:
        raise FixtureError(f"{path.name}: unknown section {unknown[0]!r}")
    return document.get(section)


def _read(directory: Path) -> dict[FixtureTable, list[BaseModel]]:
    """Every fixture file, parsed and validated before anything touches the database."""
    documents: dict[str, Any] = {}
    records: dict[FixtureTable, list[BaseModel]] = {}
    for table in LOAD_ORDER:
        fixture = table.fixture
        path = directory / fixture.file
        if fixture.file not in documents:
            documents[fixture.file] = _read_csv(path) if path.suffix == ".csv" else _read_yaml(path)
        document = documents[fixture.file]
        if fixture.section is not None:
            document = _section(path, document, fixture.section)
        records[table] = _parse(path, fixture.model, document or [])
        key_field = table.key_field
        if key_field is not None:
            _unique(path, (str(getattr(record, key_field)) for record in records[table]))
    return records


class Rows:
    """The rows loaded so far, by table and natural key: turns the keys in the files into
    rows and ids, with a clear error for a key that names nothing."""

    def __init__(self) -> None:
        self._rows: dict[str, Mapping[str, Record]] = {}

    def add(self, table: str, rows: Mapping[str, Record]) -> None:
        self._rows[table] = rows

    def get(self, table: str, key: str, where: str) -> Record:
        found = self._rows[table].get(key)
        if found is None:
            raise FixtureError(f"{where}: unknown {table} {key!r}")
        return found

    def id(self, table: str, key: str, where: str) -> int:
        row_id = self.get(table, key, where).id
        assert row_id is not None  # every loaded row has been flushed
        return row_id


def column_values(
    table: FixtureTable, record: BaseModel, position: int, rows: Rows, where: str
) -> dict[str, Any]:
    """The column values of one record: keys of other records turned into their ids."""
    foreign = table.foreign
    values: dict[str, Any] = {}
    skipped = {"sources", *(link.name for link in table.links)}
    for name, value in record.model_dump(exclude=skipped).items():
        if name in foreign:
            column, target = foreign[name]
            values[column] = None if value is None else rows.id(target, value, where)
        else:
            values[name] = value
    if table.fixture.numbered is not None:
        values[table.fixture.numbered] = position
    for via, name in table.fixture.agree:
        named = getattr(record, via)
        if named is None:
            continue
        column = foreign[name][0]
        if getattr(rows.get(foreign[via][1], named, where), column) != values[column]:
            raise FixtureError(f"{where}: {name} {getattr(record, name)} is not its {via}'s {name}")
    worked_out = WORKED_OUT.get(table.model)
    return values if worked_out is None else values | worked_out.values(record, rows, where)


def _area_point(record: BaseModel, rows: Rows, where: str) -> dict[str, Any]:
    """An area's stored map point: its own, else its province's marker (`db.map_points`)."""
    assert isinstance(record, CityFixture)
    province = rows.get(_PROVINCE, record.province, where)
    assert isinstance(province, Province)
    own = None
    if record.latitude is not None and record.longitude is not None:
        own = (record.latitude, record.longitude)
    try:
        return area_point(own, province).columns()
    except NoMapPoint as error:
        raise FixtureError(f"{where}: {error}") from error


def _given_point(row: Mapping[str, Any], stored: Mapping[str, Any] | None) -> dict[str, Any]:
    """What an area's row in the downloads says of its own point: none where the row's point
    is its province's marker, as stored (a steward who types a new point gives one)."""
    if row.get("location_precision") != LocationPrecision.PROVINCE:
        return {}
    point = (_number(row.get("latitude")), _number(row.get("longitude")))
    if stored is None or point == (stored["latitude"], stored["longitude"]):
        return {"latitude": None, "longitude": None}
    return {}


def _number(value: Any) -> Any:
    try:
        return float(value)
    except (TypeError, ValueError):
        return value  # not a number: validation reports it


@dataclass(frozen=True)
class WorkedOut:
    """Columns a table's records do not give, which the loader works out from what they do."""

    columns: frozenset[str]
    values: Callable[[BaseModel, Rows, str], dict[str, Any]]
    # From a row of the downloads (and the row as stored, if any): the record's own fields
    # that the worked-out columns stand for.
    given: Callable[[Mapping[str, Any], Mapping[str, Any] | None], dict[str, Any]]


WORKED_OUT: dict[type[Record], WorkedOut] = {
    City: WorkedOut(
        frozenset({"latitude", "longitude", "location_precision"}), _area_point, _given_point
    )
}


async def _sync_rows(
    session: AsyncSession,
    model: type[R],
    key_column: str,
    values: Sequence[dict[str, Any]],
    changes: Changes,
) -> dict[str, R]:
    """Upsert rows by natural key; delete those whose key is no longer in `values`."""
    table = str(model.__tablename__)
    # Keys compare as strings: some natural keys are integers (a position, a province id).
    rows = (await session.exec(select(model))).all()
    existing = {str(getattr(row, key_column)): row for row in rows}
    wanted = {str(value[key_column]) for value in values}
    for key, row in existing.items():
        if key not in wanted:
            await session.delete(row)
            changes.add("deleted", table)
    await session.flush()  # deletes first, so a freed unique key can be taken again
    result: dict[str, R] = {}
    for value in values:
        key = str(value[key_column])
        found = existing.get(key)
        if found is None:
            row = model(**value)
            session.add(row)
            changes.add("inserted", table)
        else:
            row = found
            dirty = False
            for name, new in value.items():
                if getattr(row, name) != new:
                    setattr(row, name, new)
                    dirty = True
            if dirty:
                changes.add("updated", table)
        result[key] = row
    await session.flush()
    return result


async def _sync_links(
    session: AsyncSession,
    model: type[SQLModel],
    wanted: set[tuple[Any, ...]],
    columns: tuple[str, ...],
    changes: Changes,
) -> None:
    """Make a link table hold exactly `wanted` (tuples of `columns`)."""
    table = str(model.__tablename__)
    rows = (await session.exec(select(model))).all()
    existing = {tuple(getattr(row, c) for c in columns): row for row in rows}
    for key, row in existing.items():
        if key not in wanted:
            await session.delete(row)
            changes.add("deleted", table)
    for key in wanted - existing.keys():
        session.add(model(**dict(zip(columns, key, strict=True))))
        changes.add("inserted", table)
    await session.flush()


async def load_fixtures(session: AsyncSession, directory: Path = DEFAULT_FIXTURES) -> Changes:
    """Validate every file, then bring the database to exactly what the files say.

    The caller commits; on any error nothing is written.
    """
    files = _read(directory)
    changes = Changes()
    rows = Rows()
    citations: set[tuple[int, str, int]] = set()
    for table in LOAD_ORDER:
        records = files[table]
        key_field = table.key_field
        wheres = [
            f"{table.name} {position if key_field is None else getattr(record, key_field)}"
            for position, record in enumerate(records, start=1)
        ]
        values = [
            column_values(table, record, position, rows, where)
            for position, (record, where) in enumerate(zip(records, wheres, strict=True), start=1)
        ]
        synced = await _sync_rows(session, table.model, table.key, values, changes)
        rows.add(table.name, synced)
        loaded = [synced[str(value[table.key])] for value in values]
        if table.fixture.cited:
            for record, row, where in zip(records, loaded, wheres, strict=True):
                assert row.id is not None
                for source_key in table.fixture.sources or getattr(record, "sources", ()):
                    citations.add((rows.id(_SOURCE, source_key, where), table.name, row.id))
        for link in table.links:
            parent_column, target_column, target = link.ends(table.owner)
            await _sync_links(
                session,
                link.model,
                {
                    (row.id, rows.id(target.table, key, where))
                    for record, row, where in zip(records, loaded, wheres, strict=True)
                    for key in getattr(record, link.name)
                },
                (parent_column, target_column),
                changes,
            )
    await _sync_links(
        session,
        Citation,
        citations,
        ("source_id", "subject_type", "subject_id"),
        changes,
    )
    return changes
