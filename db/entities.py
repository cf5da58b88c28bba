"""The registry: every published entity described once, and every other table named.

The change feed (and with it the data version behind every ETag), the bulk downloads and
their titles, search, and the fixture loader are derived from `ENTITIES`, and the schema's
`node` lookups from `NODES`. Adding an entity is its table, its migration, its entry here,
its fixture model, and its GraphQL types; `tests/test_registry.py` fails for a table that is
none of an entity, a link or side table of one, or `INTERNAL`, and checks through the real
stack that everything which should know an entity does.

What is derived rather than written down: an entity's exported columns are its table's own
columns; a foreign key's target and that target's natural key come from the table's
`ForeignKey`s and this registry; a link table's two ends likewise.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from functools import cached_property

from pydantic import BaseModel
from sqlalchemy import Table, inspect
from sqlmodel import SQLModel

from db.fixture_models import (
    AlternativeFixture,
    AscnFixture,
    CityFixture,
    CoverageNoteFixture,
    DimensionFixture,
    IndicatorFixture,
    InvestmentFixture,
    MilestoneFixture,
    ObservationFixture,
    OrganizationFixture,
    PhaseFixture,
    ProjectFixture,
    ProposalFixture,
    ProvinceFixture,
    RoleFixture,
    SourceFixture,
)
from db.tables import (
    Alternative,
    ApiKey,
    AscnMembership,
    AuditEntry,
    Change,
    Citation,
    City,
    CityDimension,
    CoverageNote,
    Dimension,
    Indicator,
    Investment,
    Milestone,
    MirrorState,
    Observation,
    Organization,
    PersistedQuery,
    ProgrammePhase,
    ProgrammePhaseProvince,
    Project,
    ProjectDimension,
    Proposal,
    Province,
    Record,
    Role,
    SearchDocument,
    Source,
)

# Tables that are no entity's: the feed and the audit trail, derived search text, API
# plumbing, the citations every cited entity has (written from each record's `sources`),
# and where a mirror stands (`smartcity mirror`).
INTERNAL: tuple[type[SQLModel], ...] = (
    Change,
    AuditEntry,
    SearchDocument,
    PersistedQuery,
    ApiKey,
    Citation,
    MirrorState,
)

# Every row of provinces.csv comes from these two datasets; the file has no sources column.
PROVINCE_SOURCES = ("kongvut-thai-province-data", "countries-states-cities-database")

# Columns every record has, which are not exported as its own data.
_BOOKKEEPING = ("id", "updated_at")


def table_of(model: type[SQLModel]) -> Table:
    table = inspect(model).local_table
    assert isinstance(table, Table)
    return table


def references(model: type[SQLModel]) -> dict[str, str]:
    """Each foreign-key column of `model`'s table, and the table it refers to."""
    return {
        column.name: key.column.table.name
        for column in table_of(model).columns
        for key in column.foreign_keys
    }


@dataclass(frozen=True, eq=False)
class Fixture:
    """Where a table's rows come from in `fixtures/`, and the few ways a file differs.

    `model` validates each record; how its fields map to columns, foreign keys, links and
    citations is said in `db.fixture_models`.
    """

    file: str
    model: type[BaseModel]
    # The file is a mapping, and the records are the list under this key.
    section: str | None = None
    # A column given each record's place in its list, from 1 (the order is the data).
    numbered: str | None = None
    # For a file without a sources column: the sources every record cites.
    sources: tuple[str, ...] = ()
    # (via, field): the record named in `via` must name the same `field` as this one,
    # e.g. a project's city lies in the project's province.
    agree: tuple[tuple[str, str], ...] = ()

    @property
    def cited(self) -> bool:
        return bool(self.sources) or "sources" in self.model.model_fields


@dataclass(frozen=True, eq=False)
class Link:
    """A many-to-many list in a link table, exported and loaded as the related records' keys."""

    name: str  # its column in the exports and its field in the fixture: `dimensions`
    model: type[SQLModel]

    def ends(self, parent: Entity) -> tuple[str, str, Entity]:
        """The column holding `parent`'s id, the column holding the target's, the target."""
        parent_column = parent.column_to(self.model)
        [(target_column, target)] = [
            (column, BY_TABLE[table])
            for column, table in references(self.model).items()
            if column != parent_column
        ]
        return parent_column, target_column, target


@dataclass(frozen=True, eq=False)
class Side:
    """A one-to-one side table: at most one row per entity row, found by its foreign key to
    the entity. Some of its columns are exported with the entity's row."""

    model: type[Record]
    exported: tuple[tuple[str, str], ...]  # (name in the exports, column)
    fixture: Fixture
    # The exports' column listing the side row's sources, when its fixture cites them.
    cited_as: str | None = None

    def __post_init__(self) -> None:
        if (self.cited_as is not None) != self.fixture.cited:
            raise ValueError(f"{self.model.__name__}: name the column of its sources iff cited")

    @property
    def names(self) -> tuple[str, ...]:
        """Its columns in the exports: the exported ones, then its sources if cited."""
        return (*(name for name, _ in self.exported), *filter(None, [self.cited_as]))


@dataclass(frozen=True, eq=False)
class Search:
    """What search matches an entity's rows on."""

    name_th: str
    name_en: str
    extra: tuple[str, ...]  # further text a query may match
    rank: int  # when relevance ties, lower ranks come first


class Editing(Enum):
    """What editors may do to an entity's records through the API and imports."""

    # Reference data (provinces, the seven dimensions, the phases, our notes on coverage):
    # changed only by a release of `fixtures/`.
    NONE = "none"
    FULL = "full"  # create, update and delete
    # Only add: history is kept, and a correction is a new record naming the one it supersedes.
    APPEND = "append"


@dataclass(frozen=True, eq=False)
class Entity:
    model: type[Record]
    # Its name in the change feed; for a Node also its GraphQL type and its name in global IDs.
    type_name: str
    key: str  # the natural key column: global IDs, exports, fixture upserts
    plural: str  # names its download files and its dataset
    title_en: str
    title_th: str
    fixture: Fixture
    links: tuple[Link, ...] = ()
    sides: tuple[Side, ...] = ()
    mapped: bool = False  # has latitude and longitude: also offered as GeoJSON
    search: Search | None = None
    node: bool = True  # a GraphQL Node, found by global ID (and exported with it)
    editing: Editing = Editing.FULL

    @property
    def table(self) -> str:
        return table_of(self.model).name

    @property
    def cited(self) -> bool:
        return self.fixture.cited

    @cached_property
    def columns(self) -> tuple[str, ...]:
        """The columns exported as its own, in table order."""
        return tuple(
            column.name
            for column in table_of(self.model).columns
            if column.name not in _BOOKKEEPING
        )

    @cached_property
    def foreign(self) -> dict[str, Entity]:
        """Each foreign-key column and the entity it refers to."""
        return {column: BY_TABLE[table] for column, table in references(self.model).items()}

    def column_to(self, model: type[SQLModel]) -> str:
        """The one column of `model` (a link or side table) that holds this entity's id."""
        [column] = [c for c, table in references(model).items() if table == self.table]
        return column


ENTITIES: tuple[Entity, ...] = (
    Entity(
        Province,
        "Province",
        key="code",
        plural="provinces",
        title_en="Provinces of Thailand",
        title_th="จังหวัดของประเทศไทย",
        editing=Editing.NONE,
        fixture=Fixture("provinces.csv", ProvinceFixture, sources=PROVINCE_SOURCES),
        sides=(
            Side(
                AscnMembership,
                exported=(
                    ("ascn_name_as_listed", "name_as_listed"),
                    ("ascn_cohort", "cohort"),
                    ("ascn_joined", "joined"),
                ),
                fixture=Fixture("ascn.yaml", AscnFixture),
                cited_as="ascn_sources",
            ),
        ),
        mapped=True,
        search=Search("name_th", "name_en", ("code",), rank=0),
    ),
    Entity(
        Dimension,
        "Dimension",
        key="code",
        plural="dimensions",
        title_en="The seven smart dimensions",
        title_th="มิติเมืองอัจฉริยะ 7 ด้าน",
        editing=Editing.NONE,
        fixture=Fixture("dimensions.yaml", DimensionFixture),
    ),
    Entity(
        Organization,
        "Organization",
        key="slug",
        plural="organizations",
        title_en="Operators, investors and agencies",
        title_th="องค์กรผู้ดำเนินการ ผู้ลงทุน และหน่วยงาน",
        fixture=Fixture("organizations.yaml", OrganizationFixture),
        search=Search("name_th", "name_en", ("abbreviation", "slug"), rank=3),
    ),
    Entity(
        City,
        "City",
        key="slug",
        plural="cities",
        title_en="Smart-city areas",
        title_th="พื้นที่เมืองอัจฉริยะ",
        fixture=Fixture("cities.yaml", CityFixture),
        links=(Link("dimensions", CityDimension),),
        mapped=True,
        search=Search("name_th", "name_en", ("slug",), rank=1),
    ),
    Entity(
        Project,
        "Project",
        key="slug",
        plural="projects",
        title_en="Smart-city projects",
        title_th="โครงการเมืองอัจฉริยะ",
        fixture=Fixture("projects.yaml", ProjectFixture, agree=(("city", "province"),)),
        links=(Link("dimensions", ProjectDimension),),
        search=Search("title_th", "title_en", ("slug",), rank=2),
    ),
    Entity(
        Investment,
        "Investment",
        key="key",
        plural="investments",
        title_en="Investments in smart-city areas",
        title_th="การลงทุนในพื้นที่เมืองอัจฉริยะ",
        fixture=Fixture("investments.yaml", InvestmentFixture),
    ),
    Entity(
        Milestone,
        "Milestone",
        key="key",
        plural="milestones",
        title_en="Project and programme milestones",
        title_th="หมุดหมายของโครงการ",
        fixture=Fixture("milestones.yaml", MilestoneFixture),
    ),
    Entity(
        Observation,
        "Observation",
        key="key",
        plural="observations",
        title_en="Progress, index scores and programme figures",
        title_th="ตัวชี้วัดและความคืบหน้า",
        editing=Editing.APPEND,
        fixture=Fixture("observations.yaml", ObservationFixture),
    ),
    Entity(
        ProgrammePhase,
        "ProgrammePhase",
        key="key",
        plural="programme_phases",
        title_en="Programme phases and targets",
        title_th="ระยะและเป้าหมายของโครงการ",
        editing=Editing.NONE,
        fixture=Fixture("programme.yaml", PhaseFixture, section="phases", numbered="position"),
        links=(Link("provinces", ProgrammePhaseProvince),),
    ),
    Entity(
        Role,
        "Role",
        key="key",
        plural="roles",
        title_en="Who plays which part in the programme's bodies and events",
        title_th="บทบาทในคณะกรรมการ คณะทำงาน และกิจกรรมของโครงการ",
        fixture=Fixture("roles.yaml", RoleFixture),
    ),
    Entity(
        Proposal,
        "Proposal",
        key="key",
        plural="proposals",
        title_en="Smart-city proposals and their screening",
        title_th="ข้อเสนอแผนพัฒนาเมืองอัจฉริยะและผลการพิจารณา",
        fixture=Fixture("proposals.yaml", ProposalFixture),
    ),
    Entity(
        Indicator,
        "Indicator",
        key="code",
        plural="indicators",
        title_en="What the indicators measure",
        title_th="นิยามตัวชี้วัด",
        fixture=Fixture("indicators.yaml", IndicatorFixture),
    ),
    Entity(
        Alternative,
        "Alternative",
        key="key",
        plural="alternatives",
        title_en="Other values where sources disagree",
        title_th="ค่าที่แหล่งข้อมูลระบุต่างกัน",
        fixture=Fixture("alternatives.yaml", AlternativeFixture),
    ),
    # Our own notes on gaps in the data: downloadable with the rest, read in the API as
    # `programme.coverage`; no Node, but in the change feed, so that a changed note moves
    # the data version (and every ETag) like any other change.
    Entity(
        CoverageNote,
        "CoverageNote",
        key="key",
        plural="coverage_notes",
        title_en="Where the data is known to be incomplete",
        title_th="ข้อจำกัดของข้อมูล",
        node=False,
        editing=Editing.NONE,
        fixture=Fixture(
            "programme.yaml", CoverageNoteFixture, section="coverage_notes", numbered="position"
        ),
    ),
    Entity(
        Source,
        "Source",
        key="key",
        plural="sources",
        title_en="Sources cited by the records",
        title_th="แหล่งที่มาของข้อมูล",
        fixture=Fixture("sources.yaml", SourceFixture),
    ),
)
BY_TABLE = {entity.table: entity for entity in ENTITIES}
BY_MODEL = {entity.model: entity for entity in ENTITIES}
# The Nodes by GraphQL type name: what a global ID can name.
NODES = {entity.type_name: entity for entity in ENTITIES if entity.node}
