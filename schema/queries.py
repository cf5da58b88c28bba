"""The root `Query`: each domain's root fields, composed, plus Relay's `node` and `nodes`."""

from __future__ import annotations

import strawberry

from schema.audit.queries import AuditQueries
from schema.changes.queries import ChangeQueries
from schema.cities.queries import CityQueries
from schema.dimensions.queries import DimensionQueries
from schema.investments.queries import InvestmentQueries
from schema.milestones.queries import MilestoneQueries
from schema.nodes import NodeQueries
from schema.observations.queries import ObservationQueries
from schema.organizations.queries import OrganizationQueries
from schema.programme.queries import ProgrammeQueries
from schema.projects.queries import ProjectQueries
from schema.provinces.queries import ProvinceQueries
from schema.search.queries import SearchQueries
from schema.sources.queries import SourceQueries
from schema.summaries.queries import SummaryQueries

# In the order the fields are printed; `merge_types` does the same, but cannot describe the
# type it makes.
DOMAINS = (
    ProvinceQueries,
    CityQueries,
    DimensionQueries,
    OrganizationQueries,
    ProjectQueries,
    InvestmentQueries,
    MilestoneQueries,
    ObservationQueries,
    SourceQueries,
    SearchQueries,
    SummaryQueries,
    ChangeQueries,
    AuditQueries,
    ProgrammeQueries,
    NodeQueries,
)


@strawberry.type(
    description=(
        "The Smart City Thailand open-data graph (ข้อมูลเปิดเมืองอัจฉริยะประเทศไทย): provinces, "
        "smart-city areas, the seven dimensions, projects, investments, milestones and "
        "measured progress, each with its sources."
    )
)
class Query(*DOMAINS):  # type: ignore[misc]
    pass
