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
