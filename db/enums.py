"""Closed vocabularies of the domain, shared by the tables, the fixtures and the GraphQL enums."""

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
