"""All tables, one module per domain; importing this registers them on `SQLModel.metadata`."""

from db.tables.alternatives import Alternative
from db.tables.audit import AuditEntry
from db.tables.base import Record, Timestamped
from db.tables.changes import Change
from db.tables.cities import City, CityDimension
from db.tables.dimensions import Dimension
from db.tables.governance import Indicator, Proposal, Role
from db.tables.investments import Investment
from db.tables.keys import ApiKey
from db.tables.milestones import Milestone
from db.tables.mirror import MirrorState
from db.tables.observations import Observation
from db.tables.organizations import Organization
from db.tables.persisted import PersistedQuery
from db.tables.programme import CoverageNote, ProgrammePhase, ProgrammePhaseProvince
from db.tables.projects import Project, ProjectDimension
from db.tables.provinces import AscnMembership, Province
from db.tables.search import SearchDocument
from db.tables.sources import Citation, Source

__all__ = [
    "Alternative",
    "ApiKey",
    "AscnMembership",
    "AuditEntry",
    "Change",
    "Citation",
    "City",
    "CityDimension",
    "CoverageNote",
    "Dimension",
    "Indicator",
    "Investment",
    "Milestone",
    "MirrorState",
    "Observation",
    "Organization",
    "PersistedQuery",
    "ProgrammePhase",
    "ProgrammePhaseProvince",
    "Project",
    "ProjectDimension",
    "Proposal",
    "Province",
    "Record",
    "Role",
    "SearchDocument",
    "Source",
    "Timestamped",
]
