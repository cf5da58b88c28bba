"""One factory for every connection field, root lists and relations alike.

A connection field takes the same seven arguments everywhere (`filter`, `orderBy`,
`updatedSince`, `first`, `after`, `last`, `before`) and answers a page: a root list from a
count and a page statement, a relation from one windowed statement per distinct ask (see
`db.loaders`). Declaring one is a line with its description, node type, listing and rows.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Annotated, Any, Optional, get_args, get_origin

import strawberry
from sqlalchemy import ColumnElement
from strawberry.types.lazy_type import StrawberryLazyReference

from db import queries
from db.loaders import Query, Relation
from db.tables import Record
from schema.common import load_related
from schema.computed import COMPUTED, ConnectionSpec, ListSpec, Lookup
from schema.context import Info
from schema.filters import Listing, UpdatedSince
from schema.pagination import (
    After,
    Before,
    Connection,
    First,
    Last,
    PageArgs,
    connection_from_page,
    connection_from_query,
    page_slice,
)


def _node_class(node: Any) -> Any:
    """The node's Python class, resolving a `strawberry.lazy` annotation."""
    if get_origin(node) is Annotated:
        name, *metadata = get_args(node)
        for meta in metadata:
            if isinstance(meta, StrawberryLazyReference):
                return meta.resolve_forward_ref(name).resolve_type()
    return node


def connection_field(
    description: str,
    node: Any,
    listing: Listing,
    rows: type[Record] | Relation,
    *,
    where: ColumnElement[bool] | None = None,
) -> Any:
    """A connection of `node`s (a type, or a `strawberry.lazy` annotation of one), listed and
    filtered as `listing` says: every row of the table `rows` (a root list, optionally only
    those `where` selects), or the rows of the `Relation` `rows` that belong to the parent."""
    if listing.filter_arg is None or listing.order_arg is None:
        raise ValueError("a connection's listing must name its filter and order arguments")

    @functools.cache
    def node_class() -> Any:
        return _node_class(node)

    async def resolve(
        self: Any,
        info: Info,
        where_: Any = None,
        order_by: Any = None,
        updated_since: Any = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[Any]:
        query = listing.query(info, where_, order_by, updated_since)
        args = PageArgs(first, after, last, before)
        convert = node_class().from_row
        if isinstance(rows, Relation):
            part = page_slice(args)
            page = await info.context.loaders.page_of(rows).load((self.db_id, query, part))
            return connection_from_page(page, part, convert)
        statement = queries.listing(rows, query)
        if where is not None:
            statement = statement.where(where)
        return await connection_from_query(info, statement, args, convert)

    # Strawberry reads the arguments from the signature: give it the real annotations.
    def parameter(name: str, annotation: Any) -> inspect.Parameter:
        return inspect.Parameter(
            name, inspect.Parameter.POSITIONAL_OR_KEYWORD, default=None, annotation=annotation
        )

    resolve.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [
            inspect.Parameter("self", inspect.Parameter.POSITIONAL_OR_KEYWORD),
            inspect.Parameter("info", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=Info),
            parameter("where_", listing.filter_arg),
            parameter("order_by", listing.order_arg),
            parameter("updated_since", UpdatedSince),
            parameter("first", First),
            parameter("after", After),
            parameter("last", Last),
            parameter("before", Before),
        ],
        return_annotation=Connection[node],
    )
    spec = ConnectionSpec(node_class, listing, rows, where)
    return strawberry.field(resolver=resolve, description=description, metadata={COMPUTED: spec})


def list_field(description: str, node: Any, relation: Relation, query: Callable[[], Query]) -> Any:
    """A list of `node`s: every row of `relation` that belongs to the parent, in the order
    `query` gives (for short lists that are not paged, such as an area's dimensions)."""

    @functools.cache
    def node_class() -> Any:
        return _node_class(node)

    async def resolve(self: Any, info: Info) -> list[Any]:
        rows = await info.context.loaders.all_of(relation).load((self.db_id, query()))
        convert = node_class().from_row
        return [convert(row) for row in rows]

    resolve.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [
            inspect.Parameter("self", inspect.Parameter.POSITIONAL_OR_KEYWORD),
            inspect.Parameter("info", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=Info),
        ],
        return_annotation=list[node],
    )
    spec = ListSpec(node_class, relation, query)
    return strawberry.field(resolver=resolve, description=description, metadata={COMPUTED: spec})


def to_one_field(description: str, node: Any, column: str, *, required: bool = False) -> Any:
    """The `node` a foreign-key column of the parent points to: null where it is unset, or
    always there (`required`) where the column is not null. Named like the column without
    `_id` (`province` for `province_id`), a compiled query reads it with a join too."""

    @functools.cache
    def node_class() -> Any:
        return _node_class(node)

    async def resolve(self: Any, info: Info) -> Any:
        related = await load_related(info, node_class(), getattr(self, column))
        assert related is not None or not required  # a foreign key that is not null
        return related

    resolve.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [
            inspect.Parameter("self", inspect.Parameter.POSITIONAL_OR_KEYWORD),
            inspect.Parameter("info", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=Info),
        ],
        return_annotation=node if required else Optional[node],  # noqa: UP045  (a lazy type)
    )
    return strawberry.field(resolver=resolve, description=description)


def lookup(node: Any) -> dict[str, Lookup]:
    """The metadata of a root field that finds one `node` by its natural key, so that a
    compiled query can answer it too."""
    return {COMPUTED: Lookup(lambda: node)}
