"""Bulk exports of every published entity: CSV, JSON Lines, GeoJSON, and a zip of them all.

Rows are read in keyset chunks, with the natural keys of related records looked up per chunk,
so memory stays flat however large the data grows. Every row carries its global ID (the same
as the API's), its natural keys, its sources and `updated_at`.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile
from collections import defaultdict
from collections.abc import AsyncIterator, Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from sqlmodel import col, select

from db.access import Db
from db.changes import PUBLISHED, data_version
from db.ids import global_id
from db.tables import (
    AscnMembership,
    Citation,
    City,
    CityDimension,
    CoverageNote,
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
    Source,
)

CHUNK = 500
LICENCE = "ODbL-1.0"
LICENCE_URL = "https://opendatacommons.org/licenses/odbl/1-0/"
ATTRIBUTION = (
    "Smart City Thailand open data, compiled from the public sources each record cites. "
    "Province data: kongvut/thai-province-data (MIT) and Countries States Cities Database, "
    "https://github.com/dr5hn/countries-states-cities-database (ODbL v1.0)."
)
LICENCE_FILE = Path(__file__).resolve().parent.parent / "fixtures" / "LICENSE-provinces.md"


@dataclass(frozen=True)
class Link:
    """A many-to-many list exported as the related records' keys."""

    table: Any
    parent: str
    target: Any
    target_column: str
    target_key: str


@dataclass(frozen=True)
class Side:
    """A one-to-one side table whose columns are exported with the row they belong to."""

    table: Any
    parent: str
    columns: dict[str, str]  # exported name -> the side table's column


@dataclass(frozen=True)
class Entity:
    """How one table is exported."""

    name: str
    model: Any
    fields: tuple[str, ...]  # the row's own columns, in output order
    foreign: dict[str, tuple[Any, str]] = field(default_factory=dict)  # fk -> (model, key)
    links: dict[str, Link] = field(default_factory=dict)
    sides: tuple[Side, ...] = ()
    cited: bool = True
    geo: bool = False


ENTITIES = [
    Entity(
        "provinces",
        Province,
        (
            "code",
            "dopa_code",
            "name_th",
            "name_en",
            "region",
            "latitude",
            "longitude",
            "wikidata_id",
        ),
        sides=(
            Side(AscnMembership, "province_id", {"ascn_cohort": "cohort", "ascn_joined": "joined"}),
        ),
        geo=True,
    ),
    Entity("dimensions", Dimension, ("code", "name_en", "name_th", "alt_names_th")),
    Entity(
        "organizations",
        Organization,
        ("slug", "name_en", "name_th", "abbreviation", "kind"),
    ),
    Entity(
        "cities",
        City,
        (
            "slug",
            "name_th",
            "name_en",
            "province_id",
            "city_type",
            "status",
            "round",
            "proposed_on",
            "certified_on",
            "operator_id",
            "latitude",
            "longitude",
            "certainty",
        ),
        foreign={"province_id": (Province, "code"), "operator_id": (Organization, "slug")},
        links={"dimensions": Link(CityDimension, "city_id", Dimension, "dimension_id", "code")},
        geo=True,
    ),
    Entity(
        "projects",
        Project,
        (
            "slug",
            "city_id",
            "province_id",
            "title_th",
            "title_en",
            "status",
            "start_on",
            "end_on",
            "budget",
            "operator_id",
            "is_headline",
            "certainty",
        ),
        foreign={
            "city_id": (City, "slug"),
            "province_id": (Province, "code"),
            "operator_id": (Organization, "slug"),
        },
        links={
            "dimensions": Link(ProjectDimension, "project_id", Dimension, "dimension_id", "code")
        },
    ),
    Entity(
        "investments",
        Investment,
        (
            "key",
            "city_id",
            "project_id",
            "amount",
            "currency",
            "kind",
            "stage",
            "label_en",
            "investor_id",
            "as_of",
            "certainty",
        ),
        foreign={
            "city_id": (City, "slug"),
            "project_id": (Project, "slug"),
            "investor_id": (Organization, "slug"),
        },
    ),
    Entity(
        "milestones",
        Milestone,
        (
            "key",
            "project_id",
            "city_id",
            "province_id",
            "title_en",
            "title_th",
            "type",
            "status",
            "due_on",
            "met_on",
        ),
        foreign={
            "project_id": (Project, "slug"),
            "city_id": (City, "slug"),
            "province_id": (Province, "code"),
        },
    ),
    Entity(
        "observations",
        Observation,
        (
            "key",
            "indicator",
            "city_id",
            "project_id",
            "dimension_id",
            "value",
            "value_text",
            "unit",
            "qualifier",
            "as_of",
            "certainty",
        ),
        foreign={
            "city_id": (City, "slug"),
            "project_id": (Project, "slug"),
            "dimension_id": (Dimension, "code"),
        },
    ),
    Entity(
        "programme_phases",
        ProgrammePhase,
        (
            "key",
            "position",
            "name_en",
            "start_year",
            "end_year",
            "target_areas",
            "target_provinces",
        ),
        links={
            "provinces": Link(ProgrammePhaseProvince, "phase_id", Province, "province_id", "code")
        },
    ),
    Entity("coverage_notes", CoverageNote, ("position", "text_en"), cited=False),
    Entity(
        "sources",
        Source,
        ("key", "url", "publisher", "title", "published_on"),
        cited=False,
    ),
]
BY_NAME = {entity.name: entity for entity in ENTITIES}
FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "jsonl": "application/jsonl; charset=utf-8",
    "geojson": "application/geo+json",
}


def _column_name(name: str) -> str:
    """Foreign keys are exported as the related record's natural key: `province_id` → `province`."""
    return name.removesuffix("_id")


def header(entity: Entity) -> list[str]:
    return [
        *(["id"] if entity.model in PUBLISHED else []),  # nodes carry the API's global ID
        *(_column_name(name) for name in entity.fields),
        *(name for side in entity.sides for name in side.columns),
        *entity.links,
        *(["sources"] if entity.cited else []),
        "updated_at",
    ]


async def _keys(db: Db, model: Any, key: str, ids: Iterable[int | None]) -> dict[int, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = await db.rows(
        select(col(model.id), getattr(model, key)).where(col(model.id).in_(wanted))
    )
    return {row_id: str(value) for row_id, value in rows}


def _keys_by_parent(rows: Iterable[tuple[int, Any]]) -> dict[int, list[str]]:
    """(parent id, key) rows as each parent's list of keys, in row order."""
    grouped: dict[int, list[str]] = defaultdict(list)
    for parent_id, key in rows:
        grouped[parent_id].append(str(key))
    return grouped


async def _linked(db: Db, link: Link, ids: list[int]) -> dict[int, list[str]]:
    parent = getattr(link.table, link.parent)
    target_id = getattr(link.table, link.target_column)
    return _keys_by_parent(
        await db.rows(
            select(parent, getattr(link.target, link.target_key))
            .join(link.target, col(link.target.id) == target_id)
            .where(parent.in_(ids))
            .order_by(parent, getattr(link.target, link.target_key))
        )
    )


async def _side_rows(db: Db, side: Side, ids: list[int]) -> dict[int, Any]:
    parent = getattr(side.table, side.parent)
    rows = await db.all(select(side.table).where(parent.in_(ids)))
    return {getattr(row, side.parent): row for row in rows}


async def _sources(db: Db, table: str, ids: list[int]) -> dict[int, list[str]]:
    return _keys_by_parent(
        await db.rows(
            select(col(Citation.subject_id), col(Source.key))
            .join(Source, col(Source.id) == col(Citation.source_id))
            .where(col(Citation.subject_type) == table, col(Citation.subject_id).in_(ids))
            .order_by(col(Citation.subject_id), col(Source.key))
        )
    )


async def records(db: Db, entity: Entity) -> AsyncIterator[dict[str, Any]]:
    """Every row of `entity` as a flat record, in primary-key order, a chunk at a time."""
    model = entity.model
    published = PUBLISHED.get(model)
    last = 0
    while True:
        chunk = await db.all(
            select(model).where(col(model.id) > last).order_by(col(model.id)).limit(CHUNK)
        )
        if not chunk:
            return
        ids = [row.id for row in chunk]
        last = ids[-1]
        foreign = {
            name: await _keys(db, target, key, (getattr(row, name) for row in chunk))
            for name, (target, key) in entity.foreign.items()
        }
        links = {name: await _linked(db, link, ids) for name, link in entity.links.items()}
        sources = await _sources(db, str(model.__tablename__), ids) if entity.cited else {}
        sides = [(side, await _side_rows(db, side, ids)) for side in entity.sides]
        for row in chunk:
            record: dict[str, Any] = {}
            if published:
                record["id"] = global_id(published[0], str(getattr(row, published[1])))
            for name in entity.fields:
                value = getattr(row, name)
                record[_column_name(name)] = foreign[name].get(value) if name in foreign else value
            for side, found in sides:
                side_row = found.get(row.id)
                for name, column in side.columns.items():
                    record[name] = getattr(side_row, column) if side_row else None
            for name in entity.links:
                record[name] = links[name].get(row.id, [])
            if entity.cited:
                record["sources"] = sources.get(row.id, [])
            record["updated_at"] = row.updated_at
            yield record


def _plain(value: Any) -> Any:
    """A JSON-ready value: exact decimals as strings, dates in ISO 8601."""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if hasattr(value, "value") and isinstance(value.value, str):  # an enum
        return value.value
    return value


def _cell(value: Any) -> str:
    plain = _plain(value)
    if plain is None:
        return ""
    if isinstance(plain, list):
        return ";".join(str(item) for item in plain)
    return str(plain)


async def csv_chunks(db: Db, entity: Entity) -> AsyncIterator[bytes]:
    """UTF-8 with a byte-order mark, so Excel shows Thai correctly."""
    columns = header(entity)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    yield "\ufeff".encode() + buffer.getvalue().encode()
    async for record in records(db, entity):
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([_cell(record.get(column)) for column in columns])
        yield buffer.getvalue().encode()


async def jsonl_chunks(db: Db, entity: Entity) -> AsyncIterator[bytes]:
    async for record in records(db, entity):
        plain = {name: _plain(value) for name, value in record.items()}
        yield (json.dumps(plain, ensure_ascii=False) + "\n").encode()


async def geojson_chunks(db: Db, entity: Entity) -> AsyncIterator[bytes]:
    """A FeatureCollection; a record without a map point has a null geometry."""
    head = {"type": "FeatureCollection", "license": LICENCE_URL, "attribution": ATTRIBUTION}
    yield json.dumps(head, ensure_ascii=False)[:-1].encode() + b', "features": ['
    separator = b""
    async for record in records(db, entity):
        latitude, longitude = record.get("latitude"), record.get("longitude")
        geometry = (
            None
            if latitude is None or longitude is None
            else {"type": "Point", "coordinates": [longitude, latitude]}
        )
        feature = {
            "type": "Feature",
            "id": record.get("id"),
            "geometry": geometry,
            "properties": {name: _plain(value) for name, value in record.items()},
        }
        yield separator + json.dumps(feature, ensure_ascii=False).encode()
        separator = b",\n"
    yield b"]}\n"


WRITERS: dict[str, Callable[[Db, Entity], AsyncIterator[bytes]]] = {
    "csv": csv_chunks,
    "jsonl": jsonl_chunks,
    "geojson": geojson_chunks,
}


def files() -> list[tuple[Entity, str]]:
    """Every (entity, format) offered: CSV and JSON Lines for all, GeoJSON for the mapped."""
    offered = []
    for entity in ENTITIES:
        for format_ in FORMATS:
            if format_ != "geojson" or entity.geo:
                offered.append((entity, format_))
    return offered


def filename(entity: Entity, format_: str) -> str:
    return f"smartcity-{entity.name.replace('_', '-')}.{format_}"


async def write_archive(
    db: Db, target: IO[bytes], progress: Callable[[str], None] | None = None
) -> dict[str, Any]:
    """Write every file, the licence and a manifest (rows, checksums, licence) into a zip."""
    manifest_files = []
    rows: dict[str, int] = {}  # per entity, counted once for all its formats
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for entity, format_ in files():
            name = filename(entity, format_)
            digest = hashlib.sha256()
            size = 0
            with archive.open(name, "w", force_zip64=True) as member:
                async for chunk in WRITERS[format_](db, entity):
                    member.write(chunk)
                    digest.update(chunk)
                    size += len(chunk)
            if entity.name not in rows:
                rows[entity.name] = await db.count(select(entity.model))
            manifest_files.append(
                {
                    "name": name,
                    "entity": entity.name,
                    "format": format_,
                    "media_type": FORMATS[format_],
                    "rows": rows[entity.name],
                    "bytes": size,
                    "sha256": digest.hexdigest(),
                }
            )
            if progress:
                progress(name)
        licence_text = LICENCE_FILE.read_text(encoding="utf-8")
        archive.writestr("LICENSE-provinces.md", licence_text)
        manifest = {
            "title": "Smart City Thailand open data",
            "generated_at": datetime.now(UTC).isoformat(),
            "data_version": await data_version(db),
            "license": LICENCE,
            "license_url": LICENCE_URL,
            "attribution": ATTRIBUTION,
            "files": manifest_files,
        }
        archive.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2))
    return manifest
