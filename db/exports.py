"""Bulk exports of every published entity: CSV, XLSX, JSON Lines, GeoJSON, and a zip of them
all.

Rows are read in keyset chunks, with the natural keys of related records looked up per chunk,
so memory stays flat however large the data grows. Every row carries its global ID (the same
as the API's), its natural keys, its sources and `updated_at`.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import shutil
import zipfile
from collections import defaultdict
from collections.abc import AsyncIterator, Callable, Iterable
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import IO, TYPE_CHECKING, Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.writer.excel import ExcelWriter
from sqlalchemy import ColumnElement, select
from sqlmodel import col

from db import resources
from db.access import Db
from db.changes import data_version
from db.entities import ENTITIES as ENTITIES  # every entity is exported, in registry order
from db.entities import Entity, Link, Side, table_of
from db.ids import global_id
from db.tables import Change, Citation, Source

if TYPE_CHECKING:
    from _typeshed import SizedBuffer

CHUNK = 500
LICENCE = "ODbL-1.0"
LICENCE_URL = "https://opendatacommons.org/licenses/odbl/1-0/"
ATTRIBUTION = (
    "Smart City Thailand open data, compiled from the public sources each record cites. "
    "Province data: kongvut/thai-province-data (MIT) and Countries States Cities Database, "
    "https://github.com/dr5hn/countries-states-cities-database (ODbL v1.0)."
)
LICENCE_FILE = resources.FIXTURES / "LICENSE-provinces.md"

BY_NAME = {entity.plural: entity for entity in ENTITIES}
FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "jsonl": "application/jsonl; charset=utf-8",
    "geojson": "application/geo+json",
}


# A zip cannot date a member before 1980: the stamp of data that has never changed.
ZIP_EPOCH = datetime(1980, 1, 1, tzinfo=UTC)


async def last_change(db: Db) -> datetime:
    """When published data last changed (the change feed's newest entry, deletions
    included): the one time the downloads carry, so the same data gives the same bytes."""
    newest = await db.value(select(col(Change.updated_at)).order_by(col(Change.id).desc()).limit(1))
    if not isinstance(newest, datetime):
        return ZIP_EPOCH
    # SQLite hands back naive UTC.
    return newest if newest.tzinfo else newest.replace(tzinfo=UTC)


def _member(name: str, when: datetime) -> zipfile.ZipInfo:
    """A zip member stamped with `when` (in UTC) instead of the clock."""
    stamp = max(when.astimezone(UTC), ZIP_EPOCH)
    info = zipfile.ZipInfo(name, date_time=stamp.timetuple()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16  # an ordinary readable file once extracted
    return info


class _StampedZip(zipfile.ZipFile):
    """A zip whose members named by a plain string (as openpyxl writes them) carry a fixed
    time rather than the moment they were written."""

    def __init__(self, target: IO[bytes], when: datetime) -> None:
        super().__init__(target, "w", compression=zipfile.ZIP_DEFLATED)
        self.when = when

    def writestr(
        self,
        zinfo_or_arcname: str | zipfile.ZipInfo,
        data: SizedBuffer | str,
        compress_type: int | None = None,
        compresslevel: int | None = None,
    ) -> None:
        if isinstance(zinfo_or_arcname, str):
            zinfo_or_arcname = _member(zinfo_or_arcname, self.when)
        super().writestr(zinfo_or_arcname, data, compress_type, compresslevel)

    def write(
        self,
        filename: str | os.PathLike[str],
        arcname: str | os.PathLike[str] | None = None,
        compress_type: int | None = None,
        compresslevel: int | None = None,
    ) -> None:
        """A file from disk (openpyxl's worksheets), stamped like the rest, not with its
        modification time."""
        name = os.fspath(filename if arcname is None else arcname)
        with open(filename, "rb") as source, self.open(_member(name, self.when), "w") as member:
            shutil.copyfileobj(source, member)


def column_name(entity: Entity, name: str) -> str:
    """A table column's name in the exports: a foreign key is exported as the related
    record's natural key (`province_id` → `province`); any other column (`wikidata_id`) as
    it is."""
    return name.removesuffix("_id") if name in entity.foreign else name


def header(entity: Entity) -> list[str]:
    return [
        *(["id"] if entity.node else []),  # nodes carry the API's global ID
        *(column_name(entity, name) for name in entity.columns),
        *(name for side in entity.sides for name in side.names),
        *(link.name for link in entity.links),
        *(["sources"] if entity.cited else []),
        "updated_at",
    ]


async def _keys(db: Db, target: Entity, ids: Iterable[int | None]) -> dict[int, str]:
    """The natural keys of `target`'s rows with these ids."""
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    table = table_of(target.model)
    rows = await db.rows(select(table.c.id, table.c[target.key]).where(table.c.id.in_(wanted)))
    return {row_id: str(value) for row_id, value in rows}


def _keys_by_parent(rows: Iterable[tuple[int, Any]]) -> dict[int, list[str]]:
    """(parent id, key) rows as each parent's list of keys, in row order."""
    grouped: dict[int, list[str]] = defaultdict(list)
    for parent_id, key in rows:
        grouped[parent_id].append(str(key))
    return grouped


async def _linked(db: Db, entity: Entity, link: Link, ids: list[int]) -> dict[int, list[str]]:
    parent_column, target_column, target = link.ends(entity)
    links, targets = table_of(link.model), table_of(target.model)
    parent, key = links.c[parent_column], targets.c[target.key]
    return _keys_by_parent(
        await db.rows(
            select(parent, key)
            .join(targets, targets.c.id == links.c[target_column])
            .where(parent.in_(ids))
            .order_by(parent, key)
        )
    )


async def _side_values(
    db: Db, entity: Entity, side: Side, ids: list[int]
) -> dict[int, tuple[Any, ...]]:
    """The exported columns of the side rows of these parents, and their sources if cited,
    by parent id."""
    table = table_of(side.model)
    parent = table.c[entity.column_to(side.model)]
    exported = (table.c[column] for _, column in side.exported)
    rows = await db.rows(select(parent, table.c.id, *exported).where(parent.in_(ids)))
    if side.cited_as is None:
        return {row[0]: tuple(row[2:]) for row in rows}
    sources = await _sources(db, table.name, [row[1] for row in rows])
    return {row[0]: (*row[2:], sources.get(row[1], [])) for row in rows}


async def _sources(db: Db, table: str, ids: list[int]) -> dict[int, list[str]]:
    return _keys_by_parent(
        await db.rows(
            select(col(Citation.subject_id), col(Source.key))
            .join(Source, col(Source.id) == col(Citation.source_id))
            .where(col(Citation.subject_type) == table, col(Citation.subject_id).in_(ids))
            .order_by(col(Citation.subject_id), col(Source.key))
        )
    )


async def records(
    db: Db, entity: Entity, where: ColumnElement[bool] | None = None
) -> AsyncIterator[dict[str, Any]]:
    """Every row of `entity` (or those `where` selects) as a flat record, in primary-key
    order, a chunk at a time: the rows of the downloads, and of the audit trail.

    Rows are read as plain column values, never built into ORM objects."""
    table = table_of(entity.model)
    last = 0
    while True:
        page = select(*table.c).where(table.c.id > last)
        if where is not None:
            page = page.where(where)
        chunk = [row._mapping for row in await db.rows(page.order_by(table.c.id).limit(CHUNK))]
        if not chunk:
            return
        ids = [row["id"] for row in chunk]
        last = ids[-1]
        foreign = {
            name: await _keys(db, target, (row[name] for row in chunk))
            for name, target in entity.foreign.items()
        }
        links = {link.name: await _linked(db, entity, link, ids) for link in entity.links}
        sources = await _sources(db, entity.table, ids) if entity.cited else {}
        sides = [(side, await _side_values(db, entity, side, ids)) for side in entity.sides]
        for row in chunk:
            record: dict[str, Any] = {}
            if entity.node:
                record["id"] = global_id(entity.type_name, str(row[entity.key]))
            for name in entity.columns:
                value = row[name]
                record[column_name(entity, name)] = (
                    foreign[name].get(value) if name in foreign else value
                )
            for side, found in sides:
                # A record without a side row: every side column empty, and no sources.
                absent: tuple[Any, ...] = (None,) * len(side.exported) + ([],) * (
                    side.cited_as is not None
                )
                for name, value in zip(side.names, found.get(row["id"], absent), strict=True):
                    record[name] = value
            for name, keys in links.items():
                record[name] = keys.get(row["id"], [])
            if entity.cited:
                record["sources"] = sources.get(row["id"], [])
            record["updated_at"] = row["updated_at"]
            yield record


def plain(value: Any) -> Any:
    """A JSON-ready value: exact decimals as strings, dates in ISO 8601."""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list):
        return [plain(item) for item in value]
    if hasattr(value, "value") and isinstance(value.value, str):  # an enum
        return value.value
    return value


def _cell(value: Any) -> str:
    text = plain(value)
    if text is None:
        return ""
    if isinstance(text, list):
        return ";".join(str(item) for item in text)
    return str(text)


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


async def xlsx_chunks(db: Db, entity: Entity) -> AsyncIterator[bytes]:
    """The CSV's rows as a workbook whose every cell is text in a text-formatted column, so
    that Excel keeps partial dates (`2021-08`), codes and timestamps exactly as they are, and
    a file edited there is uploaded back (`smartcity import`) with no change it did not make.
    """
    book = Workbook(write_only=True)
    sheet = book.create_sheet(entity.plural[:31])  # Excel's limit on a sheet's name
    sheet.freeze_panes = "A2"
    columns = header(entity)
    sheet.append(columns)
    async for record in records(db, entity):
        row = []
        for column in columns:
            cell = WriteOnlyCell(sheet, value=_cell(record.get(column)) or None)
            cell.number_format = "@"  # text: what is typed in it stays text
            row.append(cell)
        sheet.append(row)
    # Saved by hand rather than `book.save`, which stamps the workbook and each of its
    # parts with the clock: the same data then gives the same bytes.
    when = await last_change(db)
    book.properties.created = book.properties.modified = when.astimezone(UTC).replace(
        tzinfo=None  # openpyxl writes naive times as UTC
    )
    buffer = io.BytesIO()
    ExcelWriter(book, _StampedZip(buffer, when)).save()
    yield buffer.getvalue()


async def jsonl_chunks(db: Db, entity: Entity) -> AsyncIterator[bytes]:
    async for record in records(db, entity):
        values = {name: plain(value) for name, value in record.items()}
        yield (json.dumps(values, ensure_ascii=False) + "\n").encode()


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
            "properties": {name: plain(value) for name, value in record.items()},
        }
        yield separator + json.dumps(feature, ensure_ascii=False).encode()
        separator = b",\n"
    yield b"]}\n"


WRITERS: dict[str, Callable[[Db, Entity], AsyncIterator[bytes]]] = {
    "csv": csv_chunks,
    "xlsx": xlsx_chunks,
    "jsonl": jsonl_chunks,
    "geojson": geojson_chunks,
}


def files() -> list[tuple[Entity, str]]:
    """Every (entity, format) offered: CSV, XLSX and JSON Lines for all, GeoJSON for the
    mapped."""
    offered = []
    for entity in ENTITIES:
        for format_ in FORMATS:
            if format_ != "geojson" or entity.mapped:
                offered.append((entity, format_))
    return offered


def filename(entity: Entity, format_: str) -> str:
    return f"smartcity-{entity.plural.replace('_', '-')}.{format_}"


# The descriptor of the archive's Data Package, given the data version, the data's last
# change and the files written (as the manifest lists them).
Describe = Callable[[int, datetime, list[dict[str, Any]]], dict[str, Any]]
_describers: list[Describe] = []


def describe_package_with(describe: Describe) -> None:
    """Install how the archive's `datapackage.json` is written. Its words come from the
    GraphQL schema, which `db` does not import: `api.datapackage.install` installs it as the
    app and the CLI start, once for the process, as `db.hooks.install` does the hooks."""
    _describers[:] = [describe]


async def write_archive(
    db: Db, target: IO[bytes], progress: Callable[[str], None] | None = None
) -> dict[str, Any]:
    """Write every file, the licence, a Frictionless Data Package descriptor
    (`datapackage.json`) and a manifest (rows, checksums, licence) into a zip.

    The same data always gives the same bytes: members in a fixed order, each stamped with
    the data's last change rather than the clock."""
    if not _describers:
        raise RuntimeError(
            "no Data Package describer installed: call api.datapackage.install() first"
        )
    manifest_files = []
    rows: dict[str, int] = {}  # per entity, counted once for all its formats
    when = await last_change(db)
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for entity, format_ in files():
            name = filename(entity, format_)
            digest = hashlib.sha256()
            size = 0
            with archive.open(_member(name, when), "w", force_zip64=True) as member:
                async for chunk in WRITERS[format_](db, entity):
                    member.write(chunk)
                    digest.update(chunk)
                    size += len(chunk)
            if entity.plural not in rows:
                rows[entity.plural] = await db.count(select(table_of(entity.model)))
            manifest_files.append(
                {
                    "name": name,
                    "entity": entity.plural,
                    "format": format_,
                    "media_type": FORMATS[format_],
                    "rows": rows[entity.plural],
                    "bytes": size,
                    "sha256": digest.hexdigest(),
                }
            )
            if progress:
                progress(name)
        licence_text = LICENCE_FILE.read_text(encoding="utf-8")
        archive.writestr(_member("LICENSE-provinces.md", when), licence_text)
        version = await data_version(db)
        package = _describers[0](version, when, manifest_files)
        archive.writestr(
            _member("datapackage.json", when),
            json.dumps(package, ensure_ascii=False, indent=2) + "\n",
        )
        manifest = {
            "title": "Smart City Thailand open data",
            "last_change": when.isoformat(),
            "data_version": version,
            "license": LICENCE,
            "license_url": LICENCE_URL,
            "attribution": ATTRIBUTION,
            "files": manifest_files,
        }
        archive.writestr(
            _member("manifest.json", when), json.dumps(manifest, ensure_ascii=False, indent=2)
        )
    return manifest
