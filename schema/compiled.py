"""Compiled queries: an operation answered by one SQL statement that builds its JSON inside
the database, as PostGraphile and Hasura do, instead of one resolver call per field.

The compiler reads the same declarations the resolvers are built from (each connection
field's `Listing` and rows, each type's table and `DERIVED` fields, `localized` fields, the
natural keys in the registry), so both ways answer alike; `tests/test_compiled.py` checks
that they do, on generated queries. What it cannot express (summaries, search, the change
feed, unions and interfaces, lists that are not connections, a lookup that finds nothing and
so must report NOT_FOUND) raises `Unsupported`, and the resolvers answer the whole operation.

Values leave the database as stored and are finished in Python by the column's type and
the field's GraphQL type: exact decimals, UTC timestamps, global IDs and cursors are built
here exactly as the resolvers build them.
"""

from __future__ import annotations

import itertools
import json
import logging
from collections.abc import AsyncIterator, Callable, Iterator
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, Literal

import orjson
import sqlalchemy as sa
import strawberry
from graphql import (
    DocumentNode,
    ExecutionResult,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLEnumType,
    GraphQLIncludeDirective,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLSkipDirective,
    InlineFragmentNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    get_named_type,
)
from graphql.execution.values import (
    VariableValues,
    get_argument_values,
    get_directive_values,
    get_variable_values,
)
from sqlalchemy.engine import Dialect
from sqlmodel import AutoString, col
from strawberry.extensions import SchemaExtension
from strawberry.types.arguments import convert_arguments
from strawberry.types.base import StrawberryObjectDefinition
from strawberry.types.field import StrawberryField

from db.access import Db, DriverStatementError, Rendered
from db.engine import is_unavailable
from db.entities import BY_MODEL, NODES
from db.ids import global_id
from db.loaders import Query, Relation, in_slice
from db.search import fold, ranked
from db.tables import Citation
from db.tables import Source as SourceRow
from db.types import ExactDecimal, UtcDateTime
from schema.common import in_language
from schema.computed import (
    COMPUTED,
    Built,
    ByGlobalId,
    Cited,
    ConnectionSpec,
    Derived,
    ListSpec,
    Localized,
    Lookup,
    Searched,
)
from schema.document_cache import ValidDocuments
from schema.errors import ApiError
from schema.node import decode_id
from schema.pagination import (
    MAX_PAGE_SIZE,
    PageArgs,
    check_page_size,
    encode_cursor,
    page_slice,
    window,
)
from schema.protection import ANALYSIS
from schema.recent import Recent

Finish = Callable[[Any], Any]
logger = logging.getLogger("smartcity.compiled")


class Unsupported(Exception):
    """Part of an operation the compiler does not express: the resolvers answer it."""


class _Json:
    """JSON built in SQL, for one database."""

    def __init__(self, dialect: str) -> None:
        self.postgres = dialect == "postgresql"

    def object(self, pairs: list[tuple[str, Any]]) -> Any:
        arguments: list[Any] = []
        for key, value in pairs:
            arguments += [sa.literal_column(f"'{key}'"), value]
        if self.postgres:
            return sa.func.json_build_object(*arguments)
        return sa.func.json_object(*arguments)

    def nested(self, value: Any) -> Any:
        """A JSON value from a subquery, kept JSON (SQLite would embed its text as a string)."""
        return value if self.postgres else sa.func.json(value)

    def array(self, value: Any) -> Any:
        return sa.func.json_agg(value) if self.postgres else sa.func.json_group_array(value)

    def row(self, values: list[Any]) -> Any:
        """A row's values as a JSON array."""
        return sa.func.json_build_array(*values) if self.postgres else sa.func.json_array(*values)

    def column(self, column: Any) -> Any:
        if not self.postgres and isinstance(column.type, sa.JSON):
            return sa.func.json(column)
        return column


def _python(column: Any, raw: Any, postgres: bool) -> Any:
    """A stored value as the resolvers see it, from its JSON form."""
    if raw is None:
        return None
    kind = column.type
    if isinstance(kind, ExactDecimal):
        return Decimal(raw) if postgres else Decimal(int(raw)).scaleb(-kind.scale)
    if isinstance(kind, UtcDateTime):
        when = datetime.fromisoformat(raw)
        return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)
    if isinstance(kind, sa.Enum) and kind.enum_class is not None:
        return kind.enum_class[raw]
    if isinstance(kind, sa.Boolean):
        return bool(raw)
    if isinstance(kind, sa.Float):
        return float(raw)
    return raw


def _leaf(graphql_type: Any) -> Finish:
    """How a Python value is shown: the field's own scalar or enum serializer."""
    named = get_named_type(graphql_type)
    if isinstance(named, GraphQLScalarType | GraphQLEnumType):
        serialize = named.serialize
        return lambda value: None if value is None else serialize(value)
    raise Unsupported(f"{named.name} is not a leaf")


# Column types whose JSON is text, a whole number or a boolean: never a fraction.
_WHOLE = (sa.String, AutoString, sa.Integer, sa.Boolean, sa.Enum, sa.Date, sa.DateTime, UtcDateTime)


class _Plain:
    """A field shown exactly as the database gives it in JSON (text shown as a String or an
    ID): `_object` copies it without a call per value, the bulk of most answers."""

    def __init__(self, key: str) -> None:
        self.key = key


def _column(column: Any, graphql_type: Any, key: str, postgres: bool) -> Finish | _Plain:
    """How a column's JSON value is shown, worked out once per plan rather than per value."""
    kind = column.type
    named = get_named_type(graphql_type)
    if isinstance(kind, sa.Enum) and kind.enum_class is not None:
        if not isinstance(named, GraphQLEnumType):
            raise Unsupported(f"{named.name} shows an enum column")
        names = {member.name: named.serialize(member) for member in kind.enum_class}

        def enum(raw: Any) -> Any:
            value = raw[key]
            if value is None:
                return None
            if value not in names:
                raise Unsupported(f"{value!r} is no {named.name}")
            return names[value]

        return enum
    if isinstance(kind, sa.String | AutoString) and named.name in ("String", "ID"):
        return _Plain(key)
    leaf = _leaf(graphql_type)
    return lambda raw: leaf(_python(column, raw[key], postgres))


def _attribute(name: str, shown: Finish) -> Finish:
    return lambda value: shown(getattr(value, name))


def _called(resolver: Callable[..., Any], arguments: dict[str, Any], shown: Finish) -> Finish:
    return lambda value: shown(resolver(value, **arguments))


def _constant(value: Any) -> Finish:
    return lambda _raw: value


def _required(graphql_type: Any, finish: Finish) -> Finish:
    """A non-null field that would come out null is the resolvers' error to report."""
    if not isinstance(graphql_type, GraphQLNonNull):
        return finish

    def checked(raw: Any) -> Any:
        value = finish(raw)
        if value is None:
            raise Unsupported("a non-null field is null")
        return value

    return checked


class Compiler:
    """Compiles one operation; `run` answers it, or raises `Unsupported`."""

    def __init__(
        self,
        schema: strawberry.Schema,
        document: DocumentNode,
        operation: OperationDefinitionNode,
        variables: VariableValues,
        dialect: str,
    ) -> None:
        self.schema = schema
        self.graphql = schema._schema
        self.variables = variables
        self.fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }
        self.operation = operation
        self.dialect = dialect
        self.json = _Json(dialect)
        self.names = (f"k{n}" for n in itertools.count())
        # Whether the answer may hold a number with a fraction (a decimal amount, a float,
        # JSON), which must be read as an exact `Decimal`.
        self.fractions = False

    # -- selections -------------------------------------------------------------------------

    def _included(self, node: Any) -> bool:
        skip = get_directive_values(GraphQLSkipDirective, node, self.variables)
        if skip and skip.get("if"):
            return False
        include = get_directive_values(GraphQLIncludeDirective, node, self.variables)
        return not (include and not include.get("if"))

    def _fields(
        self, selection_set: SelectionSetNode, parent: GraphQLObjectType
    ) -> Iterator[tuple[str, FieldNode]]:
        """Each selected field with its response key, in the order they are answered."""
        names = {parent.name, *(interface.name for interface in parent.interfaces)}
        for selection in selection_set.selections:
            if not self._included(selection):
                continue
            if isinstance(selection, FieldNode):
                key = selection.alias.value if selection.alias else selection.name.value
                yield key, selection
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                if condition is None or condition.name.value in names:
                    yield from self._fields(selection.selection_set, parent)
            elif isinstance(selection, FragmentSpreadNode):
                fragment = self.fragments[selection.name.value]
                if fragment.type_condition.name.value in names:
                    yield from self._fields(fragment.selection_set, parent)

    def _grouped(
        self, selection_set: SelectionSetNode, parent: GraphQLObjectType
    ) -> dict[str, list[FieldNode]]:
        grouped: dict[str, list[FieldNode]] = {}
        for key, node in self._fields(selection_set, parent):
            grouped.setdefault(key, []).append(node)
        return grouped

    def _merged(self, nodes: list[FieldNode]) -> SelectionSetNode:
        """The sub-selections of every node of one response key, as one selection set."""
        selections = [
            s for node in nodes if node.selection_set for s in node.selection_set.selections
        ]
        return SelectionSetNode(selections=tuple(selections))

    def _strawberry_field(self, parent: GraphQLObjectType, name: str) -> StrawberryField:
        definition = self.schema.get_type_by_name(parent.name)
        if not isinstance(definition, StrawberryObjectDefinition):
            raise Unsupported(parent.name)
        converter = self.schema.config.name_converter
        for field in definition.fields:
            if converter.get_graphql_name(field) == name:
                return field
        raise Unsupported(f"{parent.name}.{name}")

    def _arguments(
        self, parent: GraphQLObjectType, node: FieldNode, field: StrawberryField
    ) -> dict[str, Any]:
        """The field's arguments as its resolver receives them."""
        values = get_argument_values(parent.fields[node.name.value], node, self.variables)
        return convert_arguments(
            values,
            field.arguments,
            scalar_registry=self.schema.schema_converter.scalar_registry,
            config=self.schema.config,
        )

    # -- objects ----------------------------------------------------------------------------

    def _object(
        self, graphql_type: GraphQLObjectType, cls: Any, source: Any, nodes: list[FieldNode]
    ) -> tuple[Any, Finish]:
        """A JSON object of the selected fields of the record `source` gives (an alias of its
        table, or a subquery over it), and how to finish it."""
        table = cls.table
        row = source.c
        pairs: list[tuple[str, Any]] = []
        # (response key, JSON key of a plain value or how to finish it, whether required)
        finishers: list[tuple[str, str | Finish, bool]] = []
        derived: dict[str, Derived] = getattr(cls, "DERIVED", {})
        columns = {column.name: column for column in table.__table__.c}

        def read(name: str) -> tuple[str, Any]:
            key = next(self.names)
            pairs.append((key, self.json.column(getattr(row, name))))
            if not isinstance(columns[name].type, _WHOLE):
                self.fractions = True
            return key, columns[name]

        for response_key, field_nodes in self._grouped(self._merged(nodes), graphql_type).items():
            node = field_nodes[0]
            name = node.name.value
            if name == "__typename":
                finishers.append((response_key, _constant(graphql_type.name), False))
                continue
            definition = graphql_type.fields.get(name)
            if definition is None:
                raise Unsupported(name)
            field = self._strawberry_field(graphql_type, name)
            finish = self._field(
                graphql_type,
                cls,
                field,
                definition,
                field_nodes,
                source,
                read,
                pairs,
                derived,
                columns,
            )
            required = isinstance(definition.type, GraphQLNonNull)
            plain = finish.key if isinstance(finish, _Plain) else finish
            finishers.append((response_key, plain, required))

        def finish_object(raw: Any) -> Any:
            if raw is None:
                return None
            shown = {}
            for response_key, value, required in finishers:
                found = raw[value] if isinstance(value, str) else value(raw)
                shown[response_key] = found
                if found is None and required:
                    raise Unsupported("a non-null field is null")
            return shown

        return self.json.object(pairs) if pairs else self.json.object(
            [("_", sa.literal(1))]
        ), finish_object

    def _field(
        self,
        parent: GraphQLObjectType,
        cls: Any,
        field: StrawberryField,
        definition: Any,
        nodes: list[FieldNode],
        source: Any,
        read: Callable[[str], tuple[str, Any]],
        pairs: list[tuple[str, Any]],
        derived: dict[str, Derived],
        columns: dict[str, Any],
    ) -> Finish | _Plain:
        postgres = self.json.postgres
        name = field.python_name
        computed = field.metadata.get(COMPUTED) if field.metadata else None
        if name == "id" and field.base_resolver is None:
            entity = BY_MODEL[cls.table]
            key, _ = read(entity.key)
            return lambda raw: global_id(entity.type_name, str(raw[key]))
        if name in derived:
            spec = derived[name]
            reads = [read(column) for column in spec.columns]
            shown = self._complete(definition.type, nodes)
            return lambda raw: shown(
                spec.compute(*(_python(column, raw[key], postgres) for key, column in reads))
            )
        if isinstance(computed, Localized):
            th_key, _ = read(computed.th)
            en_key, _ = read(computed.en)
            lang = self._arguments(parent, nodes[0], field)["lang"]
            return lambda raw: in_language(lang, raw[th_key], raw[en_key])
        if isinstance(computed, ConnectionSpec):
            return self._connection(computed, field, parent, nodes, source, pairs)
        if isinstance(computed, ListSpec):
            return self._list(
                computed.node(),
                computed.relation,
                computed.query(),
                definition,
                nodes,
                source,
                pairs,
            )
        if isinstance(computed, Cited):
            citations = Relation(SourceRow, col(Citation.subject_id), link=col(Citation.source_id))
            cited = Query(
                key="sources",
                where=col(Citation.subject_type) == str(cls.table.__tablename__),
                order_by=(col(SourceRow.key),),
            )
            return self._list(
                self._class(get_named_type(definition.type)),
                citations,
                cited,
                definition,
                nodes,
                source,
                pairs,
            )
        if field.base_resolver is None and name in columns:
            key, column = read(name)
            return _column(column, definition.type, key, postgres)
        if field.base_resolver is not None and f"{name}_id" in columns:
            return self._to_one(definition, nodes, source, f"{name}_id", pairs)
        raise Unsupported(f"{parent.name}.{name}")

    def _to_one(
        self,
        definition: Any,
        nodes: list[FieldNode],
        source: Any,
        column: str,
        pairs: list[tuple[str, Any]],
    ) -> Finish:
        """A record a foreign key points to, as a correlated subquery."""
        named = get_named_type(definition.type)
        if not isinstance(named, GraphQLObjectType) or isinstance(definition.type, GraphQLList):
            raise Unsupported(named.name)
        target = self._class(named)
        related = target.table.__table__.alias()
        obj, finish = self._object(named, target, related, nodes)
        subquery = (
            sa.select(obj)
            .where(related.c.id == source.c[column])
            .correlate(source)
            .scalar_subquery()
        )
        key = next(self.names)
        pairs.append((key, self.json.nested(subquery)))
        return lambda raw: finish(raw[key])

    def _list(
        self,
        cls: Any,
        relation: Relation,
        query: Query,
        definition: Any,
        nodes: list[FieldNode],
        source: Any,
        pairs: list[tuple[str, Any]],
    ) -> Finish:
        """Every row of a relation that belongs to the record `source` gives, in `query`'s
        order (numbered in SQL, put in order here: SQLite keeps no order in an aggregate)."""
        named = get_named_type(definition.type)
        if not isinstance(named, GraphQLObjectType):
            raise Unsupported(named.name)
        ordering = (*query.order_by, col(relation.target.id))
        numbered = (
            relation.select(
                (sa.func.row_number().over(order_by=ordering) - 1).label("page_position")
            )
            .where(relation.parent == source.c.id, query.where)
            .correlate(source)
            .subquery()
        )
        obj, finish = self._object(named, cls, numbered, nodes)
        item = self.json.object([("p", numbered.c.page_position), ("o", obj)])
        rows = sa.select(self.json.array(item)).select_from(numbered).scalar_subquery()
        key = next(self.names)
        pairs.append((key, self.json.nested(rows)))
        return lambda raw: [
            finish(entry["o"]) for entry in sorted(raw[key] or [], key=lambda entry: entry["p"])
        ]

    def _class(self, graphql_type: GraphQLObjectType) -> Any:
        definition = self.schema.get_type_by_name(graphql_type.name)
        origin = getattr(definition, "origin", None)
        if origin is None or not hasattr(origin, "table"):
            raise Unsupported(graphql_type.name)
        return origin

    # -- connections ------------------------------------------------------------------------

    def _connection(
        self,
        spec: ConnectionSpec,
        field: StrawberryField,
        parent: GraphQLObjectType,
        nodes: list[FieldNode],
        source: Any,
        pairs: list[tuple[str, Any]],
    ) -> Finish:
        """A page of a list, as two subqueries: how long the whole list is, and the page's
        rows numbered by a window function (correlated to the parent `source`, if any)."""
        arguments = self._arguments(parent, nodes[0], field)
        try:
            part = page_slice(
                PageArgs(
                    arguments.get("first"),
                    arguments.get("after"),
                    arguments.get("last"),
                    arguments.get("before"),
                )
            )
            query = spec.listing._build(
                arguments.get("where_"), arguments.get("order_by"), arguments.get("updated_since")
            )
        except ApiError as error:
            raise Unsupported(error.message) from None
        connection_type = get_named_type(parent.fields[nodes[0].name.value].type)
        assert isinstance(connection_type, GraphQLObjectType)
        node_type = get_named_type(connection_type.fields["nodes"].type)
        assert isinstance(node_type, GraphQLObjectType)
        cls = spec.node()
        table = cls.table

        rows = spec.rows
        if isinstance(rows, Relation):
            base = rows.select().where(rows.parent == source.c.id).correlate(source)
        else:
            base = sa.select(*table.__table__.c)
            if spec.where is not None:
                base = base.where(spec.where)
        base = base.where(query.where)
        ordering = (*query.order_by, table.__table__.c.id)
        wanted = list(self._grouped(self._merged(nodes), connection_type).items())
        # The list's length is counted only where the answer shows it or the page depends on
        # it (`last` counts back from the end).
        needs_total = part.last is not None or any(
            n.name.value in ("totalCount", "pageInfo") for _, group in wanted for n in group
        )
        numbering = (sa.func.row_number().over(order_by=ordering) - 1).label("page_position")
        if part.last is None:
            # Counting from the front, the rows past the page's end are never needed: the
            # database stops there (an index in the list's order lets it stop early).
            start = 0 if part.after is None else part.after + 1
            numbered = (
                base.add_columns(numbering)
                .order_by(*ordering)
                .limit(start + (part.first or 0))
                .subquery()
            )
            total_column = None
        else:
            numbered = base.add_columns(
                numbering, sa.func.count().over().label("page_total")
            ).subquery()
            total_column = numbered.c.page_total
        position = numbered.c.page_position
        # Every selection of the nodes, whether under `nodes` or `edges { node }`: one object
        # per row answers both.
        node_nodes = [n for _, group in wanted for n in group if n.name.value == "nodes"]
        edge_type = get_named_type(connection_type.fields["edges"].type)
        assert isinstance(edge_type, GraphQLObjectType)
        for edges in (n for _, group in wanted for n in group if n.name.value == "edges"):
            for edge_fields in self._grouped(self._merged([edges]), edge_type).values():
                node_nodes.extend(n for n in edge_fields if n.name.value == "node")
        obj, finish_node = self._object(node_type, cls, numbered, node_nodes)
        item = self.json.object([("p", position), ("o", obj)])
        page = (
            sa.select(self.json.array(item))
            .select_from(numbered)
            .where(in_slice(position, total_column, part))
            .scalar_subquery()
        )
        count_key, page_key = next(self.names), next(self.names)
        if needs_total:
            counted = base.with_only_columns(sa.func.count(), maintain_column_froms=True)
            pairs.append((count_key, counted.scalar_subquery()))
        pairs.append((page_key, self.json.nested(page)))

        finishers = []
        for key, field_nodes in wanted:
            finishers.append(
                (key, self._connection_part(connection_type, field_nodes, finish_node))
            )

        def finish(raw: Any) -> Any:
            items = sorted(raw[page_key] or [], key=lambda entry: entry["p"])
            if needs_total:
                total = int(raw[count_key])
                start, end = window(part, total)
            else:  # nothing shown depends on the length: the page is as far as rows go
                total = -1
                start = 0 if part.after is None else part.after + 1
                end = start + (part.first or 0)
                if part.before is not None:
                    end = min(end, part.before)
            shown = [entry for entry in items if start <= entry["p"] < end]
            context = (total, start, shown)
            return {key: part_finish(context) for key, part_finish in finishers}

        return finish

    def _subfields(
        self, parent: GraphQLObjectType, nodes: list[FieldNode]
    ) -> tuple[GraphQLObjectType, list[tuple[str, str]]]:
        """The object type of the field `nodes` select on `parent`, and each of its selected
        fields as (response key, field name)."""
        named = get_named_type(parent.fields[nodes[0].name.value].type)
        assert isinstance(named, GraphQLObjectType)
        grouped = self._grouped(self._merged(nodes), named)
        return named, [(key, group[0].name.value) for key, group in grouped.items()]

    def _connection_part(
        self,
        connection_type: GraphQLObjectType,
        nodes: list[FieldNode],
        finish_node: Finish,
    ) -> Callable[[tuple[int, int, list[Any]]], Any]:
        name = nodes[0].name.value
        if name == "__typename":
            return lambda _context: connection_type.name
        if name == "totalCount":
            return lambda context: context[0]
        if name == "nodes":
            return lambda context: [finish_node(entry["o"]) for entry in context[2]]
        if name == "pageInfo":
            info_type, parts = self._subfields(connection_type, nodes)

            def page_info(context: tuple[int, int, list[Any]]) -> Any:
                total, start, shown = context
                end = start + len(shown)
                values = {
                    "__typename": info_type.name,
                    "hasNextPage": end < total,
                    "hasPreviousPage": start > 0,
                    "startCursor": encode_cursor(shown[0]["p"]) if shown else None,
                    "endCursor": encode_cursor(shown[-1]["p"]) if shown else None,
                }
                return {k: values[n] for k, n in parts}

            return page_info
        if name == "edges":
            edge_type, parts = self._subfields(connection_type, nodes)

            def edges(context: tuple[int, int, list[Any]]) -> Any:
                shown = context[2]
                made = []
                for entry in shown:
                    values = {
                        "__typename": edge_type.name,
                        "cursor": encode_cursor(entry["p"]),
                        "node": None,
                    }
                    made.append(
                        {k: finish_node(entry["o"]) if n == "node" else values[n] for k, n in parts}
                    )
                return made

            return edges
        raise Unsupported(name)

    # -- the operation ----------------------------------------------------------------------

    def statement(self) -> tuple[Any, Finish]:
        if self.operation.operation is not OperationType.QUERY:
            raise Unsupported("only queries")
        root = self.graphql.query_type
        assert root is not None
        pairs: list[tuple[str, Any]] = []
        finishers: list[tuple[str, Finish]] = []
        for response_key, nodes in self._grouped(self.operation.selection_set, root).items():
            node = nodes[0]
            name = node.name.value
            if name == "__typename":
                finishers.append((response_key, _constant("Query")))
                continue
            field = self._strawberry_field(root, name)
            spec = field.metadata.get(COMPUTED) if field.metadata else None
            definition = root.fields[name]
            if isinstance(spec, ConnectionSpec):
                finish = self._connection(spec, field, root, nodes, None, pairs)
            elif isinstance(spec, Lookup):
                finish = self._lookup(spec, field, root, definition, nodes, pairs)
            elif isinstance(spec, ByGlobalId):
                finish = self._by_global_id(field, root, definition, nodes, pairs)
            elif isinstance(spec, Searched):
                finish = self._search(spec, field, root, nodes, pairs)
            elif isinstance(spec, Built):
                finish = self._built(spec, field, root, definition, nodes, pairs)
            else:
                raise Unsupported(name)
            finishers.append((response_key, _required(definition.type, finish)))
        if not pairs:
            raise Unsupported("nothing to read")
        statement = sa.select(sa.cast(self.json.object(pairs), sa.Text))

        fractions = self.fractions

        def answer(text: str) -> dict[str, Any]:
            # orjson is several times faster, but reads fractions as floats.
            raw = json.loads(text, parse_float=Decimal) if fractions else orjson.loads(text)
            return {key: part(raw) for key, part in finishers}

        return statement, answer

    def _search(
        self,
        spec: Searched,
        field: StrawberryField,
        root: GraphQLObjectType,
        nodes: list[FieldNode],
        pairs: list[tuple[str, Any]],
    ) -> Finish:
        """`search`: the ranked hits (`db.search.ranked`) and their count as subqueries, and
        each hit's record as a subquery of the type its table is searched as."""
        arguments = self._arguments(root, nodes[0], field)
        query, first = arguments["query"], arguments["first"]
        try:
            check_page_size("first", first)
        except ApiError as error:
            raise Unsupported(error.message) from None
        if not fold(query):
            raise Unsupported("an empty search: the resolvers explain")
        ranked_hits, matching = ranked(self.dialect, query, first)
        hits = ranked_hits.subquery()
        results, parts = self._subfields(root, nodes)
        hit_type = get_named_type(results.fields["hits"].type)
        assert isinstance(hit_type, GraphQLObjectType)
        grouped = self._grouped(self._merged(nodes), results)
        hit_nodes = [n for group in grouped.values() for n in group if n.name.value == "hits"]
        hit_parts = list(self._grouped(self._merged(hit_nodes), hit_type).items())
        record_nodes = [n for _, group in hit_parts for n in group if n.name.value == "node"]
        records: dict[str, Finish] = {}
        choices = []
        for table, cls in spec.members().items():
            graphql_type = self.graphql.get_type(cls.__strawberry_definition__.name)
            assert isinstance(graphql_type, GraphQLObjectType)
            source = cls.table.__table__.alias()
            obj, records[table] = self._object(graphql_type, cls, source, record_nodes)
            found = sa.select(obj).where(source.c.id == hits.c.subject_id).correlate(hits)
            choices.append(
                (hits.c.subject_type == table, self.json.nested(found.scalar_subquery()))
            )
        item = self.json.object(
            [
                ("p", hits.c.position),
                ("m", hits.c.tier),
                ("t", hits.c.subject_type),
                ("o", sa.case(*choices, else_=None) if record_nodes else sa.null()),
            ]
        )
        hits_key, total_key = next(self.names), next(self.names)
        pairs.append(
            (
                hits_key,
                self.json.nested(
                    sa.select(self.json.array(item)).select_from(hits).scalar_subquery()
                ),
            )
        )
        counted = matching.with_only_columns(sa.func.count(), maintain_column_froms=True)
        pairs.append((total_key, counted.scalar_subquery()))
        match_type = get_named_type(hit_type.fields["match"].type)
        match = spec.match()

        def hit(entry: Any) -> Any:
            shown: dict[str, Any] = {}
            for key, group in hit_parts:
                name = group[0].name.value
                if name == "__typename":
                    shown[key] = hit_type.name
                elif name == "rank":
                    shown[key] = entry["p"]
                elif name == "match":
                    shown[key] = match_type.serialize(match(entry["m"]))
                elif name == "node":
                    if entry["o"] is None:
                        raise Unsupported("a hit's record is gone: the resolvers report it")
                    shown[key] = records[entry["t"]](entry["o"])
                else:
                    raise Unsupported(name)
            return shown

        def finish(raw: Any) -> Any:
            entries = sorted(raw[hits_key] or [], key=lambda entry: entry["p"])
            total = int(raw[total_key])
            shown: dict[str, Any] = {}
            for key, name in parts:
                if name == "__typename":
                    shown[key] = results.name
                elif name == "totalCount":
                    shown[key] = total
                elif name == "hits":
                    shown[key] = [hit(entry) for entry in entries]
                else:
                    raise Unsupported(name)
            return shown

        return finish

    def _built(
        self,
        spec: Built,
        field: StrawberryField,
        root: GraphQLObjectType,
        definition: Any,
        nodes: list[FieldNode],
        pairs: list[tuple[str, Any]],
    ) -> Finish:
        """A summary: the rows of each of its statements as a JSON array, numbered in the
        statement's order; the answer built from them by the resolver's own function."""
        arguments = self._arguments(root, nodes[0], field)
        try:
            summary = spec.statements(arguments)
        except ApiError as error:
            raise Unsupported(error.message) from None
        readers = []
        for statement in summary.statements:
            order = summary.order if statement is summary.breakdown else sa.literal(1)
            numbered = statement.add_columns(
                sa.func.row_number().over(order_by=order).label("row_position")
            ).subquery()
            selected = list(statement.selected_columns)
            # By position: a literal's column has no name to find it by.
            values = [numbered.c.row_position, *list(numbered.c)[: len(selected)]]
            rows = sa.select(self.json.array(self.json.row(values))).select_from(numbered)
            key = next(self.names)
            pairs.append((key, self.json.nested(rows.scalar_subquery())))
            readers.append((key, selected))
        # Sums and averages of decimals: read exactly.
        self.fractions = True
        postgres = self.json.postgres
        complete = self._complete(definition.type, nodes)

        def finish(raw: Any) -> Any:
            read = []
            for key, selected in readers:
                ordered = sorted(raw[key] or [], key=lambda row: row[0])
                read.append(
                    [
                        tuple(
                            _python(c, value, postgres)
                            for c, value in zip(selected, row[1:], strict=True)
                        )
                        for row in ordered
                    ]
                )
            return complete(spec.build(arguments, *summary.groups(read)))

        return finish

    def _complete(self, graphql_type: Any, nodes: list[FieldNode]) -> Finish:
        """How a Python value the resolvers would return (a computed field's, a built
        summary) is shown, as graphql-core completes it: non-null checked, lists item by
        item, leaves by their serializer, objects field by field (plain attributes, or
        resolvers that need nothing but their arguments)."""
        if isinstance(graphql_type, GraphQLNonNull):
            inner = self._complete(graphql_type.of_type, nodes)
            return _required(graphql_type, inner)
        if isinstance(graphql_type, GraphQLList):
            item = self._complete(graphql_type.of_type, nodes)
            return lambda value: None if value is None else [item(entry) for entry in value]
        if not isinstance(graphql_type, GraphQLObjectType):
            return _leaf(graphql_type)
        parts: list[tuple[str, Callable[[Any], Any]]] = []
        for key, group in self._grouped(self._merged(nodes), graphql_type).items():
            name = group[0].name.value
            if name == "__typename":
                parts.append((key, _constant(graphql_type.name)))
                continue
            field = self._strawberry_field(graphql_type, name)
            shown = self._complete(graphql_type.fields[name].type, group)
            resolver = field.base_resolver
            if resolver is None:
                parts.append((key, _attribute(field.python_name, shown)))
            elif (
                callable(method := resolver.wrapped_func)
                and not resolver.is_async
                and resolver.info_parameter is None
            ):
                arguments = self._arguments(graphql_type, group[0], field)
                parts.append((key, _called(method, arguments, shown)))
            else:
                raise Unsupported(f"{graphql_type.name}.{name}")

        def complete_object(value: Any) -> Any:
            if value is None:
                return None
            return {key: part(value) for key, part in parts}

        return complete_object

    def _lookup(
        self,
        spec: Lookup,
        field: StrawberryField,
        root: GraphQLObjectType,
        definition: Any,
        nodes: list[FieldNode],
        pairs: list[tuple[str, Any]],
    ) -> Finish:
        cls = spec.node()
        (key_value,) = self._arguments(root, nodes[0], field).values()
        entity = BY_MODEL[cls.table]
        named = get_named_type(definition.type)
        assert isinstance(named, GraphQLObjectType)
        table = cls.table.__table__.alias()
        obj, finish = self._object(named, cls, table, nodes)
        subquery = sa.select(obj).where(table.c[entity.key] == key_value).scalar_subquery()
        key = next(self.names)
        pairs.append((key, self.json.nested(subquery)))

        def found(raw: Any) -> Any:
            if raw[key] is None:
                raise Unsupported("not found: the resolvers report it")
            return finish(raw[key])

        return found

    def _by_global_id(
        self,
        field: StrawberryField,
        root: GraphQLObjectType,
        definition: Any,
        nodes: list[FieldNode],
        pairs: list[tuple[str, Any]],
    ) -> Finish:
        """`node(id:)` or `nodes(ids:)`: each record as a subquery of its own type, found from
        the ID before the statement runs. An ID that is malformed, names no Node type or finds
        nothing is the resolvers' error to report."""
        arguments = self._arguments(root, nodes[0], field)
        single = "id" in arguments
        ids = [arguments["id"]] if single else list(arguments["ids"])
        if len(ids) > MAX_PAGE_SIZE:
            raise Unsupported("too many ids")
        finishers = []
        for global_id_ in ids:
            try:
                type_name, key_value = decode_id(global_id_)
            except ApiError as error:
                raise Unsupported(error.message) from None
            graphql_type = self.graphql.get_type(type_name)
            if not isinstance(graphql_type, GraphQLObjectType) or type_name not in NODES:
                raise Unsupported(f"no Node type {type_name!r}")
            cls = self._class(graphql_type)
            table = cls.table.__table__.alias()
            obj, finish = self._object(graphql_type, cls, table, nodes)
            found = sa.select(obj).where(table.c[NODES[type_name].key] == key_value)
            key = next(self.names)
            pairs.append((key, self.json.nested(found.scalar_subquery())))
            finishers.append((key, finish))

        def each(raw: Any) -> Any:
            records = []
            for key, finish in finishers:
                if raw[key] is None:
                    raise Unsupported("not found: the resolvers report it")
                records.append(finish(raw[key]))
            return records[0] if single else records

        return each


def operation_of(document: DocumentNode, name: str | None) -> OperationDefinitionNode | None:
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if name is None:
        return operations[0] if len(operations) == 1 else None
    return next((op for op in operations if op.name and op.name.value == name), None)


class Compiled:
    """An operation's one statement and how to finish the JSON text it returns into the data.

    Its first run goes through SQLAlchemy, whose cache of compiled SQL is keyed by the
    statement's shape: an operation seen once (a new alias, say) reuses the SQL of one of
    the same shape. Run again, the statement is rendered once for the driver (see
    `db.access.Rendered`), and every later run sends that SQL as it is."""

    def __init__(self, statement: Any, finish: Callable[[str], dict[str, Any]]) -> None:
        self.statement = statement
        self.finish = finish
        self._runs = 0
        self._rendered: Rendered | None = None

    def rendered(self, dialect: Dialect) -> Rendered | None:
        """The SQL to send as it is, from the second run on (None: run the statement)."""
        self._runs += 1
        if self._runs == 2:
            self._rendered = Rendered.of(self.statement, dialect)
        return self._rendered


# False: the resolvers answer.
Plan = Compiled | Literal[False]


class _SeenOnce:
    """An operation sent once so far: the resolvers answered it without compiling."""


SEEN_ONCE = _SeenOnce()
# The requested nodes (`schema.limits`) above which an operation is compiled on first sight.
# The bench's deep query (85,547) is; its detail query (5,100) is answered by the resolvers.
EAGER_NODES = 10_000


class Plans(Recent[tuple[str, ...], Plan | _SeenOnce]):
    """Compiled plans by query text, operation name, variables and database, so that a query
    sent again is not compiled again (building the SQL costs more than running it)."""

    def __init__(self, size: int = 512) -> None:
        super().__init__(size)

    @staticmethod
    def key(
        query: str, operation_name: str | None, variables: dict[str, Any] | None, dialect: str
    ) -> tuple[str, ...]:
        return (
            query,
            operation_name or "",
            json.dumps(variables, sort_keys=True, default=str),
            dialect,
        )


def plan_for(
    plans: Plans,
    schema: strawberry.Schema,
    document: DocumentNode,
    query: str,
    operation_name: str | None,
    variables: dict[str, Any] | None,
    dialect: Dialect,
    requested_nodes: int,
) -> Plan:
    """The operation's plan, compiled on the second request that sends these variables, or
    on the first if it may return more than `EAGER_NODES` nodes.

    A small one is left to the resolvers the first time: building and compiling a statement
    takes longer than they take to answer it (wrk, a new alias per request, x1: the detail
    query 121 req/s by the resolvers, 92 compiled), and most documents sent once are never
    sent again (generated aliases). A large one costs the resolvers more than compiling."""
    key = Plans.key(query, operation_name, variables, dialect.name)
    plan = plans.get(key)
    if plan is None and requested_nodes <= EAGER_NODES:
        plans.put(key, SEEN_ONCE)
        return False
    if plan is None or isinstance(plan, _SeenOnce):
        plan = _compiled(schema, document, operation_name, variables, dialect)
        plans.put(key, plan)
    return plan


def _compiled(
    schema: strawberry.Schema,
    document: DocumentNode,
    operation_name: str | None,
    variables: dict[str, Any] | None,
    dialect: Dialect,
) -> Plan:
    operation = operation_of(document, operation_name)
    if operation is None:
        return False
    coerced = get_variable_values(
        schema._schema, operation.variable_definitions or (), dict(variables or {}), max_errors=1
    )
    if isinstance(coerced, list):  # they do not coerce: the resolvers report how
        return False
    try:
        statement, finish = Compiler(schema, document, operation, coerced, dialect.name).statement()
    except Unsupported as reason:
        logger.debug("the resolvers answer this operation: %s", reason)
        return False
    except Exception:
        # A bug of the compiler's must not cost the client its answer: the resolvers give it,
        # and the log (which the differential tests watch) says what went wrong.
        logger.exception("the compiler failed on an operation; the resolvers answer it")
        return False
    return Compiled(statement, finish)


async def answer(
    plans: Plans,
    db: Db,
    plan: Compiled,
    query: str,
    operation_name: str | None,
    variables: dict[str, Any] | None,
) -> dict[str, Any] | None:
    """The operation's data from its compiled statement, or None where the resolvers must
    answer (an answer holding an error, or a statement the database cannot run)."""
    try:
        try:
            text = await db.value(plan.statement, plan.rendered(db.sql_dialect))
        except (sa.exc.StatementError, DriverStatementError) as error:
            if is_unavailable(error):
                raise
            # E.g. SQLite's parser cannot nest a deep query this far ("parser stack overflow"),
            # or a value does not fit its column: the resolvers answer, or explain.
            await db.rollback()
            plans.put(Plans.key(query, operation_name, variables, db.dialect), False)
            logger.debug("the resolvers answer this operation: %s", error)
            return None
        return plan.finish(text)
    except Unsupported as reason:  # raised while finishing: an answer the resolvers must give
        logger.debug("the resolvers answer this operation: %s", reason)
    except Exception as error:
        if is_unavailable(error):
            raise
        # As in `_compiled`: the resolvers answer, the log says what went wrong.
        logger.exception("the compiler failed on an operation; the resolvers answer it")
    return None


class CompiledQueries(SchemaExtension):
    """Answers an operation with one compiled statement where the compiler can express it;
    runs after the limits are checked and the cost is charged, so both paths cost the same."""

    def __init__(self, plans: Plans, documents: ValidDocuments) -> None:
        super().__init__()
        self.plans = plans
        self.documents = documents

    async def on_execute(self) -> AsyncIterator[None]:
        execution = self.execution_context
        if execution.result is None and execution.graphql_document is not None:
            # As RequestLimits analysed it, for the document it keeps (see `plan_for`).
            prepared = self.documents.running(execution)
            analysis = (
                None
                if prepared is None
                else prepared.noted(ANALYSIS, execution.operation_name, execution.variables)
            )
            plan = plan_for(
                self.plans,
                execution.schema,
                execution.graphql_document,
                execution.query or "",
                execution.operation_name,
                execution.variables,
                execution.context.db.sql_dialect,
                0 if analysis is None else analysis.nodes,
            )
            data = (
                None
                if plan is False
                else await answer(
                    self.plans,
                    execution.context.db,
                    plan,
                    execution.query or "",
                    execution.operation_name,
                    execution.variables,
                )
            )
            if data is not None:
                execution.result = ExecutionResult(data=data)
        yield
