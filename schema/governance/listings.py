"""How roles, proposals and indicators are listed: the orders their lists take."""

from sqlmodel import col

from db.tables import Indicator, Proposal, Role
from schema.filters import Listing

ROLES = Listing(updated_column=col(Role.updated_at), default_order=(col(Role.id),))
PROPOSALS = Listing(
    updated_column=col(Proposal.updated_at),
    default_order=(col(Proposal.screened_on), col(Proposal.key)),
)
INDICATORS = Listing(updated_column=col(Indicator.updated_at), default_order=(col(Indicator.code),))
