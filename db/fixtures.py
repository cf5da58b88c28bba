"""Loads `fixtures/` into the database: validated, in one transaction, idempotent.

Every record is upserted by its natural key, so IDs stay stable and a second load changes
nothing (no row is written, so no `updated_at` moves). Records gone from the files are deleted.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, TypeVar

import yaml
from pydantic import BaseModel, BeforeValidator, ConfigDict, StringConstraints, ValidationError
from pydantic import Field as PydanticField
from sqlmodel import SQLModel, select
from sqlmodel.ext.asyncio.session import AsyncSession

from db.enums import (
    AscnCohort,
    Certainty,
    CityStatus,
    CityType,
    Currency,
    InvestmentKind,
    InvestmentStage,
    MilestoneStatus,
    MilestoneType,
    OrganizationKind,
    ProjectStatus,
    Region,
)
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
    Record,
    Source,
)
from db.types import PARTIAL_DATE

DEFAULT_FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"

# provinces.csv has no sources column: every row comes from these two datasets.
PROVINCE_SOURCES = ("kongvut-thai-province-data", "countries-states-cities-database")


class FixtureError(ValueError):
    """A fixture file is malformed or refers to something that does not exist."""


def _no_float(value: Any) -> Any:
    # YAML reads 27.57 as a binary float; money and figures must be written as strings.
    if isinstance(value, float):
        raise ValueError("write decimals as quoted strings, e.g. '27.57'")
    return value


PartialDate = Annotated[str, StringConstraints(pattern=PARTIAL_DATE.pattern)]
ExactNumber = Annotated[Decimal, BeforeValidator(_no_float)]
Key = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=120)]


class _Fixture(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Cited(_Fixture):
    sources: list[str] = PydanticField(min_length=1)


class SourceFixture(_Fixture):
    key: Key
    url: str | None
    publisher: str | None = None
    title: str | None = None
    published_on: PartialDate | None = None


class ProvinceFixture(_Fixture):
    code: Annotated[str, StringConstraints(pattern=r"^TH-\d{2}$")]
    dopa_code: int
    name_th: str
    name_en: str
    region: Region
    latitude: float | None
    longitude: float | None
    wikidata_id: str | None


class DimensionFixture(_Cited):
    code: Annotated[str, StringConstraints(pattern=r"^[A-Z]+$")]
    name_en: str
    name_th: str
    alt_names_th: list[str] = []


class OrganizationFixture(_Cited):
    slug: Key
    name_en: str | None
    name_th: str | None = None
    abbreviation: str | None = None
    kind: OrganizationKind


class CityFixture(_Cited):
    slug: Key
    name_th: str | None
    name_en: str | None
    province: str
    city_type: CityType | None = None
    status: CityStatus
    round: str | None = None
    proposed_on: PartialDate | None = None
    certified_on: PartialDate | None = None
    operator: str | None = None
    dimensions: list[str] = []
    latitude: float | None = None
    longitude: float | None = None
    certainty: Certainty


class ProjectFixture(_Cited):
    slug: Key
    city: str | None
    province: str
    title_th: str | None
    title_en: str | None
    dimensions: list[str] = []
    status: ProjectStatus | None = None
    start_on: PartialDate | None = None
    end_on: PartialDate | None = None
    budget: ExactNumber | None = None
    operator: str | None = None
    is_headline: bool = False
    certainty: Certainty


class InvestmentFixture(_Cited):
    key: Key
    city: str
    project: str | None = None
    amount: ExactNumber
    currency: Currency
    kind: InvestmentKind
    stage: InvestmentStage
    label_en: str | None = None
    investor: str | None = None
    as_of: PartialDate | None = None
    certainty: Certainty


class MilestoneFixture(_Cited):
    key: Key
    project: str | None = None
    city: str | None = None
    province: str | None = None
    title_en: str | None
    title_th: str | None = None
    type: MilestoneType | None = None
    status: MilestoneStatus
    due_on: PartialDate | None = None
    met_on: PartialDate | None = None


class ObservationFixture(_Cited):
    key: Key
    indicator: Annotated[str, StringConstraints(pattern=r"^[A-Z][A-Z0-9_]*$")]
    city: str | None = None
    project: str | None = None
    dimension: str | None = None
    value: ExactNumber | None = None
    value_text: str | None = None
    unit: str | None = None
    qualifier: str | None = None
    as_of: PartialDate | None = None
    certainty: Certainty


class PhaseFixture(_Cited):
    key: Annotated[str, StringConstraints(pattern=r"^[A-Z0-9_]+$")]
    name_en: str | None = None
    start_year: int | None = None
    end_year: int | None = None
    target_areas: int | None = None
    target_provinces: int | None = None
    provinces: list[str] = []


class ProgrammeFixture(_Fixture):
    phases: list[PhaseFixture]
    coverage_notes: list[str] = []


class AscnFixture(_Cited):
    province: str
    name_as_listed: str
    cohort: AscnCohort
    joined: PartialDate | None = None


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


class _Resolver:
    """Turns natural keys from the files into row ids, with a clear error for a bad one."""

    def __init__(self) -> None:
        self._ids: dict[str, dict[str, int]] = {}

    def remember(self, kind: str, rows: Mapping[str, Record]) -> None:
        self._ids[kind] = {key: row.id for key, row in rows.items() if row.id is not None}

    def id(self, kind: str, key: str, where: str) -> int:
        try:
            return self._ids[kind][key]
        except KeyError:
            raise FixtureError(f"{where}: unknown {kind} {key!r}") from None

    def maybe(self, kind: str, key: str | None, where: str) -> int | None:
        return None if key is None else self.id(kind, key, where)


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
    files = _Files(directory)
    changes = Changes()
    ids = _Resolver()
    citations: set[tuple[int, str, int]] = set()

    def cite(table: str, rows: Mapping[str, Record], records: Iterable[Any], key: str) -> None:
        for record in records:
            row_id = rows[getattr(record, key)].id
            assert row_id is not None
            for source_key in record.sources:
                source_id = ids.id("source", source_key, f"{table} {getattr(record, key)}")
                citations.add((source_id, table, row_id))

    sources = await _sync_rows(
        session, Source, "key", [s.model_dump() for s in files.sources], changes
    )
    ids.remember("source", sources)

    provinces = await _sync_rows(
        session, Province, "code", [p.model_dump() for p in files.provinces], changes
    )
    ids.remember("province", provinces)
    for province in files.provinces:
        for source_key in PROVINCE_SOURCES:
            source_id = ids.id("source", source_key, "provinces.csv")
            row_id = provinces[province.code].id
            assert row_id is not None
            citations.add((source_id, "province", row_id))

    dimensions = await _sync_rows(
        session,
        Dimension,
        "code",
        [d.model_dump(exclude={"sources"}) for d in files.dimensions],
        changes,
    )
    ids.remember("dimension", dimensions)
    cite("dimension", dimensions, files.dimensions, "code")

    organizations = await _sync_rows(
        session,
        Organization,
        "slug",
        [o.model_dump(exclude={"sources"}) for o in files.organizations],
        changes,
    )
    ids.remember("organization", organizations)
    cite("organization", organizations, files.organizations, "slug")

    cities = await _sync_rows(
        session,
        City,
        "slug",
        [
            {
                **c.model_dump(exclude={"sources", "province", "operator", "dimensions"}),
                "province_id": ids.id("province", c.province, f"city {c.slug}"),
                "operator_id": ids.maybe("organization", c.operator, f"city {c.slug}"),
            }
            for c in files.cities
        ],
        changes,
    )
    ids.remember("city", cities)
    cite("city", cities, files.cities, "slug")
    await _sync_links(
        session,
        CityDimension,
        {
            (cities[c.slug].id, ids.id("dimension", code, f"city {c.slug}"))
            for c in files.cities
            for code in c.dimensions
        },
        ("city_id", "dimension_id"),
        changes,
    )

    project_rows = []
    for p in files.projects:
        where = f"project {p.slug}"
        province_id = ids.id("province", p.province, where)
        city_id = ids.maybe("city", p.city, where)
        if city_id is not None and cities[str(p.city)].province_id != province_id:
            raise FixtureError(f"{where}: province {p.province} is not its city's province")
        project_rows.append(
            {
                **p.model_dump(exclude={"sources", "city", "province", "operator", "dimensions"}),
                "city_id": city_id,
                "province_id": province_id,
                "operator_id": ids.maybe("organization", p.operator, where),
            }
        )
    projects = await _sync_rows(session, Project, "slug", project_rows, changes)
    ids.remember("project", projects)
    cite("project", projects, files.projects, "slug")
    await _sync_links(
        session,
        ProjectDimension,
        {
            (projects[p.slug].id, ids.id("dimension", code, f"project {p.slug}"))
            for p in files.projects
            for code in p.dimensions
        },
        ("project_id", "dimension_id"),
        changes,
    )

    investments = await _sync_rows(
        session,
        Investment,
        "key",
        [
            {
                **i.model_dump(exclude={"sources", "city", "project", "investor"}),
                "city_id": ids.id("city", i.city, f"investment {i.key}"),
                "project_id": ids.maybe("project", i.project, f"investment {i.key}"),
                "investor_id": ids.maybe("organization", i.investor, f"investment {i.key}"),
            }
            for i in files.investments
        ],
        changes,
    )
    cite("investment", investments, files.investments, "key")

    milestones = await _sync_rows(
        session,
        Milestone,
        "key",
        [
            {
                **m.model_dump(exclude={"sources", "project", "city", "province"}),
                "project_id": ids.maybe("project", m.project, f"milestone {m.key}"),
                "city_id": ids.maybe("city", m.city, f"milestone {m.key}"),
                "province_id": ids.maybe("province", m.province, f"milestone {m.key}"),
            }
            for m in files.milestones
        ],
        changes,
    )
    cite("milestone", milestones, files.milestones, "key")

    observations = await _sync_rows(
        session,
        Observation,
        "key",
        [
            {
                **o.model_dump(exclude={"sources", "city", "project", "dimension"}),
                "city_id": ids.maybe("city", o.city, f"observation {o.key}"),
                "project_id": ids.maybe("project", o.project, f"observation {o.key}"),
                "dimension_id": ids.maybe("dimension", o.dimension, f"observation {o.key}"),
            }
            for o in files.observations
        ],
        changes,
    )
    cite("observation", observations, files.observations, "key")

    phases = await _sync_rows(
        session,
        ProgrammePhase,
        "key",
        [
            {**ph.model_dump(exclude={"sources", "provinces"}), "position": position}
            for position, ph in enumerate(files.programme.phases, start=1)
        ],
        changes,
    )
    cite("programme_phase", phases, files.programme.phases, "key")
    await _sync_links(
        session,
        ProgrammePhaseProvince,
        {
            (phases[ph.key].id, ids.id("province", code, f"phase {ph.key}"))
            for ph in files.programme.phases
            for code in ph.provinces
        },
        ("phase_id", "province_id"),
        changes,
    )
    await _sync_rows(
        session,
        CoverageNote,
        "position",
        [
            {"position": position, "text_en": text}
            for position, text in enumerate(files.programme.coverage_notes, start=1)
        ],
        changes,
    )

    ascn = await _sync_rows(
        session,
        AscnMembership,
        "province_id",
        [
            {
                **a.model_dump(exclude={"sources", "province"}),
                "province_id": ids.id("province", a.province, "ascn.yaml"),
            }
            for a in files.ascn
        ],
        changes,
    )
    for a in files.ascn:
        row = ascn[str(ids.id("province", a.province, "ascn.yaml"))]
        assert row.id is not None
        for source_key in a.sources:
            citations.add((ids.id("source", source_key, "ascn.yaml"), "ascn_membership", row.id))

    await _sync_links(
        session,
        Citation,
        citations,
        ("source_id", "subject_type", "subject_id"),
        changes,
    )
    return changes


class _Files:
    """Every fixture file, parsed and validated before anything touches the database."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.sources = self._list("sources.yaml", SourceFixture)
        _unique(directory / "sources.yaml", (s.key for s in self.sources))
        self.provinces = self._provinces()
        self.dimensions = self._list("dimensions.yaml", DimensionFixture)
        self.organizations = self._list("organizations.yaml", OrganizationFixture)
        self.cities = self._list("cities.yaml", CityFixture)
        self.projects = self._list("projects.yaml", ProjectFixture)
        self.investments = self._list("investments.yaml", InvestmentFixture)
        self.milestones = self._list("milestones.yaml", MilestoneFixture)
        self.observations = self._list("observations.yaml", ObservationFixture)
        self.ascn = self._list("ascn.yaml", AscnFixture)
        path = directory / "programme.yaml"
        try:
            self.programme = ProgrammeFixture.model_validate(_read_yaml(path))
        except ValidationError as error:
            raise FixtureError(f"{path.name}: {error}") from error
        for name, keys in (
            ("dimensions.yaml", [d.code for d in self.dimensions]),
            ("organizations.yaml", [o.slug for o in self.organizations]),
            ("cities.yaml", [c.slug for c in self.cities]),
            ("projects.yaml", [p.slug for p in self.projects]),
            ("investments.yaml", [i.key for i in self.investments]),
            ("milestones.yaml", [m.key for m in self.milestones]),
            ("observations.yaml", [o.key for o in self.observations]),
            ("ascn.yaml", [a.province for a in self.ascn]),
            ("programme.yaml", [p.key for p in self.programme.phases]),
        ):
            _unique(directory / name, keys)

    def _list(self, name: str, model: type[F]) -> list[F]:
        path = self.directory / name
        return _parse(path, model, _read_yaml(path) or [])

    def _provinces(self) -> list[ProvinceFixture]:
        path = self.directory / "provinces.csv"
        with path.open(encoding="utf-8", newline="") as stream:
            rows = [{k: (v or None) for k, v in row.items()} for row in csv.DictReader(stream)]
        provinces = _parse(path, ProvinceFixture, rows)
        _unique(path, (p.code for p in provinces))
        return provinces
