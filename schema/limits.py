"""Limits checked before execution, and each request's cost.

A document is walked once against the schema, with the request's variables, to find its
depth, its aliases, the number of nodes it could return (each connection's page size,
`first`/`last` or the default, times the page sizes of the connections around it) and the
number of page fetches that takes, as GitHub counts them. Over a limit, the request is
refused before anything runs; within them, it costs one point per hundred page fetches (at
least one), charged to the client's budget.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLField,
    GraphQLNamedType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    ListValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
    get_named_type,
)
from graphql.type.introspection import SchemaMetaFieldDef, TypeMetaFieldDef

from schema.errors import ApiError
from schema.pagination import DEFAULT_PAGE_SIZE

MAX_DEPTH = 15  # GraphiQL's introspection query needs 13
MAX_ALIASES = 30
MAX_TOKENS = 5_000
MAX_OPERATIONS = 10  # per batched request
# GitHub allows 500,000. The whole dataset is about 2,000 records, so ours is lower: three
# nested connections at the default page size (127,550 nodes) fit, three nested full pages
# of 100 (1,010,100) do not. Partners who want everything use the bulk downloads.
MAX_NODES = 200_000
FETCHES_PER_POINT = 100


class QueryTooDeepError(ApiError):
    code = "QUERY_TOO_DEEP"


class TooManyAliasesError(ApiError):
    code = "TOO_MANY_ALIASES"


class TooManyNodesError(ApiError):
    code = "TOO_MANY_NODES"


class RateLimitedError(ApiError):
    code = "RATE_LIMITED"


@dataclass(frozen=True)
class Analysis:
    depth: int
    aliases: int
    nodes: int
    fetches: int  # page fetches: each list field once per parent object

    @property
    def cost(self) -> int:
        return points(self.fetches)


def points(fetches: int) -> int:
    """What `fetches` page fetches cost: one point per hundred, at least one."""
    return max(1, math.ceil(fetches / FETCHES_PER_POINT))


def _page_size(
    field: FieldNode, definition: GraphQLField, variables: Mapping[str, Any], type_name: str
) -> int:
    arguments = {argument.name.value: argument.value for argument in field.arguments or ()}
    for name in ("first", "last"):
        value = arguments.get(name)
        if isinstance(value, IntValueNode):
            return int(value.value)
        if isinstance(value, VariableNode) and isinstance(variables.get(value.name.value), int):
            return int(variables[value.name.value])
    ids = arguments.get("ids")
    if isinstance(ids, ListValueNode):
        return len(ids.values)
    if isinstance(ids, VariableNode) and isinstance(variables.get(ids.name.value), list):
        return len(variables[ids.name.value])
    # A field with its own default page (search, rankings, the change feed) declares it.
    first = definition.args.get("first")
    if first is not None and isinstance(first.default_value, int):
        return first.default_value
    return DEFAULT_PAGE_SIZE if type_name.endswith("Connection") else 1


class _Walker:
    def __init__(
        self, schema: GraphQLSchema, document: DocumentNode, variables: Mapping[str, Any]
    ) -> None:
        self.schema = schema
        self.variables = variables
        self.fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }
        self.aliases = 0
        self.nodes = 0
        self.fetches = 0

    def _fields(
        self, selection_set: SelectionSetNode, parent: GraphQLNamedType, seen: frozenset[str]
    ) -> Iterator[tuple[FieldNode, GraphQLNamedType]]:
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                yield selection, parent
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                target = self.schema.get_type(condition.name.value) if condition else parent
                yield from self._fields(selection.selection_set, target or parent, seen)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = self.fragments.get(name)
                if fragment is not None and name not in seen:
                    target = self.schema.get_type(fragment.type_condition.name.value)
                    yield from self._fields(fragment.selection_set, target or parent, seen | {name})

    def walk(
        self, selection_set: SelectionSetNode, parent: GraphQLNamedType, multiplier: int
    ) -> int:
        """The depth below `selection_set`; counts aliases and nodes on the way."""
        deepest = 0
        for field, owner in self._fields(selection_set, parent, frozenset()):
            if field.alias is not None:
                self.aliases += 1
            name = field.name.value
            definition: GraphQLField | None
            if name == "__schema":
                definition = SchemaMetaFieldDef
            elif name == "__type":
                definition = TypeMetaFieldDef
            else:
                definition = getattr(owner, "fields", {}).get(name)
            if definition is None or field.selection_set is None:
                deepest = max(deepest, 1)
                continue
            child = get_named_type(definition.type)
            size = _page_size(field, definition, self.variables, child.name)
            pages = multiplier * size
            if child.name.endswith("Connection") or size > 1:
                self.nodes += pages
                self.fetches += multiplier
            deepest = max(deepest, 1 + self.walk(field.selection_set, child, pages))
        return deepest


def analyse(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation_name: str | None,
    variables: Mapping[str, Any] | None,
) -> Analysis:
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    chosen = [
        op
        for op in operations
        if operation_name is None or (op.name is not None and op.name.value == operation_name)
    ]
    walker = _Walker(schema, document, variables or {})
    depth = 0
    for operation in chosen[:1]:
        root = schema.get_root_type(operation.operation)
        if root is not None:
            depth = walker.walk(operation.selection_set, root, 1)
    return Analysis(depth=depth, aliases=walker.aliases, nodes=walker.nodes, fetches=walker.fetches)


def check(analysis: Analysis) -> None:
    """Refuse, with a coded error, a request over any limit."""
    if analysis.depth > MAX_DEPTH:
        raise QueryTooDeepError(
            f"the query is {analysis.depth} levels deep; the limit is {MAX_DEPTH}",
            depth=analysis.depth,
            maximum=MAX_DEPTH,
        )
    if analysis.aliases > MAX_ALIASES:
        raise TooManyAliasesError(
            f"the query has {analysis.aliases} aliases; the limit is {MAX_ALIASES}",
            aliases=analysis.aliases,
            maximum=MAX_ALIASES,
        )
    if analysis.nodes > MAX_NODES:
        raise TooManyNodesError(
            f"the query could return {analysis.nodes} nodes; the limit is {MAX_NODES}. "
            "Ask for smaller pages, or use the bulk downloads for everything.",
            nodes=analysis.nodes,
            maximum=MAX_NODES,
        )


def actual_nodes(data: Any) -> int:
    """How many objects a result holds in lists: the nodes it really returned."""
    if isinstance(data, dict):
        return sum(actual_nodes(value) for value in data.values())
    if isinstance(data, list):
        return sum(1 + actual_nodes(item) for item in data)
    return 0
