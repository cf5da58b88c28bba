"""Root fields for organisations."""

from __future__ import annotations

import strawberry

from db.tables import Organization as OrganizationRow
from schema.common import Slug, load_one
from schema.connections import connection_field, lookup
from schema.context import Info
from schema.organizations.filters import ORGANIZATIONS
from schema.organizations.types import Organization


@strawberry.type
class OrganizationQueries:
    organizations = connection_field(
        "Operators, investors and agencies (องค์กร), by slug.",
        Organization,
        ORGANIZATIONS,
        OrganizationRow,
    )

    @strawberry.field(
        description="An organisation (องค์กร) by its slug, e.g. `egat`.",
        metadata=lookup(Organization),
    )
    async def organization(self, info: Info, slug: Slug) -> Organization | None:
        return await load_one(info, Organization, slug)
