"""How fields are computed from the database, declared as data.

A field's declaration here is read both by its resolver and by the compiler
(`schema.compiled`), so both ways of answering a query compute it the same: the fields a type
derives from its columns (`Derived`), the name fields read in either language (`Localized`),
and what a connection, list or lookup field reads (kept in the field's `metadata` under
`COMPUTED`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from db.loaders import Query, Relation


@dataclasses.dataclass(frozen=True)
class Derived:
    """A field that is more than a copy of the column of its name: `compute` applied to the
    values of `columns` (a renamed column, a map point from two, an amount with its currency).
    Declared as data, so that every way of answering a query computes it the same."""

    columns: tuple[str, ...]
    compute: Callable[..., Any]


def renamed(column: str) -> Derived:
    """A field showing the column `column` as it is stored."""
    return Derived((column,), lambda value: value)


@dataclasses.dataclass(frozen=True)
class Localized:
    """What a `name(lang:)` field reads: a Thai and an English column."""

    th: str
    en: str


# The key in a field's `metadata` under which it says how it is computed from columns, so
# that a compiled query computes it the same way (see `schema.compiled`).
COMPUTED = "computed"


@dataclasses.dataclass(frozen=True)
class ConnectionSpec:
    """What a connection field reads (see `schema.connections`)."""

    node: Callable[[], Any]  # the node's Python class, resolved on first use
    listing: Any
    rows: Any  # a table, or a `Relation`
    where: Any = None


@dataclasses.dataclass(frozen=True)
class ListSpec:
    """What a list field reads (see `schema.connections.list_field`): every row of a relation,
    in the order `query` gives."""

    node: Callable[[], Any]
    relation: Relation
    query: Callable[[], Query]


@dataclasses.dataclass(frozen=True)
class Cited:
    """A record's sources: the sources its citations name, by key."""


@dataclasses.dataclass(frozen=True)
class Lookup:
    """A root field finding one record of `node` by its natural key."""

    node: Callable[[], Any]


@dataclasses.dataclass(frozen=True)
class Searched:
    """The root search field: `db.search.ranked`'s hits, each record as the type its table
    is searched as (`members`), and how each hit matched (`match`, by tier)."""

    members: Callable[[], dict[str, Any]]
    match: Callable[[], type[Any]]


@dataclasses.dataclass(frozen=True)
class Built:
    """A root field whose answer is built in Python from the rows of a few statements (a
    summary: `db.summaries.Summary`), by `build`, from the arguments as the resolver gets
    them. The resolver runs the statements one by one; the compiler reads their rows in its
    one statement; both build the answer with the same function."""

    statements: Callable[[dict[str, Any]], Any]
    build: Callable[..., Any]


@dataclasses.dataclass(frozen=True)
class ByGlobalId:
    """A root field finding records by their global IDs (Relay's `node` and `nodes`)."""
