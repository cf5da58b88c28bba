"""A mirror of another server's data: rows of its downloads applied here by natural key, and
where the mirror stands in the server's change feed.

`smartcity mirror` (`api.mirror`) reads the rows (the JSON Lines files of the whole-dataset
zip for a snapshot, then each change's `record` in the feed) and hands them here in batches.
A row becomes a record as an edit's does (`db.edits`: the entity's fixture model, its
references looked up by natural key, its columns worked out by the fixture loader's rules),
but a mirrored write is no edit: no audit entry, no version check, and every record keeps
the source's `updated_at`, so the mirror's downloads equal the source's. The mirror's own
change feed records each write as usual, so its data version and ETags move with it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, func, inspect, update
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from db import edits, exports
from db.access import Db
from db.edits import Refused
from db.entities import ENTITIES, Entity, Side, references, table_of
from db.enums import ProblemCode
from db.fixtures import LOAD_ORDER
from db.tables import Change, MirrorState, Province

BY_TYPE = {entity.type_name: entity for entity in ENTITIES}
# Entities in the order their records can be written: each after those it refers to.
_WRITE_ORDER = [table.owner for table in LOAD_ORDER if table.model is table.owner.model]
# Problems that more of the feed resolves: a key named before the change creating it, a
# record deleted while another still names it, a unique value another record gives up later.
_PENDING = {ProblemCode.UNKNOWN_REFERENCE, ProblemCode.IN_USE, ProblemCode.TAKEN}
# Of those, the one found before anything is written: the batch's other rows can go on.
_FOUND_FIRST = {ProblemCode.UNKNOWN_REFERENCE}


class NotAMirror(Exception):
    """The target database holds data that is not a mirror of the source asked for."""


class MirrorError(Exception):
    """A row the source served that cannot be applied here, whatever follows in the feed."""


class Unresolved(Exception):
    """The batch names records this database does not hold yet, or deletes some that others
    still name: the rest of the feed resolves it, so apply it together with the next page."""


@dataclass
class Batch:
    """The net effect of some changes: each record's latest row, or its deletion."""

    upserts: dict[Entity, dict[str, dict[str, Any]]] = field(default_factory=dict)
    deletes: dict[Entity, set[str]] = field(default_factory=dict)

    def upsert(self, entity: Entity, key: str, row: dict[str, Any]) -> None:
        self.deletes.get(entity, set()).discard(key)
        self.upserts.setdefault(entity, {})[key] = row

    def delete(self, entity: Entity, key: str) -> None:
        self.upserts.get(entity, {}).pop(key, None)
        self.deletes.setdefault(entity, set()).add(key)

    def __len__(self) -> int:
        return sum(map(len, self.upserts.values())) + sum(map(len, self.deletes.values()))


@dataclass
class Applied:
    """What applying batches wrote, per entity type name."""

    written: dict[str, int] = field(default_factory=dict)
    deleted: dict[str, int] = field(default_factory=dict)

    def add(self, other: Applied) -> None:
        for mine, theirs in ((self.written, other.written), (self.deleted, other.deleted)):
            for name, count in theirs.items():
                mine[name] = mine.get(name, 0) + count

    @property
    def total(self) -> int:
        return sum(self.written.values()) + sum(self.deleted.values())


def exported_names(entity: Entity) -> dict[str, str]:
    """Each of the entity's own columns and its name in the downloads (`province_id` is
    `province`)."""
    return {name: exports.column_name(entity, name) for name in entity.columns}


async def records_by_key(
    db: Db, subjects: Iterable[tuple[str, str]]
) -> dict[tuple[str, str], dict[str, Any]]:
    """The records named by (type name, natural key), each as its row in the JSON Lines
    download; one read of each entity type (and of what its rows name), however many keys.
    A record that no longer exists is missing from the answer."""
    wanted: dict[Entity, set[str]] = {}
    for type_name, key in subjects:
        entity = BY_TYPE.get(type_name)
        if entity is not None:
            wanted.setdefault(entity, set()).add(key)
    found: dict[tuple[str, str], dict[str, Any]] = {}
    for entity, keys in wanted.items():
        column = table_of(entity.model).c[entity.key]
        key_name = exported_names(entity)[entity.key]
        condition = column.in_([edits.typed_key(entity, key) for key in keys])
        async for record in exports.records(db, entity, condition):
            row = {name: exports.plain(value) for name, value in record.items()}
            found[(entity.type_name, str(record[key_name]))] = row
    return found


async def check_ours(engine: AsyncEngine) -> None:
    """NotAMirror for a database holding another application's tables, before any migration
    would add ours to them."""
    async with engine.connect() as connection:
        tables = set(await connection.run_sync(lambda sync: inspect(sync).get_table_names()))
    if tables and not {"alembic_version", Province.__tablename__} <= tables:
        shown = ", ".join(sorted(tables)[:3]) + (", …" if len(tables) > 3 else "")
        raise NotAMirror(
            f"it holds another application's tables ({shown}): mirror into a new database"
        )


async def standing(session: AsyncSession, source_url: str) -> int | None:
    """The source's feed sequence a mirror of `source_url` holds everything through; None
    for a database with no data yet (a new mirror). NotAMirror for one holding other data."""
    state = (await session.exec(select(MirrorState))).first()
    if state is not None:
        if state.source_url != source_url:
            raise NotAMirror(f"it is a mirror of {state.source_url}, not of {source_url}")
        return state.sequence
    changes = (await session.exec(select(func.count()).select_from(Change))).one()
    if changes or (await session.exec(select(Province.id).limit(1))).first() is not None:
        raise NotAMirror(
            "it holds data of its own (seeded or edited) and is no mirror: mirror into a new "
            "database"
        )
    return None


async def apply(
    session: AsyncSession,
    batch: Batch,
    source_url: str,
    sequence: int,
    progress: Callable[[int], object] | None = None,
) -> Applied:
    """Apply a batch and record that the mirror now stands at `sequence`, all in the
    session's transaction, which the caller commits (or, on any error, rolls back).

    Deletions of records nothing names go first, referring ones first, so that a unique
    value they held can be taken; then the upserts, each entity after those it refers to;
    then the deletions of records that named ones no longer do. Unresolved where the batch
    needs more of the feed; MirrorError for a row this release cannot take. `progress` is
    told of each record written."""
    applied = Applied()
    in_use: dict[Entity, list[str]] = {}
    for entity in reversed(_WRITE_ORDER):
        keys = batch.deletes.get(entity)
        if keys:
            deleted, in_use[entity] = await _delete(session, entity, keys)
            applied.deleted[entity.type_name] = deleted
    stamps: dict[Entity, list[tuple[Any, datetime]]] = {}
    for entity in _WRITE_ORDER:
        rows = batch.upserts.get(entity)
        if rows:
            stamps[entity] = await _upsert(session, entity, rows, progress)
            applied.written[entity.type_name] = len(rows)
    for entity, named in in_use.items():
        for key in named:
            try:
                await edits.erase(session, entity, key)
            except Refused as refused:
                raise Unresolved(f"{entity.type_name} {key!r}: {refused}") from None
            applied.deleted[entity.type_name] += 1
    for entity, stamped in stamps.items():
        await _keep_source_times(session, entity, stamped)
    await _stand_at(session, source_url, sequence)
    return applied


def _fields(entity: Entity, row: Mapping[str, Any]) -> dict[str, Any]:
    """A download row as the fields of the entity's fixture model (`db.edits.fixture_form`):
    related records by natural key, lists of keys, the sources."""
    foreign = references(entity.model)
    named = {
        column.removesuffix("_id") if column in foreign else column: row.get(name)
        for column, name in exported_names(entity).items()
    }
    lists = ("sources", *(link.name for link in entity.links))
    listed = {name: row.get(name) or [] for name in lists}
    # Stored as nothing was: a row's map point is worked out again from its province.
    return edits.fixture_form(entity, named | listed, None)


async def _upsert(
    session: AsyncSession,
    entity: Entity,
    rows: Mapping[str, Mapping[str, Any]],
    progress: Callable[[int], object] | None,
) -> list[tuple[Any, datetime]]:
    """Write each row; a row naming another of the same batch that is not written yet (an
    observation's correction) waits for it."""
    waiting = dict(rows)
    stamped = []
    while waiting:
        problems: list[Refused] = []
        for key, row in list(waiting.items()):
            try:
                written = await _write(session, entity, key, row)
            except Refused as refused:
                codes = {problem.code for problem in refused.problems}
                if not codes <= _PENDING:
                    raise MirrorError(f"{entity.type_name} {key!r}: {refused}") from None
                if not codes <= _FOUND_FIRST:
                    # A failed write (PostgreSQL then refuses every statement until the
                    # rollback): the whole batch waits for more of the feed.
                    raise Unresolved(f"{entity.type_name} {key!r}: {refused}") from None
                problems.append(refused)
                continue
            stamped.append((written, datetime.fromisoformat(row["updated_at"])))
            del waiting[key]
            if progress is not None:
                progress(1)
        if problems and len(problems) == len(waiting):
            raise Unresolved(f"{entity.type_name}: {problems[0]}")
    return stamped


async def _write(session: AsyncSession, entity: Entity, key: str, row: Mapping[str, Any]) -> Any:
    """Write one row; its natural key as stored."""
    try:
        record = edits.validate(entity, _fields(entity, row))
    except Refused as refused:
        raise MirrorError(f"{entity.type_name} {key!r}: {refused}") from None
    numbered = entity.fixture.numbered
    position = int(row[exported_names(entity)[numbered]]) if numbered else 1
    written = await edits.write(session, entity, record, position)
    for side in entity.sides:
        await _write_side(session, entity, side, written.id, row)
    return getattr(written, entity.key)


async def _write_side(
    session: AsyncSession, entity: Entity, side: Side, parent_id: Any, row: Mapping[str, Any]
) -> None:
    """A side row holds the exported columns its parent's row gives; none if all are empty."""
    parent_column = entity.column_to(side.model)
    found = (
        await session.exec(
            select(side.model).where(table_of(side.model).c[parent_column] == parent_id)
        )
    ).first()
    values = {column: row.get(name) for name, column in side.exported}
    if all(value is None for value in values.values()):
        if found is not None and found.id is not None:
            await edits.cite(session, side.model, found.id, ())
            await session.delete(found)
        return
    if found is None:
        found = side.model(**{parent_column: parent_id})
        session.add(found)
    for column, value in values.items():
        setattr(found, column, value)
    if side.cited_as is not None:
        await session.flush()  # its id, which its citations name
        assert found.id is not None
        await edits.cite(session, side.model, found.id, row.get(side.cited_as) or ())


async def _delete(
    session: AsyncSession, entity: Entity, keys: Iterable[str]
) -> tuple[int, list[str]]:
    """Delete the records held here with these keys that nothing names: how many, and the
    keys of those still named (the check comes before any write, so the batch goes on)."""
    column = table_of(entity.model).c[entity.key]
    typed = [edits.typed_key(entity, key) for key in keys]
    held = (await session.exec(select(column).where(column.in_(typed)))).all()
    named = []
    for key in held:
        try:
            await edits.erase(session, entity, str(key))
        except Refused:
            named.append(str(key))
    return len(held) - len(named), named


async def _keep_source_times(
    session: AsyncSession, entity: Entity, stamped: list[tuple[Any, datetime]]
) -> None:
    """Give written records the source's `updated_at`, which the write moved to now (the
    row's own update, and a changed link's touch of its parent). A plain statement, after the
    ORM's last flush, so no hook moves it again."""
    await session.flush()
    table = table_of(entity.model)
    statement = (
        update(table)
        .where(table.c[entity.key] == bindparam("natural_key"))
        .values(updated_at=bindparam("source_time"))
    )
    connection = await session.connection()
    await connection.execute(
        statement, [{"natural_key": key, "source_time": time} for key, time in stamped]
    )


async def _stand_at(session: AsyncSession, source_url: str, sequence: int) -> None:
    state = (await session.exec(select(MirrorState))).first()
    if state is None:
        session.add(MirrorState(source_url=source_url, sequence=sequence))
    else:
        state.sequence = sequence
    await session.flush()
