"""The per-request context every resolver receives."""

from dataclasses import dataclass, field

import strawberry

from db.access import Db
from db.loaders import Loaders


@dataclass
class Context:
    """One database session and one set of DataLoaders per request, never shared."""

    db: Db
    loaders: Loaders = field(init=False)

    def __post_init__(self) -> None:
        self.loaders = Loaders(self.db)


Info = strawberry.Info[Context, None]
