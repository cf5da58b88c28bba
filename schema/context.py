"""The per-request context every resolver receives."""

from dataclasses import dataclass, field
from typing import Any

import strawberry

from db.access import Db
from db.loaders import Loaders
from schema.budget import Budget, ResponseHints


@dataclass
class Context:
    """One database session and one set of DataLoaders per request, never shared; the
    client's budget, and the HTTP response the request's cost is reported on."""

    db: Db
    budget: Budget
    response: ResponseHints
    request_id: str
    loaders: Loaders = field(init=False)
    cost: dict[str, object] = field(default_factory=dict)
    listing_queries: dict[tuple[Any, ...], Any] = field(default_factory=dict)  # Listing.query

    def __post_init__(self) -> None:
        self.loaders = Loaders(self.db)


Info = strawberry.Info[Context, None]
