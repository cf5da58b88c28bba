"""Edits by people: records created, updated and deleted through the API or a spreadsheet.

An edit gives a record as the fixtures and the downloads do (related records by their natural
keys, links as lists of keys, the `sources` it cites), so it is validated by the fixtures'
own models and reference checks, and its columns are worked out as the fixture loader works
them out. It is written in the caller's transaction, with its audit entry; the session hooks
add the change-feed entry (a deletion as a tombstone), which moves the data version.

Concurrent edits are safe: an update or deletion names the `updated_at` it was based on, and
the first statement it runs is the conditional UPDATE that checks it and locks the row (on
SQLite, the database), so of two edits based on the same version one lands and the other is
refused with CONFLICT, writing nothing. Problems come back all at once, each with its field
and a stable code.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ValidationError
from sqlalchemy import Table, func
from sqlalchemy import delete as sql_delete
from sqlalchemy import update as sql_update
from sqlalchemy.exc import IntegrityError
from sqlmodel import SQLModel, col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from db import audit, exports
from db.access import Db
from db.audit import Actor
from db.entities import BY_TABLE, ENTITIES, Editing, Entity, table_of
from db.enums import AuditAction, ProblemCode
from db.fixture_models import ObservationFixture
from db.fixtures import BY_MODEL, WORKED_OUT, FixtureError, FixtureTable, Rows, column_values
from db.tables import Alternative, Citation, Observation, Record, Source
from db.types import ExactDecimal, utcnow

_SOURCE = table_of(Source).name
_KEYS_PER_STATEMENT = 500
# The natural key of every table an edit may name, by table.
_KEYS = {entity.table: entity.key for entity in ENTITIES}


@dataclass(frozen=True)
class Problem:
    code: ProblemCode
    message: str
    field: str | None = None  # the record's field (its column in the downloads), if one


class Refused(Exception):
    """An edit that was not made, and every reason found."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        super().__init__("; ".join(problem.message for problem in problems))
        self.problems = list(problems)


class Outcome(StrEnum):
    CREATED = "CREATED"
    UPDATED = "UPDATED"
    UNCHANGED = "UNCHANGED"
    DELETED = "DELETED"


@dataclass(frozen=True)
class Edit:
    outcome: Outcome
    key: str


def _refuse(code: ProblemCode, message: str, field: str | None = None) -> Refused:
    return Refused([Problem(code, message, field)])


def check_editable(entity: Entity, editing: Editing = Editing.FULL) -> None:
    """Refuse an edit of a kind `entity` does not take: any edit of reference data, and
    anything but an addition to an append-only history."""
    if entity.editing is Editing.NONE:
        raise _refuse(
            ProblemCode.NOT_EDITABLE,
            f"{entity.plural.replace('_', ' ')} are reference data, changed by a release of "
            "the fixtures, not by editing",
        )
    if entity.editing is Editing.APPEND and editing is Editing.FULL:
        raise _refuse(
            ProblemCode.NOT_EDITABLE,
            f"{entity.plural} are only added: correct one with a new one that supersedes it",
        )


async def stored(db: Db, entity: Entity, key: str) -> dict[str, Any] | None:
    """The record with this natural key as its row in the downloads, or None."""
    column = table_of(entity.model).c[entity.key]
    async for found in exports.records(db, entity, column == typed_key(entity, key)):
        return found
    return None


def typed_key(entity: Entity, key: str) -> Any:
    """A natural key as its column holds it: most are text, a few integers."""
    python_type = table_of(entity.model).c[entity.key].type.python_type
    return int(key) if python_type is int and key.isdigit() else key


def fixture_form(
    entity: Entity, row: Mapping[str, Any], stored: Mapping[str, Any] | None
) -> dict[str, Any]:
    """A row of the downloads (and the record as stored, if it is one) as the fields of the
    entity's fixture model; columns the model does not have are left out."""
    fields = entity.fixture.model.model_fields
    form = {name: value for name, value in row.items() if name in fields}
    worked_out = WORKED_OUT.get(entity.model)
    if worked_out is not None:
        form |= worked_out.given(row, stored)
    return form


def _problems(error: ValidationError) -> list[Problem]:
    problems = []
    for detail in error.errors():
        field = str(detail["loc"][0]) if detail["loc"] else None
        kind = detail["type"]
        if field == "sources" and kind == "too_short":
            code = ProblemCode.SOURCE_REQUIRED
            message = "cite at least one source"
        elif kind == "missing":
            code, message = ProblemCode.REQUIRED, f"{field} is required"
        elif kind == "extra_forbidden":
            code, message = ProblemCode.UNKNOWN_FIELD, f"{field} is no field of this record"
        else:
            code = ProblemCode.INVALID
            message = detail["msg"].removeprefix("Value error, ")
            if field is not None:
                message = f"{field}: {message}"
        problems.append(Problem(code, message, field))
    return problems


def validate(entity: Entity, fields: Mapping[str, Any]) -> BaseModel:
    """The record as its fixture model, or every problem with its fields."""
    try:
        return entity.fixture.model.model_validate(dict(fields))
    except ValidationError as error:
        raise Refused(_problems(error)) from None


def _named(table: FixtureTable, fields: Mapping[str, Any]) -> dict[str, dict[str, str]]:
    """The keys a record's fields name in other tables: table -> {key: the field naming it}."""
    named: dict[str, dict[str, str]] = defaultdict(dict)

    def add(target: str, field: str, values: Any) -> None:
        for value in values if isinstance(values, list | tuple) else [values]:
            if value is not None:
                named[target][str(value)] = field

    for field, (_, target) in table.foreign.items():
        add(target, field, fields.get(field))
    for link in table.links:
        add(link.ends(table.owner)[2].table, link.name, fields.get(link.name))
    if table.fixture.cited:
        add(_SOURCE, "sources", table.fixture.sources or fields.get("sources"))
    return named


async def references(session: AsyncSession, table: FixtureTable, fields: Mapping[str, Any]) -> Rows:
    """The records a record's fields name, or UNKNOWN_REFERENCE for each key that names
    none."""
    rows = Rows()
    problems = []
    for target, keys in _named(table, fields).items():
        model = BY_TABLE[target].model
        column = table_of(model).c[_KEYS[target]]
        wanted = [typed_key(BY_TABLE[target], key) for key in keys]
        found = {}
        # A few hundred keys a statement: SQLite takes at most 32,766 parameters in one.
        for start in range(0, len(wanted), _KEYS_PER_STATEMENT):
            chunk = wanted[start : start + _KEYS_PER_STATEMENT]
            for row in (await session.exec(select(model).where(column.in_(chunk)))).all():
                found[str(getattr(row, column.name))] = row
        rows.add(target, found)
        for key, field in keys.items():
            if key not in found:
                what = BY_TABLE[target].type_name
                problems.append(Problem(ProblemCode.UNKNOWN_REFERENCE, f"no {what} {key!r}", field))
    if problems:
        raise Refused(problems)
    return rows


async def checked(session: AsyncSession, entity: Entity, fields: Mapping[str, Any]) -> BaseModel:
    """The record as its fixture model, or every problem with it: its values, and the keys
    it names that name nothing."""
    table = BY_MODEL[entity.model]
    problems = []
    record = rows = None
    try:
        record = validate(entity, fields)
    except Refused as refused:
        problems += refused.problems
    try:
        rows = await references(session, table, fields)
    except Refused as refused:
        problems += refused.problems
    if problems:
        raise Refused(problems)
    assert record is not None
    assert rows is not None
    # What only the records named can tell, and whether every value fits its column.
    misfits = _misfits(entity, _values(table, record, rows))
    if misfits:
        raise Refused(misfits)
    return record


def _misfits(entity: Entity, values: Mapping[str, Any]) -> list[Problem]:
    """Values their columns cannot hold as given: text over its length, a decimal with more
    digits than its column keeps (stored, it would be cut or rounded)."""
    problems = []
    table = table_of(entity.model)
    for name, value in values.items():
        kind = table.c[name].type
        length = getattr(kind, "length", None)
        if isinstance(value, str) and length is not None and len(value) > length:
            problems.append(
                Problem(ProblemCode.INVALID, f"{name}: at most {length} characters", name)
            )
        if isinstance(value, Decimal) and isinstance(kind, ExactDecimal):
            whole = kind.precision - kind.scale
            exponent = value.normalize().as_tuple().exponent
            decimals = -exponent if isinstance(exponent, int) and exponent < 0 else 0
            if value.adjusted() >= whole or decimals > kind.scale:
                problems.append(
                    Problem(
                        ProblemCode.INVALID,
                        f"{name}: at most {whole} digits before the decimal point and "
                        f"{kind.scale} after it",
                        name,
                    )
                )
    return problems


def _values(
    table: FixtureTable, record: BaseModel, rows: Rows, position: int = 1
) -> dict[str, Any]:
    """The record's column values (`position`: its place, for a table whose records are
    numbered); INVALID where the records it names disagree with it (a project's area in
    another province) or give it no map point."""
    try:
        return column_values(table, record, position, rows, f"{table.owner.type_name}")
    except FixtureError as error:
        raise _refuse(ProblemCode.INVALID, str(error)) from None


def _comparable(entity: Entity, record: BaseModel) -> dict[str, Any]:
    """The record's fields with its lists of keys (links, sources) in one order: they are
    sets, which the downloads list sorted."""
    listed = {"sources", *(link.name for link in entity.links)}
    dumped = record.model_dump()
    return {k: sorted(v) if k in listed else v for k, v in dumped.items()}


def unchanged(entity: Entity, record: BaseModel, stored: Mapping[str, Any]) -> bool:
    try:
        current = validate(entity, fixture_form(entity, stored, stored))
    except Refused:
        return False  # stored by older rules: any valid edit is a change
    return _comparable(entity, current) == _comparable(entity, record)


async def _claim(
    session: AsyncSession, entity: Entity, key: str, expected: datetime | None
) -> None:
    """Check the record is still at the version the edit is based on, and lock it: the
    edit's first write. CONFLICT, and nothing written, if it has moved on."""
    table = table_of(entity.model)
    claim = sql_update(table).where(table.c[entity.key] == typed_key(entity, key))
    if expected is not None:
        claim = claim.where(table.c.updated_at == expected)
    connection = await session.connection()
    result = await connection.execute(claim.values(updated_at=utcnow()))
    if result.rowcount == 0:
        raise _refuse(
            ProblemCode.CONFLICT,
            f"{entity.type_name} {key!r} has changed since {expected}: read it again and "
            "redo the edit on its current version",
            "updated_at",
        )


async def save(
    session: AsyncSession,
    entity: Entity,
    record: BaseModel,
    before: Mapping[str, Any] | None,
    expected: datetime | None,
    actor: Actor,
    reason: str | None = None,
) -> Edit:
    """Write a validated record: a new one where `before` is None, else the stored one
    updated, if the version it was based on (`expected`) is still current. Audited."""
    key = str(getattr(record, entity.key))
    if before is not None and unchanged(entity, record, before):
        return Edit(Outcome.UNCHANGED, key)
    if before is not None:
        await _claim(session, entity, key, expected)
    await write(session, entity, record)
    after = await stored(Db(session), entity, key)
    action = AuditAction.CREATE if before is None else AuditAction.UPDATE
    audit.record(session, actor, action, (entity.type_name, key), before, after, reason)
    return Edit(Outcome.CREATED if before is None else Outcome.UPDATED, key)


async def write(
    session: AsyncSession, entity: Entity, record: BaseModel, position: int = 1
) -> Record:
    """Write a validated record: its row (inserted, or the stored one with its natural key
    updated), its links and its citations. Neither checked against a version nor audited:
    `save` does that for an edit; a mirror (`db.mirror`) copies another server's records.
    UNKNOWN_REFERENCE for a key that names nothing; TAKEN for a unique value another holds."""
    table = BY_MODEL[entity.model]
    key = str(getattr(record, entity.key))
    rows = await references(session, table, dict(record))
    values = _values(table, record, rows, position)
    row = await _row(session, entity, key, values)
    assert row.id is not None
    if table.fixture.cited:
        sources = table.fixture.sources or getattr(record, "sources", ())
        await _cite(session, entity.table, row.id, {rows.id(_SOURCE, s, key) for s in sources})
    for link in table.links:
        parent_column, target_column, target = link.ends(entity)
        await _link(
            session,
            link.model,
            {parent_column: row.id},
            target_column,
            {rows.id(target.table, target_key, key) for target_key in getattr(record, link.name)},
        )
    await session.flush()
    return row


async def _row(
    session: AsyncSession, entity: Entity, key: str, values: Mapping[str, Any]
) -> Record:
    """The entity's row with `values`: inserted, or the stored one updated."""
    model = entity.model
    column = table_of(model).c[entity.key]
    found = (
        await session.exec(
            select(model)
            .where(column == typed_key(entity, key))
            .execution_options(populate_existing=True)  # as `_claim` left it
        )
    ).first()
    if found is None:
        found = model(**values)
        session.add(found)
    else:
        for name, value in values.items():
            if getattr(found, name) != value:
                setattr(found, name, value)
    try:
        await session.flush()
    except IntegrityError:
        # Another edit took the key between our check and this insert.
        raise _refuse(
            ProblemCode.TAKEN, f"{entity.type_name} {key!r} already exists", entity.key
        ) from None
    return found


async def _link(
    session: AsyncSession,
    model: type[SQLModel],
    parent: Mapping[str, Any],
    target_column: str,
    wanted: set[int],
) -> None:
    """Make the link rows of one parent name exactly the `wanted` targets."""
    table = table_of(model)
    existing = (
        await session.exec(
            select(model).where(*(table.c[name] == value for name, value in parent.items()))
        )
    ).all()
    for row in existing:
        if getattr(row, target_column) not in wanted:
            await session.delete(row)
    have = {getattr(row, target_column) for row in existing}
    for target in wanted - have:
        session.add(model(**parent, **{target_column: target}))


async def cite(
    session: AsyncSession, model: type[Record], subject_id: int, sources: Iterable[str]
) -> None:
    """Make the citations of one row of `model` (a side table's, whose sources no record
    writes) name exactly these sources, by key: UNKNOWN_REFERENCE for one that names none."""
    table = BY_MODEL[model]
    keys = list(sources)
    rows = await references(session, table, {"sources": keys})
    subject = table_of(model).name
    await _cite(session, subject, subject_id, {rows.id(_SOURCE, s, subject) for s in keys})


async def _cite(session: AsyncSession, subject: str, subject_id: int, sources: set[int]) -> None:
    """Make the citations of one row of table `subject` name exactly these sources (ids)."""
    await _link(
        session, Citation, {"subject_type": subject, "subject_id": subject_id}, "source_id", sources
    )


async def check_new(session: AsyncSession, entity: Entity, record: BaseModel) -> None:
    """Refuse a new record whose key is taken, or a correction of an observation that is
    corrected already or measures something else."""
    key = str(getattr(record, entity.key))
    if await stored(Db(session), entity, key) is not None:
        raise _refuse(ProblemCode.TAKEN, f"{entity.type_name} {key!r} already exists", entity.key)
    if isinstance(record, ObservationFixture) and record.supersedes is not None:
        await _check_correction(session, record)


async def create(
    session: AsyncSession,
    entity: Entity,
    fields: Mapping[str, Any],
    actor: Actor,
    reason: str | None = None,
) -> Edit:
    """A new record; TAKEN if its key is another's. An observation may supersede another."""
    check_editable(entity, Editing.APPEND)
    record = await checked(session, entity, fields)
    await check_new(session, entity, record)
    return await save(session, entity, record, None, None, actor, reason)


async def _check_correction(session: AsyncSession, record: ObservationFixture) -> None:
    """A correction is of the same figure (indicator and subject) as the observation it
    supersedes, and each observation is corrected once: a later one corrects the correction."""
    corrected = (
        await session.exec(select(Observation).where(col(Observation.key) == record.supersedes))
    ).first()
    if corrected is None:
        return  # `references` reports the unknown key
    successor = (
        await session.exec(
            select(Observation.key).where(col(Observation.supersedes_id) == corrected.id)
        )
    ).first()
    if successor is not None:
        raise _refuse(
            ProblemCode.SUPERSEDED,
            f"observation {corrected.key!r} is already corrected by {successor!r}: "
            "supersede that one instead",
            "supersedes",
        )
    if record.indicator != corrected.indicator:
        raise _refuse(
            ProblemCode.INVALID,
            f"a correction gives the same indicator as {corrected.key!r} ({corrected.indicator})",
            "indicator",
        )


async def update(
    session: AsyncSession,
    entity: Entity,
    key: str,
    expected: datetime,
    changes: Mapping[str, Any],
    cite: Iterable[str],
    actor: Actor,
    *,
    uncite: Iterable[str] = (),
    reason: str | None = None,
) -> Edit:
    """Change some fields of a record based on its version `expected`. The sources the change
    rests on (`cite`, at least one for a record that cites sources) are added to the
    record's; `uncite` drops some."""
    check_editable(entity)
    before = await stored(Db(session), entity, key)
    if before is None:
        raise _refuse(ProblemCode.NOT_FOUND, f"no {entity.type_name} {key!r}")
    cited = set(cite)
    if entity.cited and not cited:
        raise _refuse(
            ProblemCode.SOURCE_REQUIRED, "cite at least one source for the change", "sources"
        )
    fields = fixture_form(entity, before, before) | dict(changes)
    if "sources" in fields:
        fields["sources"] = sorted((set(fields["sources"]) | cited) - set(uncite))
    record = await checked(session, entity, fields)
    return await save(session, entity, record, before, expected, actor, reason)


async def remove(
    session: AsyncSession,
    entity: Entity,
    key: str,
    expected: datetime,
    actor: Actor,
    reason: str | None = None,
) -> Edit:
    """Delete a record no other record refers to, based on its version `expected`; its
    links and citations go with it."""
    check_editable(entity)
    before = await stored(Db(session), entity, key)
    if before is None:
        raise _refuse(ProblemCode.NOT_FOUND, f"no {entity.type_name} {key!r}")
    await _claim(session, entity, key, expected)
    await erase(session, entity, key)
    audit.record(session, actor, AuditAction.DELETE, (entity.type_name, key), before, None, reason)
    return Edit(Outcome.DELETED, key)


async def erase(session: AsyncSession, entity: Entity, key: str) -> None:
    """Delete the record with this natural key, with its links, side rows and citations;
    IN_USE, and nothing deleted, while other records refer to it. Neither checked against a
    version nor audited: `remove` does that for an edit."""
    row = (
        await session.exec(
            select(entity.model).where(
                table_of(entity.model).c[entity.key] == typed_key(entity, key)
            )
        )
    ).one()
    await _check_unused(session, entity, key, row.id)
    # What belongs to the record goes first, as plain statements: the record's own deletion
    # is then its one change in the feed.
    owned = [link.model for link in entity.links] + [side.model for side in entity.sides]
    connection = await session.connection()
    for model in owned:
        table = table_of(model)
        await connection.execute(
            sql_delete(table).where(table.c[entity.column_to(model)] == row.id)
        )
    await connection.execute(
        sql_delete(Citation).where(
            col(Citation.subject_type) == entity.table, col(Citation.subject_id) == row.id
        )
    )
    await session.delete(row)
    await session.flush()


def _referring(entity: Entity) -> list[tuple[Table, str]]:
    """Every (table, column) whose rows may name a row of `entity`, other than the links and
    side rows that belong to it."""
    owned = {table_of(link.model).name for link in entity.links}
    owned |= {table_of(side.model).name for side in entity.sides}
    return [
        (table, column.name)
        for table in SQLModel.metadata.sorted_tables
        if table.name not in owned
        for column in table.columns
        for foreign_key in column.foreign_keys
        if foreign_key.column.table.name == entity.table
    ]


async def _check_unused(session: AsyncSession, entity: Entity, key: str, row_id: Any) -> None:
    problems = []
    for table, column in _referring(entity):
        count = (await session.exec(select(func.count()).where(table.c[column] == row_id))).one()
        if count:
            if table.name in BY_TABLE:
                what = BY_TABLE[table.name].plural.replace("_", " ")
                message = f"{count} {what} refer to {entity.type_name} {key!r}"
            else:  # a source's citations
                message = f"{count} records cite {entity.type_name} {key!r}"
            problems.append(Problem(ProblemCode.IN_USE, f"{message}: change or delete them first"))
    alternatives = select(func.count()).where(
        col(Alternative.subject_type) == entity.table, col(Alternative.subject_key) == key
    )
    count = (await session.exec(alternatives)).one()
    if count:
        problems.append(
            Problem(
                ProblemCode.IN_USE,
                f"{count} alternatives give other values for {entity.type_name} {key!r}",
            )
        )
    if problems:
        raise Refused(problems)
