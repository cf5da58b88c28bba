"""Spreadsheet imports: a CSV or XLSX file in the columns of a download, checked whole, then
applied in one transaction, or not at all.

A steward downloads a file, edits it (in Excel, say) and uploads it. Every row is checked as
an edit is (`db.edits`): its values, the keys it names, its sources, and that the record has
not changed since the row's `updated_at`. Every problem is reported at once, with its row,
column and code, in the shape of a Frictionless validation report; only a file with none is
applied, each row it changes audited as an edit. An unchanged row changes nothing, so a file
downloaded and uploaded again reports every row `UNCHANGED`.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import PurePath
from typing import Any

from pydantic import BaseModel
from python_calamine import CalamineError, CalamineWorkbook
from sqlmodel.ext.asyncio.session import AsyncSession

from db import edits, exports
from db.access import Db
from db.audit import Actor
from db.edits import Outcome, Problem, Refused
from db.entities import ENTITIES, Editing, Entity
from db.enums import ProblemCode
from db.ids import global_id

# The Frictionless error type each problem is reported as, on a cell or on a whole row.
_CELL_TYPES = {
    ProblemCode.INVALID: "type-error",
    ProblemCode.REQUIRED: "constraint-error",
    ProblemCode.SOURCE_REQUIRED: "constraint-error",
    ProblemCode.UNKNOWN_REFERENCE: "foreign-key",
    ProblemCode.TAKEN: "primary-key",
    ProblemCode.DUPLICATE: "primary-key",
}
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Rows a file may hold: the whole dataset is a few thousand records.
MAX_ROWS = 50_000
# What an XLSX may unpack to: a workbook of MAX_ROWS rows is far smaller, and a few MB of
# zip can otherwise inflate to gigabytes in memory (a "zip bomb").
MAX_XLSX_UNPACKED = 100 * 2**20
# Columns renamed to match the API's fields (revision 0011), by the entity's plural: a file
# downloaded before names the old one, and its steward is told the new name.
RENAMED_COLUMNS = {
    "cities": {"round": "certification_round"},
    "roles": {"organization": "body"},
}

Progress = Callable[[str, int, int], None]  # (stage, rows done, rows in all)


@dataclass(frozen=True)
class ReportError:
    """One problem, as a Frictionless error: `type` is Frictionless's, `code` ours."""

    type: str
    code: ProblemCode
    message: str
    row_number: int | None = None  # as a spreadsheet numbers it: the header is row 1
    field_name: str | None = None
    field_number: int | None = None  # from 1
    cell: str | None = None

    def as_json(self) -> dict[str, Any]:
        found = {
            "type": self.type,
            "code": self.code.value,
            "message": self.message,
            "rowNumber": self.row_number,
            "fieldName": self.field_name,
            "fieldNumber": self.field_number,
            "cell": self.cell,
        }
        return {name: value for name, value in found.items() if value is not None}


@dataclass
class Row:
    """A checked row: the record it gives, and what applying it does."""

    number: int
    key: str
    record: BaseModel
    stored: dict[str, Any] | None
    expected: datetime | None
    outcome: Outcome


@dataclass
class Report:
    """What an import found and did."""

    name: str
    dry_run: bool
    entity: Entity | None = None
    labels: list[str] = field(default_factory=list)
    errors: list[ReportError] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)  # the rows that passed their checks
    size: int = 0  # the rows the file holds, blank ones aside
    applied: bool = False

    @property
    def valid(self) -> bool:
        return not self.errors

    def count(self, outcome: Outcome) -> int:
        return sum(1 for row in self.rows if row.outcome is outcome)

    def as_json(self) -> dict[str, Any]:
        stats = {
            "errors": len(self.errors),
            "rows": self.size,
            **{outcome.lower(): self.count(outcome) for outcome in _OUTCOMES},
        }
        task = {
            "name": self.name,
            "type": "table",
            "entity": None if self.entity is None else self.entity.plural,
            "valid": self.valid,
            "labels": self.labels,
            "stats": stats,
            "errors": [error.as_json() for error in self.errors],
            "rows": [
                {"rowNumber": row.number, "key": row.key, "outcome": row.outcome.value}
                for row in self.rows
            ],
        }
        return {
            "valid": self.valid,
            "dryRun": self.dry_run,
            "applied": self.applied,
            "stats": {"tasks": 1, **stats},
            "tasks": [task],
        }


_OUTCOMES = (Outcome.CREATED, Outcome.UPDATED, Outcome.UNCHANGED)


class _FileProblem(Exception):
    def __init__(self, error: ReportError) -> None:
        super().__init__(error.message)
        self.error = error


def _text(value: Any) -> str | None:
    """A spreadsheet cell as the text a download would hold."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime) and value.time() == datetime.min.time():
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip() or None


def read_table(name: str, content: bytes) -> list[list[str | None]]:
    """The rows of a CSV (UTF-8) or XLSX file (its first sheet), header first, as text."""
    xlsx = PurePath(name).suffix.lower() in (".xlsx", ".xlsm") or content.startswith(b"PK\x03\x04")
    table = _read_xlsx(content) if xlsx else _read_csv(content)
    if any(cell is not None and "\x00" in cell for row in table for cell in row):
        # No record holds NUL, and PostgreSQL cannot even store it.
        raise _FileProblem(
            ReportError("format-error", ProblemCode.INVALID, "the file holds NUL characters")
        )
    return table


def _check_unpacked(content: bytes) -> None:
    """Refuse a workbook whose parts unpack to more than MAX_XLSX_UNPACKED, before any is
    inflated in memory. Each part is read through, in chunks, so a size its zip entry
    understates fails the zip's own length and CRC check rather than passing unseen."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            parts = archive.infolist()
            unpacked = sum(part.file_size for part in parts)
            if unpacked > MAX_XLSX_UNPACKED:
                raise _FileProblem(
                    ReportError(
                        "format-error",
                        ProblemCode.INVALID,
                        f"the workbook unpacks to {unpacked // 2**20} MB, more than "
                        f"{MAX_XLSX_UNPACKED // 2**20} MB: split it, or save it as CSV",
                    )
                )
            for part in parts:
                with archive.open(part) as stream:
                    while stream.read(2**20):
                        pass
    except (zipfile.BadZipFile, NotImplementedError, EOFError, ValueError) as error:
        raise _FileProblem(
            ReportError("format-error", ProblemCode.INVALID, f"not a readable XLSX: {error}")
        ) from None


def _read_xlsx(content: bytes) -> list[list[str | None]]:
    _check_unpacked(content)
    try:
        sheet = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0)
        rows = sheet.to_python(skip_empty_area=False)
    except (CalamineError, ValueError, IndexError) as error:
        raise _FileProblem(
            ReportError("format-error", ProblemCode.INVALID, f"not a readable XLSX: {error}")
        ) from None
    return [[_text(cell) for cell in row] for row in rows]


def _read_csv(content: bytes) -> list[list[str | None]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise _FileProblem(
            ReportError(
                "encoding-error",
                ProblemCode.INVALID,
                f"not UTF-8 at byte {error.start}: save the file as CSV UTF-8, or as XLSX",
            )
        ) from None
    try:
        return [[_text(cell) for cell in row] for row in csv.reader(io.StringIO(text, newline=""))]
    except csv.Error as error:
        raise _FileProblem(
            ReportError("format-error", ProblemCode.INVALID, f"not a readable CSV: {error}")
        ) from None


def _entity(name: str, labels: Sequence[str]) -> Entity:
    """The entity a file holds: by its download's file name, else by its columns."""
    stem = PurePath(name).stem.lower()
    for entity in ENTITIES:
        if stem.startswith(exports.filename(entity, "csv").removesuffix(".csv")):
            return entity
    given = set(labels)
    candidates = [
        (len(given & set(exports.header(entity))), entity)
        for entity in ENTITIES
        if entity.key in given
    ]
    if candidates:
        score, entity = max(candidates, key=lambda candidate: candidate[0])
        if score >= 2:
            return entity
    raise _FileProblem(
        ReportError(
            "table-error",
            ProblemCode.INVALID,
            "cannot tell which records the file holds: keep the header row (and the name) "
            "of a file from /downloads/",
        )
    )


def _unknown_label(entity: Entity, label: str) -> str:
    renamed = RENAMED_COLUMNS.get(entity.plural, {}).get(label)
    if renamed is None:
        return f"{entity.plural} have no column {label!r}"
    return (
        f"{entity.plural} have no column {label!r} any more: it is named {renamed!r} now, "
        "as the API's field; rename the column, or download the file again"
    )


def _label_errors(entity: Entity, labels: list[str]) -> list[ReportError]:
    known = exports.header(entity)
    errors = []
    seen: set[str] = set()
    for number, label in enumerate(labels, start=1):
        if label in seen:
            errors.append(
                ReportError(
                    "duplicate-label",
                    ProblemCode.DUPLICATE,
                    f"column {label!r} is given twice",
                    field_name=label,
                    field_number=number,
                )
            )
        elif label not in known:
            errors.append(
                ReportError(
                    "extra-label",
                    ProblemCode.UNKNOWN_FIELD,
                    _unknown_label(entity, label),
                    field_name=label,
                    field_number=number,
                )
            )
        seen.add(label)
    for name, model_field in entity.fixture.model.model_fields.items():
        if model_field.is_required() and name in known and name not in seen:
            errors.append(
                ReportError("missing-label", ProblemCode.REQUIRED, f"column {name!r} is missing")
            )
    return errors


def _listed(entity: Entity) -> set[str]:
    """Columns holding lists of keys, written `a;b` in a cell."""
    return {"sources", *(link.name for link in entity.links)}


def _version(text: str | None) -> datetime | None:
    """The version a row was downloaded at: its `updated_at`, if an ISO 8601 time with a
    zone."""
    try:
        version = datetime.fromisoformat(text or "")
    except ValueError:
        return None
    return version if version.tzinfo is not None else None


class _Checker:
    """Checks the rows of one file against the database as it is."""

    def __init__(
        self,
        session: AsyncSession,
        entity: Entity,
        labels: list[str],
        stored: dict[str, dict[str, Any]],
    ) -> None:
        self.session = session
        self.entity = entity
        self.labels = labels
        self.stored = stored
        self.seen: dict[str, int] = {}

    def _error(self, number: int, cells: dict[str, str | None], problem: Problem) -> ReportError:
        label = problem.field if problem.field in cells else None
        return ReportError(
            _CELL_TYPES.get(problem.code, "row-error") if label else "row-error",
            problem.code,
            problem.message,
            row_number=number,
            field_name=label,
            field_number=None if label is None else self.labels.index(label) + 1,
            cell=None if label is None else cells[label],
        )

    async def check(self, number: int, cells: dict[str, str | None]) -> Row | list[ReportError]:
        entity = self.entity
        key = cells.get(entity.key)
        if key is None:
            problem = Problem(ProblemCode.REQUIRED, f"{entity.key} is required", entity.key)
            return [self._error(number, cells, problem)]
        if key in self.seen:
            problem = Problem(
                ProblemCode.DUPLICATE,
                f"{entity.key} {key!r} is also on row {self.seen[key]}",
                entity.key,
            )
            return [self._error(number, cells, problem)]
        self.seen[key] = number
        stored = self.stored.get(key)
        problems: list[Problem] = []
        row: dict[str, Any] = dict(cells)
        for name in _listed(entity) & cells.keys():
            row[name] = [item.strip() for item in (cells[name] or "").split(";") if item.strip()]
        if entity.node and cells.get("id") not in (None, global_id(entity.type_name, key)):
            problems.append(
                Problem(
                    ProblemCode.INVALID, f"id is not the ID of {entity.type_name} {key!r}", "id"
                )
            )
        expected = _version(cells.get("updated_at"))
        if cells.get("updated_at") is not None and expected is None:
            problems.append(
                Problem(
                    ProblemCode.INVALID,
                    "updated_at is an ISO 8601 time with its zone, as downloaded",
                    "updated_at",
                )
            )
        try:
            record = await edits.checked(
                self.session, entity, edits.fixture_form(entity, row, stored)
            )
        except Refused as refused:
            return [self._error(number, cells, p) for p in [*problems, *refused.problems]]
        given = cells.get("updated_at") is not None
        outcome = await self._outcome(record, stored, expected, given, problems)
        if problems:
            return [self._error(number, cells, problem) for problem in problems]
        return Row(number, key, record, stored, expected, outcome)

    async def _outcome(
        self,
        record: BaseModel,
        stored: dict[str, Any] | None,
        expected: datetime | None,
        given: bool,
        problems: list[Problem],
    ) -> Outcome:
        """What applying the row would do; a problem with that is added to `problems`.
        `expected` is the version the row was downloaded at; `given`, whether it has one at
        all (one that does not read as a time is a problem already)."""
        entity = self.entity
        try:
            if stored is None:
                if expected is not None:
                    problems.append(
                        Problem(
                            ProblemCode.CONFLICT,
                            "the record was deleted after this row was downloaded",
                            "updated_at",
                        )
                    )
                edits.check_editable(entity, Editing.APPEND)
                await edits.check_new(self.session, entity, record)
                return Outcome.CREATED
            if edits.unchanged(entity, record, stored):
                return Outcome.UNCHANGED
            edits.check_editable(entity)
        except Refused as refused:
            problems += refused.problems
            return Outcome.UNCHANGED
        if not given:
            problems.append(
                Problem(
                    ProblemCode.REQUIRED,
                    "give the updated_at the row was downloaded with, so a change made since "
                    "is not overwritten",
                    "updated_at",
                )
            )
        elif expected is not None and expected != stored["updated_at"]:
            problems.append(
                Problem(
                    ProblemCode.CONFLICT,
                    f"the record has changed since this row was downloaded (now "
                    f"{stored['updated_at'].isoformat()}): download it again",
                    "updated_at",
                )
            )
        return Outcome.UPDATED


async def import_file(
    session: AsyncSession,
    name: str,
    content: bytes,
    actor: Actor,
    *,
    dry_run: bool = False,
    reason: str | None = None,
    progress: Progress | None = None,
) -> Report:
    """Check a file; unless it is a dry run or a problem was found, apply it and commit."""
    report = Report(name=name, dry_run=dry_run)
    try:
        table = read_table(name, content)
        if not table:
            raise _FileProblem(
                ReportError("table-error", ProblemCode.REQUIRED, "the file is empty")
            )
        report.labels = [label or "" for label in table[0]]
        report.entity = _entity(name, report.labels)
    except _FileProblem as problem:
        report.errors.append(problem.error)
        return report
    entity = report.entity
    report.errors += _label_errors(entity, report.labels)
    if entity.editing is Editing.NONE:
        try:
            edits.check_editable(entity)
        except Refused as refused:
            report.errors += [
                ReportError("table-error", p.code, p.message) for p in refused.problems
            ]
    body = [(number, cells) for number, cells in enumerate(table[1:], start=2) if any(cells)]
    report.size = len(body)
    if len(body) > MAX_ROWS:
        report.errors.append(
            ReportError("table-error", ProblemCode.INVALID, f"at most {MAX_ROWS} rows in one file")
        )
    if report.errors:
        return report
    stored = {
        str(record[entity.key]): record async for record in exports.records(Db(session), entity)
    }
    checker = _Checker(session, entity, report.labels, stored)
    for done, (number, values) in enumerate(body, start=1):
        if len(values) > len(report.labels):
            report.errors.append(
                ReportError(
                    "extra-cell",
                    ProblemCode.UNKNOWN_FIELD,
                    f"row {number} has more cells than the header has columns",
                    row_number=number,
                )
            )
            continue
        cells = dict(zip(report.labels, [*values, *[None] * len(report.labels)], strict=False))
        checked = await checker.check(number, cells)
        if isinstance(checked, Row):
            report.rows.append(checked)
        else:
            report.errors += checked
        if progress is not None:
            progress("check", done, len(body))
    if report.errors or dry_run:
        return report
    await _apply(session, report, actor, reason or f"import of {name}", progress)
    return report


async def _apply(
    session: AsyncSession, report: Report, actor: Actor, reason: str, progress: Progress | None
) -> None:
    assert report.entity is not None
    try:
        for done, row in enumerate(report.rows, start=1):
            if row.outcome is not Outcome.UNCHANGED:
                await edits.save(
                    session, report.entity, row.record, row.stored, row.expected, actor, reason
                )
            if progress is not None:
                progress("apply", done, len(report.rows))
    except Refused as refused:
        # Someone else's edit landed between the check and this write: nothing is kept.
        await session.rollback()
        report.errors += [
            ReportError("row-error", problem.code, problem.message, row_number=row.number)
            for problem in refused.problems
        ]
        return
    await session.commit()
    report.applied = True
