"""Limits checked before execution, and each request's cost.

A document is summarised once against the schema, with the request's coerced variables, to
find its depth, its aliases, its fields once fragments are expanded, the number of nodes it
could return (each connection's page size, `first`/`last` or the default, times the page
sizes of the connections around it) and the number of page fetches that takes, as GitHub
counts them. Over a limit, the request is refused before anything runs; within them, it
costs one point per hundred page fetches (at least one), charged to the client's budget.

The work is linear in the document: every selection set is summarised once, and a fragment
spread many times is summarised once and then multiplied, so a "diamond" of fragments that
each spread the next one twice costs nothing to analyse however large it expands to.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLField,
    GraphQLNamedType,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    get_named_type,
)
from graphql.execution.values import VariableValues, get_argument_values, get_variable_values
from graphql.type.introspection import SchemaMetaFieldDef, TypeMetaFieldDef

from db.enums import KeyRole
from schema.errors import ApiError
from schema.pagination import DEFAULT_PAGE_SIZE, check_page_size

MAX_DEPTH = 15  # GraphiQL's introspection query needs 13
MAX_ALIASES = 30
MAX_TOKENS = 5_000
MAX_OPERATIONS = 10  # per batched request
# GraphiQL's introspection query selects 220 fields once its fragments are expanded; the
# token limit alone allows about 2,500 without fragments.
MAX_FIELDS = 2_000
# GitHub allows 500,000. The whole dataset is about 2,000 records, so ours is lower: three
# nested connections at the default page size (127,550 nodes) fit, three nested full pages
# of 100 (1,010,100) do not. Partners who want everything use the bulk downloads.
MAX_NODES = 200_000
FETCHES_PER_POINT = 100
# A write costs as much as a thousand page fetches, ten points: an editor's key can make a
# few thousand edits a window, and a runaway script cannot crowd out everyone's reads.
WRITE_FETCHES = 1_000
REQUIRES = "requires"  # field metadata: the least role that may select it
# Counts stop growing here: far past every limit, and it keeps a hostile document's
# arithmetic (2^2500 for a chain of 2,500 doubling fragments) and its error message small.
_CEILING = 10**15


class QueryTooDeepError(ApiError):
    code = "QUERY_TOO_DEEP"


class TooManyAliasesError(ApiError):
    code = "TOO_MANY_ALIASES"


class TooManyFieldsError(ApiError):
    code = "TOO_MANY_FIELDS"


class TooManyNodesError(ApiError):
    code = "TOO_MANY_NODES"


class RateLimitedError(ApiError):
    code = "RATE_LIMITED"


class ForbiddenError(ApiError):
    code = "FORBIDDEN"


@dataclass(frozen=True)
class Analysis:
    depth: int
    aliases: int
    fields: int  # field selections once fragments are expanded
    nodes: int
    fetches: int  # page fetches: each list field once per parent object
    role: KeyRole | None = None  # the least role a client needs to run it; None: anyone

    @property
    def cost(self) -> int:
        return points(self.fetches)

    def __add__(self, other: Analysis) -> Analysis:
        """Two selections side by side in one selection set."""
        return Analysis(
            depth=max(self.depth, other.depth),
            aliases=_capped(self.aliases + other.aliases),
            fields=_capped(self.fields + other.fields),
            nodes=_capped(self.nodes + other.nodes),
            fetches=_capped(self.fetches + other.fetches),
            role=_higher(self.role, other.role),
        )


def _higher(one: KeyRole | None, other: KeyRole | None) -> KeyRole | None:
    if one is None or (other is not None and other.includes(one)):
        return other
    return one


NOTHING = Analysis(depth=0, aliases=0, fields=0, nodes=0, fetches=0)


def _capped(value: int) -> int:
    return min(value, _CEILING)


def points(fetches: int) -> int:
    """What `fetches` page fetches cost: one point per hundred, at least one."""
    return max(1, math.ceil(fetches / FETCHES_PER_POINT))


class _Summariser:
    """Summarises selection sets per object of their parent type; a fragment's summary is
    computed once and reused at every spread."""

    def __init__(
        self, schema: GraphQLSchema, document: DocumentNode, variables: VariableValues | None
    ) -> None:
        self.schema = schema
        self.variables = variables
        self.definitions = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }
        self.fragments: dict[str, Analysis] = {}

    def selection_set(self, selection_set: SelectionSetNode, parent: GraphQLNamedType) -> Analysis:
        total = NOTHING
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                total += self.field(selection, parent)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                target = self.schema.get_type(condition.name.value) if condition else None
                total += self.selection_set(selection.selection_set, target or parent)
            elif isinstance(selection, FragmentSpreadNode):
                total += self.fragment(selection.name.value, parent)
        return total

    def fragment(self, name: str, parent: GraphQLNamedType) -> Analysis:
        if name not in self.fragments:
            # Validation has refused cycles; should one slip through, it counts as empty.
            self.fragments[name] = NOTHING
            definition = self.definitions.get(name)
            if definition is not None:
                target = self.schema.get_type(definition.type_condition.name.value)
                self.fragments[name] = self.selection_set(
                    definition.selection_set, target or parent
                )
        return self.fragments[name]

    def field(self, field: FieldNode, parent: GraphQLNamedType) -> Analysis:
        alias = 0 if field.alias is None else 1
        definition = _definition(parent, field.name.value)
        writes = parent is self.schema.mutation_type
        own = Analysis(
            depth=1,
            aliases=alias,
            fields=1,
            nodes=0,
            fetches=WRITE_FETCHES if writes else 0,
            role=KeyRole.EDITOR if writes else _role_of(definition),
        )
        if definition is None or field.selection_set is None:
            return own
        child = get_named_type(definition.type)
        size = self.page_size(field, definition, child.name)
        below = self.selection_set(field.selection_set, child)
        listed = child.name.endswith("Connection") or size > 1
        return Analysis(
            depth=1 + below.depth,
            aliases=_capped(alias + below.aliases),
            fields=_capped(1 + below.fields),
            nodes=_capped((size if listed else 0) + size * below.nodes),
            fetches=_capped(own.fetches + (1 if listed else 0) + size * below.fetches),
            role=_higher(own.role, below.role),
        )

    def page_size(self, field: FieldNode, definition: GraphQLField, type_name: str) -> int:
        """How many objects `field` can return for one parent; a page size outside 1 to
        100 is refused here, before anything runs."""
        if not {"first", "last", "ids"} & definition.args.keys():
            return 1
        try:
            # With the field's own defaults filled in: a field with its own default page
            # (search, rankings, the change feed) declares it as `first`'s default.
            arguments = get_argument_values(definition, field, self.variables)
        except GraphQLError:
            arguments = {}  # a bad value: execution reports it, at its place
        for name in ("first", "last"):
            value = arguments.get(name)
            if isinstance(value, int):
                check_page_size(name, value, location=field)
                return value
        ids = arguments.get("ids")
        if isinstance(ids, list):
            return len(ids)
        return DEFAULT_PAGE_SIZE if type_name.endswith("Connection") else 1


def _role_of(definition: GraphQLField | None) -> KeyRole | None:
    """The role a field's metadata asks for (`requires`), if any."""
    strawberry_field = (
        (definition.extensions or {}).get("strawberry-definition") if definition else None
    )
    metadata = getattr(strawberry_field, "metadata", None) or {}
    role: KeyRole | None = metadata.get(REQUIRES)
    return role


def requires(role: KeyRole) -> dict[str, KeyRole]:
    """The metadata of a field only clients with `role` may select (`strawberry.field`'s
    `metadata=`): a request selecting it is refused with FORBIDDEN before anything runs."""
    return {REQUIRES: role}


def _definition(parent: GraphQLNamedType, name: str) -> GraphQLField | None:
    if name == "__schema":
        return SchemaMetaFieldDef
    if name == "__type":
        return TypeMetaFieldDef
    fields: Mapping[str, GraphQLField] = getattr(parent, "fields", {})
    return fields.get(name)


def analyse(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation_name: str | None,
    variables: Mapping[str, Any] | None,
) -> Analysis:
    """The operation's summary, on its variables coerced as execution will coerce them.
    Variables that do not coerce leave the page sizes at their defaults: execution then
    refuses the request before it reads anything."""
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    chosen = [
        op
        for op in operations
        if operation_name is None or (op.name is not None and op.name.value == operation_name)
    ]
    if not chosen:
        return NOTHING
    operation = chosen[0]
    root = schema.get_root_type(operation.operation)
    if root is None:
        return NOTHING
    coerced = get_variable_values(
        schema, operation.variable_definitions or (), dict(variables or {}), max_errors=1
    )
    summariser = _Summariser(schema, document, None if isinstance(coerced, list) else coerced)
    return summariser.selection_set(operation.selection_set, root)


def check(analysis: Analysis) -> None:
    """Refuse, with a coded error, a request over any limit."""
    if analysis.depth > MAX_DEPTH:
        raise QueryTooDeepError(
            f"the query is {analysis.depth} levels deep; the limit is {MAX_DEPTH}",
            depth=analysis.depth,
            maximum=MAX_DEPTH,
        )
    if analysis.fields > MAX_FIELDS:
        raise TooManyFieldsError(
            f"the query selects {_count(analysis.fields)} fields once its fragments are "
            f"expanded; the limit is {MAX_FIELDS}",
            fields=analysis.fields,
            maximum=MAX_FIELDS,
        )
    if analysis.aliases > MAX_ALIASES:
        raise TooManyAliasesError(
            f"the query has {_count(analysis.aliases)} aliases; the limit is {MAX_ALIASES}",
            aliases=analysis.aliases,
            maximum=MAX_ALIASES,
        )
    if analysis.nodes > MAX_NODES:
        raise TooManyNodesError(
            f"the query could return {_count(analysis.nodes)} nodes; the limit is "
            f"{MAX_NODES}. Ask for smaller pages, or use the bulk downloads for everything.",
            nodes=analysis.nodes,
            maximum=MAX_NODES,
        )


def permit(analysis: Analysis, role: KeyRole | None) -> None:
    """Refuse, with FORBIDDEN, an operation the client's role (None: anonymous) may not run."""
    if analysis.role is not None:
        what = "a mutation" if analysis.role is KeyRole.EDITOR else "this operation"
        permit_role(analysis.role, role, what)


def permit_role(needed: KeyRole, role: KeyRole | None, what: str) -> None:
    """Refuse, with FORBIDDEN, `what` (an operation, an upload) to a client below `needed`."""
    if role is not None and role.includes(needed):
        return
    holder = "no API key" if role is None else f"a {role.lower()}'s key"
    raise ForbiddenError(
        f"{what} needs the key of an {needed.lower()} (or a higher role); this request has "
        f"{holder}",
        role=needed.value,
    )


def _count(value: int) -> str:
    return f"more than {_CEILING - 1:,}" if value >= _CEILING else f"{value:,}"


def actual_nodes(data: Any) -> int:
    """How many objects a result holds in lists: the nodes it really returned."""
    count = 0
    pending = [data]
    while pending:  # a loop, not recursion: it runs over every answer, large ones too
        value = pending.pop()
        if type(value) is list:
            count += len(value)
            items: Any = value
        elif type(value) is dict:
            items = value.values()
        else:
            continue
        for item in items:  # only what may hold lists waits its turn, not every leaf
            if type(item) is dict or type(item) is list:
                pending.append(item)
    return count
