"""Relay's `node` and `nodes`: any record by its global ID."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any, cast

import strawberry

from schema.common import FromRow, load_one
from schema.computed import COMPUTED, ByGlobalId
from schema.context import Info
from schema.errors import ApiError, InvalidArgumentError, InvalidIdError
from schema.node import Node, decode_id
from schema.pagination import MAX_PAGE_SIZE


def _node_type(info: Info, type_name: str) -> FromRow[Node] | None:
    """The Node type of that name in the schema being run, or None: found in the schema
    itself, so no list of types is kept to agree with it."""
    definition = info.schema.get_type_by_name(type_name)
    origin = getattr(definition, "origin", None)
    if isinstance(origin, type) and issubclass(origin, Node):
        return cast(FromRow[Node], origin)  # every Node type is built from a row of its table
    return None


async def load_node(info: Info, type_name: str, key: str) -> Node:
    """A record by type name and natural key, or NOT_FOUND / INVALID_ID."""
    node = _node_type(info, type_name)
    if node is None:
        raise InvalidIdError(f"no type {type_name!r}")
    return await load_one(info, node, key)


async def _node(info: Info, global_id: str) -> Node:
    type_name, key = decode_id(global_id)
    node = _node_type(info, type_name)
    if node is None:
        raise InvalidIdError(f"{global_id!r} is not a valid global ID")
    return await load_one(info, node, key)


Id = Annotated[strawberry.ID, strawberry.argument(description="A global ID.")]


@strawberry.type
class NodeQueries:
    @strawberry.field(
        description="Fetch any object by its global ID (Relay).",
        metadata={COMPUTED: ByGlobalId()},
    )
    async def node(self, info: Info, id: Id) -> Node | None:
        return await _node(info, id)

    @strawberry.field(
        description=(
            f"Fetch up to {MAX_PAGE_SIZE} objects by global ID, in the order given; an unknown "
            "ID gives null at its place and an error naming it."
        ),
        metadata={COMPUTED: ByGlobalId()},
    )
    async def nodes(
        self,
        info: Info,
        ids: Annotated[list[strawberry.ID], strawberry.argument(description="Global IDs.")],
    ) -> list[Node | None]:
        if len(ids) > MAX_PAGE_SIZE:
            raise InvalidArgumentError(f"at most {MAX_PAGE_SIZE} ids at once, got {len(ids)}")

        async def one(global_id: str) -> Any:
            try:
                return await _node(info, global_id)
            except ApiError as error:
                # graphql-core reports an Exception in a list at that item's path.
                return error

        # Together, so each type's loader fetches all its IDs in one statement.
        return list(await asyncio.gather(*(one(global_id) for global_id in ids)))
