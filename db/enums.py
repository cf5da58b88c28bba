"""Closed vocabularies of the domain, shared by the tables, the fixtures and the GraphQL enums."""

from __future__ import annotations

from enum import StrEnum


class Region(StrEnum):
    """The six-region scheme of kongvut/thai-province-data."""

    NORTH = "NORTH"
    CENTRAL = "CENTRAL"
    NORTHEAST = "NORTHEAST"
    WEST = "WEST"
    EAST = "EAST"
    SOUTH = "SOUTH"


class CityType(StrEnum):
    EXISTING = "EXISTING"
    NEW = "NEW"


class LocationPrecision(StrEnum):
    """What an area's map point marks: the area itself, or only its province."""

    AREA = "AREA"  # the area's own point, as a source gives it
    PROVINCE = "PROVINCE"  # its province's map marker, from the province reference data


class CityStatus(StrEnum):
    PROPOSED = "PROPOSED"
    UNDER_REVIEW = "UNDER_REVIEW"
    APPROVED_IN_PRINCIPLE = "APPROVED_IN_PRINCIPLE"
    CERTIFIED = "CERTIFIED"
    LAPSED = "LAPSED"
    RENEWED = "RENEWED"


class Certainty(StrEnum):
    CONFIRMED = "CONFIRMED"
    REPORTED = "REPORTED"
    UNCERTAIN = "UNCERTAIN"


class OrganizationKind(StrEnum):
    GOVERNMENT_AGENCY = "GOVERNMENT_AGENCY"
    COMMITTEE = "COMMITTEE"
    WORKING_GROUP = "WORKING_GROUP"
    STATE_ENTERPRISE = "STATE_ENTERPRISE"
    LOCAL_GOVERNMENT = "LOCAL_GOVERNMENT"
    UNIVERSITY = "UNIVERSITY"
    COMPANY = "COMPANY"
    OTHER = "OTHER"


class ProjectStatus(StrEnum):
    PLANNED = "PLANNED"
    IN_PROGRESS = "IN_PROGRESS"
    COMPLETED = "COMPLETED"
    STOPPED = "STOPPED"


class Currency(StrEnum):
    THB = "THB"
    USD = "USD"


class InvestmentKind(StrEnum):
    PUBLIC = "PUBLIC"
    PRIVATE = "PRIVATE"
    PPP = "PPP"
    BOI_PROMOTED = "BOI_PROMOTED"
    OPERATOR = "OPERATOR"
    UNSTATED = "UNSTATED"


class InvestmentStage(StrEnum):
    ACTUAL = "ACTUAL"
    EXPECTED = "EXPECTED"
    BUDGETED = "BUDGETED"
    REQUESTED = "REQUESTED"
    # A company's registered capital: what it may spend, not money spent in the area.
    REGISTERED_CAPITAL = "REGISTERED_CAPITAL"


class MilestoneStatus(StrEnum):
    """Open Contracting milestone statuses."""

    SCHEDULED = "SCHEDULED"
    MET = "MET"
    NOT_MET = "NOT_MET"
    PARTIALLY_MET = "PARTIALLY_MET"


class MilestoneType(StrEnum):
    PLANNING = "PLANNING"
    APPROVAL = "APPROVAL"
    ENGAGEMENT = "ENGAGEMENT"
    DELIVERY = "DELIVERY"
    REPORTING = "REPORTING"
    FINANCING = "FINANCING"


class AscnCohort(StrEnum):
    PILOT_2018 = "PILOT_2018"
    ADDED_LATER = "ADDED_LATER"


class ChangeOperation(StrEnum):
    CREATE = "CREATE"
    UPDATE = "UPDATE"
    DELETE = "DELETE"


class RoleKind(StrEnum):
    """The part a person or a body plays in a body or at an event."""

    CHAIR = "CHAIR"
    JOINT_SECRETARY = "JOINT_SECRETARY"
    HOST = "HOST"
    LEAD_ORGANISER = "LEAD_ORGANISER"
    CO_ORGANISER = "CO_ORGANISER"
    PARTICIPANT = "PARTICIPANT"


class ScreeningOutcome(StrEnum):
    """What a screening decided about a proposal."""

    FORWARDED = "FORWARDED"
    APPROVED_IN_PRINCIPLE = "APPROVED_IN_PRINCIPLE"


class TextOrigin(StrEnum):
    """Where a text's words come from, so a reader knows what may be quoted."""

    PRINTED = "PRINTED"  # as printed in the cited source
    TRANSLATION = "TRANSLATION"  # our rendering of a printed name in the other language
    SUMMARY = "SUMMARY"  # our own words


class KeyRole(StrEnum):
    """What an API key may do; each role may do everything the ones before it may."""

    READER = "READER"  # read, with a larger budget than anonymous clients
    EDITOR = "EDITOR"  # also create, update and delete records, and import spreadsheets
    ADMIN = "ADMIN"  # also read the audit trail

    def includes(self, other: KeyRole) -> bool:
        """Whether this role may do everything `other` may."""
        order = list(KeyRole)
        return order.index(self) >= order.index(other)


class AuditAction(StrEnum):
    CREATE = "CREATE"
    UPDATE = "UPDATE"
    DELETE = "DELETE"
    SEED = "SEED"  # `smartcity seed` brought the database to the fixtures


class EditChannel(StrEnum):
    """How a write reached the database."""

    GRAPHQL = "GRAPHQL"  # a mutation
    IMPORT = "IMPORT"  # a spreadsheet, over HTTP or `smartcity import`
    CLI = "CLI"  # `smartcity seed`


class ProblemCode(StrEnum):
    """Why an edit was refused; part of the API contract."""

    INVALID = "INVALID"  # a value of the wrong type or form, or records that disagree
    REQUIRED = "REQUIRED"  # a value that must be given is missing
    UNKNOWN_FIELD = "UNKNOWN_FIELD"  # a field (a column) the record does not have
    UNKNOWN_REFERENCE = "UNKNOWN_REFERENCE"  # a key that names no record
    SOURCE_REQUIRED = "SOURCE_REQUIRED"  # a create or update that cites no source
    TAKEN = "TAKEN"  # the natural key is another record's
    DUPLICATE = "DUPLICATE"  # an imported file gives the same key on two rows
    NOT_FOUND = "NOT_FOUND"
    CONFLICT = "CONFLICT"  # changed since the version the edit was based on
    IN_USE = "IN_USE"  # other records refer to it, so it cannot be deleted
    NOT_EDITABLE = "NOT_EDITABLE"  # reference data, or an append-only record
    SUPERSEDED = "SUPERSEDED"  # the observation named has already been corrected
