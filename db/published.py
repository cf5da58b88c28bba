"""What is published at the current data version: every download file and the whole-dataset
zip with its rows, bytes, SHA-256 and last change, and each entity's dates.

It is what `/downloads/NAME` serves, measured by writing it: the archive is written once
(which streams every file's writer into it), and hashed as the download streams it. That
costs a pass over the whole dataset, so the result is kept per data version (the change
feed's newest sequence number, as `db.changes.data_version`): while nothing changes, asking
costs one statement. Another process, or this one after an edit, sees a newer version and
measures again.
"""

from __future__ import annotations

import asyncio
import hashlib
import tempfile
from collections import OrderedDict
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import IO, Any
from weakref import WeakKeyDictionary

from sqlalchemy import ColumnElement, Integer, func, select
from sqlalchemy.engine import Connection, Engine
from sqlmodel import col

from db import exports
from db.access import Db
from db.entities import ENTITIES, Entity, table_of
from db.tables import Change

ARCHIVE = "smartcity-thailand.zip"
ARCHIVE_MEDIA_TYPE = "application/zip"


@dataclass(frozen=True)
class Download:
    """One file as `/downloads/{name}` serves it."""

    name: str
    entity: Entity | None  # None for the whole-dataset archive
    format: str  # `csv`, `xlsx`, `jsonl`, `geojson`, or `zip` for the archive
    media_type: str
    rows: int  # the entity's records; for the archive, every entity's
    bytes: int
    sha256: str
    # When its records last changed (created, edited or deleted), from the change feed;
    # None for records the feed has never seen change.
    modified: datetime | None


@dataclass(frozen=True)
class Period:
    """The span of the data's own dates, as ISO 8601 dates of the precision the data gives:
    `2018`, `2021-08` or `2021-08-07`."""

    start: str
    end: str


@dataclass(frozen=True)
class Dataset:
    """One entity's records and its files."""

    entity: Entity
    rows: int
    issued: datetime | None  # the feed's first change of its records
    modified: datetime | None  # and its newest
    period: Period | None  # its records' own dates, None if they carry none
    files: tuple[Download, ...]


@dataclass(frozen=True)
class Published:
    data_version: int
    datasets: tuple[Dataset, ...]  # in registry order
    archive: Download
    issued: datetime | None  # the first change of any record
    period: Period | None  # every record's dates together


# The states lately measured, newest last: one in a served process; a few where tests clone
# one seeded database many times over.
_KEPT = 4
_measured: OrderedDict[tuple[int, datetime | None], Published] = OrderedDict()
# One measurement at a time per engine (an asyncio lock serves one event loop, as an engine does).
_measuring: WeakKeyDictionary[Engine | Connection, asyncio.Lock] = WeakKeyDictionary()
_NEWEST = select(col(Change.id), col(Change.updated_at)).order_by(col(Change.id).desc()).limit(1)


async def published(db: Db) -> Published:
    """What is published now: measured once per data version, so that concurrent requests
    after an edit wait for one measurement instead of each making their own."""
    state = await _state(db)
    if state in _measured:
        _measured.move_to_end(state)
        return _measured[state]
    async with _measuring.setdefault(db.session.get_bind(), asyncio.Lock()):
        if state in _measured:
            return _measured[state]  # measured while this request waited
        # The state is read before the data: should an edit land while measuring, the next
        # request sees a newer state and measures again.
        _measured[state] = await _measure(db, version=state[0])
        while len(_measured) > _KEPT:
            _measured.popitem(last=False)
        return _measured[state]


async def _state(db: Db) -> tuple[int, datetime | None]:
    """The data version and the time of its change, in one read: together they tell apart
    databases that have reached the same version number by different edits (each test's
    copy of the seeded database), so a measurement is never taken for another's."""
    newest = await db.rows(_NEWEST)
    return (newest[0][0], newest[0][1]) if newest else (0, None)


async def _measure(db: Db, version: int) -> Published:
    with tempfile.TemporaryFile() as spool:
        manifest = await exports.write_archive(db, spool)
        archive_bytes, archive_sha256 = _size_and_sha256(spool)
    changes = await _changes_by_type(db)
    periods = await _periods(db)
    rows: dict[str, int] = {}
    files: dict[str, list[Download]] = {entity.plural: [] for entity in ENTITIES}
    for entry in manifest["files"]:
        entity = exports.BY_NAME[entry["entity"]]
        rows[entity.plural] = entry["rows"]
        files[entity.plural].append(
            Download(
                name=entry["name"],
                entity=entity,
                format=entry["format"],
                media_type=entry["media_type"],
                rows=entry["rows"],
                bytes=entry["bytes"],
                sha256=entry["sha256"],
                modified=changes.get(entity.type_name, (None, None))[1],
            )
        )
    datasets = tuple(
        Dataset(
            entity=entity,
            rows=rows[entity.plural],
            issued=changes.get(entity.type_name, (None, None))[0],
            modified=changes.get(entity.type_name, (None, None))[1],
            period=periods.get(entity.plural),
            files=tuple(files[entity.plural]),
        )
        for entity in ENTITIES
    )
    firsts = [first for first, _ in changes.values()]
    lasts = [last for _, last in changes.values()]
    return Published(
        data_version=version,
        datasets=datasets,
        archive=Download(
            name=ARCHIVE,
            entity=None,
            format="zip",
            media_type=ARCHIVE_MEDIA_TYPE,
            rows=sum(rows.values()),
            bytes=archive_bytes,
            sha256=archive_sha256,
            modified=max(lasts, default=None),
        ),
        issued=min(firsts, default=None),
        period=_span(list(periods.values())),
    )


def _size_and_sha256(spool: IO[bytes]) -> tuple[int, str]:
    """Read back as the download streams it."""
    spool.seek(0)
    digest = hashlib.sha256()
    size = 0
    while chunk := spool.read(1 << 16):
        digest.update(chunk)
        size += len(chunk)
    return size, digest.hexdigest()


def _utc(when: datetime) -> datetime:
    # SQLite hands back a bare aggregate as naive UTC text.
    return when if when.tzinfo else when.replace(tzinfo=UTC)


async def _changes_by_type(db: Db) -> dict[str, tuple[datetime, datetime]]:
    """Each entity's first and newest change in the feed (deletions included), by type."""
    rows = await db.rows(
        select(
            col(Change.subject_type),
            func.min(col(Change.updated_at)),
            func.max(col(Change.updated_at)),
        ).group_by(col(Change.subject_type))
    )
    return {kind: (_utc(first), _utc(last)) for kind, first, last in rows}


def _dated(entity: Entity) -> list[tuple[ColumnElement[Any], bool]]:
    """An entity's own date columns, by the tables' naming: partial ISO dates in `…_on` and
    `as_of`, years in `…_year` (True for those)."""
    table = table_of(entity.model)
    return [
        (table.c[name], isinstance(table.c[name].type, Integer))
        for name in entity.columns
        if name.endswith("_on") or name == "as_of" or name.endswith("_year")
    ]


async def _periods(db: Db) -> dict[str, Period]:
    """Each entity's earliest and latest date, in one statement."""
    bounds = [
        (entity, column, is_year, aggregate)
        for entity in ENTITIES
        for column, is_year in _dated(entity)
        for aggregate in (func.min, func.max)
    ]
    if not bounds:
        return {}
    [values] = await db.rows(
        select(
            *(
                select(aggregate(column)).select_from(column.table).scalar_subquery()
                for _, column, _, aggregate in bounds
            )
        )
    )
    dates: dict[str, list[str]] = {}
    for (entity, _, is_year, _), value in zip(bounds, values, strict=True):
        if value is not None:
            dates.setdefault(entity.plural, []).append(f"{value:04d}" if is_year else str(value))
    return {
        plural: Period(min(found, key=_start), max(found, key=_end))
        for plural, found in dates.items()
    }


def _start(date: str) -> str:
    """The first day a partial date can mean, for comparing: `2021` → `2021-01-01`."""
    return date + "-01-01"[len(date) - 4 :]


def _end(date: str) -> str:
    """The last instant a partial date can mean, for comparing: `2021` after `2021-08-07`."""
    return date + "-99-99"[len(date) - 4 :]


def _span(periods: list[Period]) -> Period | None:
    if not periods:
        return None
    return Period(
        min((period.start for period in periods), key=_start),
        max((period.end for period in periods), key=_end),
    )
