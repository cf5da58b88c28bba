"""The per-request context every resolver receives."""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import strawberry
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from db.access import Db
from db.audit import Actor
from db.enums import KeyRole
from db.loaders import Loaders
from schema.budget import Budget, ResponseHints
from schema.result_store import ResultStore


@dataclass
class Context:
    """One database session and one set of DataLoaders per request, never shared; the
    client's budget and role, and the HTTP response the request's cost is reported on.

    `retry_after_seconds` is what a client is told to wait when the database cannot be
    reached; `unavailable` is set once that has been answered (and logged) for the request,
    which a batch of operations shares.
    """

    db: Db
    budget: Budget
    response: ResponseHints
    request_id: str
    retry_after_seconds: int
    unavailable: bool = False
    # Stores the request's query as a persisted query (Apollo's APQ): called only once the
    # query has parsed, validated, passed the limits and been paid for.
    persist_query: Callable[[], Awaitable[None]] | None = None
    # Answers to repeated queries (see `schema.result_cache`); None when the cache is off.
    results: ResultStore | None = None
    # Who is asking: a key's role (None: anonymous) and, for a key, who its writes are by.
    role: KeyRole | None = None
    actor: Actor | None = None
    # Transactions for writes; the request's own `db` only reads.
    writes: async_sessionmaker[AsyncSession] | None = None
    # False once the operation turns out to depend on the client (a mutation, a field only
    # some roles may read): then no answer is cached or taken from the cache.
    cacheable: bool = True
    loaders: Loaders = field(init=False)

    listing_queries: dict[tuple[Any, ...], Any] = field(default_factory=dict)  # Listing.query

    def __post_init__(self) -> None:
        self.loaders = Loaders(self.db)

    def forget_loaded(self) -> None:
        """Start the operation's reads afresh: an execution that ended in an error can leave
        loads it never awaited, cancelled, which a second execution must not meet."""
        self.loaders = Loaders(self.db)
        self.listing_queries.clear()


Info = strawberry.Info[Context, None]
