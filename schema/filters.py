"""Typed filter inputs: a whitelisted set of operators per kind of field.

Every operator given must hold (they are ANDed). Entity filters (`CityFilter`, …) compose these
per field, add relations, and take `and`, `or` and `not` for anything more.

Each input states what its fields mean as class-level data (an operator filter's `OPERATORS`,
an entity filter's `COLUMNS` and `RELATIONS`, a sort key's `COLUMNS`), so that
`schema.filter_mapping` can check, when the schema is built, that none is left out.
"""

from __future__ import annotations

import dataclasses
import json
import operator
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from decimal import Decimal
from enum import Enum
from typing import Annotated, Any, ClassVar, Generic, Self, TypeVar

import strawberry
from graphql.pyutils import Path
from sqlalchemy import ColumnElement, and_, exists, false, func, not_, or_, select, true

from db.loaders import Query
from schema.context import Info
from schema.scalars import PartialDate

E = TypeVar("E")
T = TypeVar("T")

Operator = Callable[[Any, Any], ColumnElement[bool]]
"""An operator's condition on a column, given the operator's value."""

Relation = Callable[[Any], ColumnElement[bool]]
"""A field's condition on a record, given the field's value (a related record's filter, a flag)."""

Operators = Mapping[str, Operator]
Columns = Mapping[str, Any]
Relations = Mapping[str, Relation]

_IN_DESCRIPTION = "Equal to any of these."
_NULL_DESCRIPTION = "True: the value is unknown (null); false: it is known."


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _all(conditions: Iterable[ColumnElement[bool]]) -> ColumnElement[bool]:
    conditions = list(conditions)
    return and_(*conditions) if conditions else true()


def _is_set(value: object) -> bool:
    return value is not None and value is not strawberry.UNSET


def _given(value: T | None) -> T | None:
    """The value, or None when the client left it out (strawberry marks that `UNSET`)."""
    return None if value is strawberry.UNSET else value


def _in(column: ColumnElement[Any], values: Iterable[Any]) -> ColumnElement[bool]:
    return column.in_(list(values))


def _contains(column: ColumnElement[Any], text: str) -> ColumnElement[bool]:
    pattern = f"%{_escape_like(str(text).lower())}%"
    return func.lower(column).like(pattern, escape="\\")


def _is_null(column: ColumnElement[Any], is_null: bool) -> ColumnElement[bool]:
    return column.is_(None) if is_null else column.is_not(None)


_EQ: dict[str, Operator] = {"eq": operator.eq}
_RANGE: dict[str, Operator] = {
    "gt": operator.gt,
    "gte": operator.ge,
    "lt": operator.lt,
    "lte": operator.le,
}


class OperatorFilter:
    """Conditions on one value. `OPERATORS` maps each field (an operator) to its condition."""

    OPERATORS: ClassVar[Operators]

    def clause(self, column: Any) -> ColumnElement[bool]:
        return _all(
            condition(column, value)
            for name, condition in self.OPERATORS.items()
            if _is_set(value := getattr(self, name))
        )


@strawberry.input(description="Conditions on a text; all those given must hold.")
class StringFilter(OperatorFilter):
    eq: str | None = strawberry.field(default=strawberry.UNSET, description="Exactly this text.")
    in_: list[str] | None = strawberry.field(
        name="in", default=strawberry.UNSET, description=_IN_DESCRIPTION
    )
    contains: str | None = strawberry.field(
        default=strawberry.UNSET,
        description="Contains this text, ignoring case (Thai or English).",
    )
    is_null: bool | None = strawberry.field(default=strawberry.UNSET, description=_NULL_DESCRIPTION)

    OPERATORS: ClassVar[Operators] = {**_EQ, "in_": _in, "contains": _contains, "is_null": _is_null}


@strawberry.input(description="Conditions on a whole number; all those given must hold.")
class IntFilter(OperatorFilter):
    eq: int | None = strawberry.field(default=strawberry.UNSET, description="Equal to.")
    in_: list[int] | None = strawberry.field(
        name="in", default=strawberry.UNSET, description=_IN_DESCRIPTION
    )
    gt: int | None = strawberry.field(default=strawberry.UNSET, description="Greater than.")
    gte: int | None = strawberry.field(default=strawberry.UNSET, description="At least.")
    lt: int | None = strawberry.field(default=strawberry.UNSET, description="Less than.")
    lte: int | None = strawberry.field(default=strawberry.UNSET, description="At most.")
    is_null: bool | None = strawberry.field(default=strawberry.UNSET, description=_NULL_DESCRIPTION)

    OPERATORS: ClassVar[Operators] = {**_EQ, "in_": _in, **_RANGE, "is_null": _is_null}


@strawberry.input(description="Conditions on an exact decimal; all those given must hold.")
class DecimalFilter(OperatorFilter):
    eq: Decimal | None = strawberry.field(default=strawberry.UNSET, description="Equal to.")
    gt: Decimal | None = strawberry.field(default=strawberry.UNSET, description="Greater than.")
    gte: Decimal | None = strawberry.field(default=strawberry.UNSET, description="At least.")
    lt: Decimal | None = strawberry.field(default=strawberry.UNSET, description="Less than.")
    lte: Decimal | None = strawberry.field(default=strawberry.UNSET, description="At most.")
    is_null: bool | None = strawberry.field(default=strawberry.UNSET, description=_NULL_DESCRIPTION)

    OPERATORS: ClassVar[Operators] = {**_EQ, **_RANGE, "is_null": _is_null}


@strawberry.input(
    description=(
        "Conditions on a date given at the precision of its source. Comparisons run in "
        "calendar order, a coarser date sorting before the finer dates within it: `2021` is "
        'before `2021-08-13`, so `{gte: "2021", lt: "2022"}` means during 2021.'
    )
)
class DateFilter(OperatorFilter):
    eq: PartialDate | None = strawberry.field(default=strawberry.UNSET, description="Equal to.")
    gt: PartialDate | None = strawberry.field(default=strawberry.UNSET, description="After.")
    gte: PartialDate | None = strawberry.field(default=strawberry.UNSET, description="On or after.")
    lt: PartialDate | None = strawberry.field(default=strawberry.UNSET, description="Before.")
    lte: PartialDate | None = strawberry.field(
        default=strawberry.UNSET, description="On or before."
    )
    is_null: bool | None = strawberry.field(default=strawberry.UNSET, description=_NULL_DESCRIPTION)

    # ISO partial dates compare correctly as text: "2021" < "2021-08" < "2021-08-13".
    OPERATORS: ClassVar[Operators] = {**_EQ, **_RANGE, "is_null": _is_null}


@strawberry.input(description="Conditions on a timestamp; all those given must hold.")
class DateTimeFilter(OperatorFilter):
    gt: datetime | None = strawberry.field(default=strawberry.UNSET, description="After.")
    gte: datetime | None = strawberry.field(default=strawberry.UNSET, description="At or after.")
    lt: datetime | None = strawberry.field(default=strawberry.UNSET, description="Before.")
    lte: datetime | None = strawberry.field(default=strawberry.UNSET, description="At or before.")

    OPERATORS: ClassVar[Operators] = _RANGE


@strawberry.input(description="Conditions on a value from a fixed list.")
class EnumFilter(OperatorFilter, Generic[E]):
    eq: E | None = strawberry.field(default=strawberry.UNSET, description="Equal to.")
    in_: list[E] | None = strawberry.field(
        name="in", default=strawberry.UNSET, description=_IN_DESCRIPTION
    )
    is_null: bool | None = strawberry.field(default=strawberry.UNSET, description=_NULL_DESCRIPTION)

    OPERATORS: ClassVar[Operators] = {**_EQ, "in_": _in, "is_null": _is_null}


@strawberry.enum(description="Sort direction.")
class OrderDirection(Enum):
    ASC = strawberry.enum_value(
        "ASC",
        description=(
            "Ascending: smallest, earliest or first in order first; unknown values still last."
        ),
    )
    DESC = strawberry.enum_value(
        "DESC",
        description=(
            "Descending: largest, latest or last in order first; unknown values still last."
        ),
    )


class EntityFilter:
    """Conditions on one kind of record. Each field is mapped either to a column (`COLUMNS`:
    the field's operator filter applies to it) or to a relation (`RELATIONS`: it builds the
    condition from the field's value); `and`, `or` and `not` combine whole filters."""

    COLUMNS: ClassVar[Columns]
    RELATIONS: ClassVar[Relations]
    COMBINATORS: ClassVar[frozenset[str]] = frozenset({"and_", "or_", "not_"})

    and_: list[Self] | None
    or_: list[Self] | None
    not_: Self | None

    def clause(self) -> ColumnElement[bool]:
        return entity_clause(self)


def entity_clause(filter_: EntityFilter) -> ColumnElement[bool]:
    """An entity filter's condition: its set fields (plain ones by column, others by relation)
    and its `and`, `or` and `not`, all of which must hold."""
    conditions: list[ColumnElement[bool]] = []
    for name, column in filter_.COLUMNS.items():
        value = getattr(filter_, name)
        if _is_set(value):
            conditions.append(value.clause(column))
    for name, build in filter_.RELATIONS.items():
        value = getattr(filter_, name)
        if _is_set(value):
            conditions.append(build(value))
    all_of, any_of, negated = _given(filter_.and_), _given(filter_.or_), _given(filter_.not_)
    if all_of is not None:
        conditions.append(_all(part.clause() for part in all_of))
    if any_of is not None:
        parts = [part.clause() for part in any_of]
        conditions.append(or_(*parts) if parts else false())  # none of nothing
    if negated is not None:
        conditions.append(not_(negated.clause()))
    return _all(conditions)


class SortKey:
    """One sort key of a list: `field` names what to sort by, and `COLUMNS` maps every value
    of its enum to the SQL expression sorted on; unknown (null) values sort last."""

    COLUMNS: ClassVar[Mapping[Any, Any]]

    field: Enum
    direction: OrderDirection

    def term(self) -> Any:
        expression = self.COLUMNS[self.field]
        directed = expression.desc() if self.direction is OrderDirection.DESC else expression.asc()
        return directed.nulls_last()


@dataclasses.dataclass(frozen=True)
class Listing:
    """How one kind of record is listed: the column `updatedSince` compares, the order that
    follows the client's sort keys (each `SortKey` maps its own fields), and the `filter` and
    `orderBy` arguments its connections take (none where it is never a connection)."""

    updated_column: Any
    default_order: tuple[Any, ...]
    filter_arg: Any = None
    order_arg: Any = None

    def unfiltered(self) -> Query:
        """Every record in the default order: for lists that take no arguments."""
        return self._build(None, None, None)

    def query(
        self,
        info: Info,
        where: Any,
        order_by: Sequence[SortKey] | None,
        updated_since: datetime | None,
    ) -> Query:
        """The conditions and ordering a connection's arguments ask for.

        Built once per field of an operation: a list field nested in a list is resolved once
        per parent, always with the same arguments (GraphQL validation sees to that), so the
        other parents reuse it. The key holds the field's path without list positions, with
        each step's parent type (one response key may name fields of two types), and the
        operation and its variables (a batch runs several with one context); the memo keeps
        those two objects alive so their ids stay theirs.
        """
        steps = []
        path: Path | None = info.path
        while path is not None:
            if isinstance(path.key, str):
                steps.append((path.key, path.typename))
            path = path.prev
        key = (id(self), id(info.operation), id(info.variable_values), tuple(steps))
        memo = info.context.listing_queries
        if key not in memo:
            built = self._build(where, order_by, updated_since)
            memo[key] = (info.operation, info.variable_values, built)
        query: Query = memo[key][2]
        return query

    def _build(
        self, where: Any, order_by: Sequence[SortKey] | None, updated_since: datetime | None
    ) -> Query:
        conditions = []
        if _is_set(where):
            conditions.append(where.clause())
        if _is_set(updated_since):
            conditions.append(self.updated_column >= updated_since)
        terms = [order.term() for order in order_by or []]
        key = json.dumps(
            [
                dataclasses.asdict(where) if _is_set(where) else None,
                updated_since,
                [(order.field.value, order.direction.value) for order in order_by or []],
            ],
            default=str,
            sort_keys=True,
        )
        return Query(key=key, where=_all(conditions), order_by=(*terms, *self.default_order))


def either(filter_: StringFilter, *columns: Any) -> ColumnElement[bool]:
    """A text condition that holds for any of the columns (a Thai or an English name)."""
    return or_(*(filter_.clause(column) for column in columns))


def ids_matching(model: Any, filter_: Any) -> Any:
    """The ids of the `model` rows a filter selects, for use in a relation's condition."""
    return select(model.id).where(filter_.clause())


def refers_to(foreign_key: Any, model: Any) -> Relation:
    """A relation's condition: `foreign_key` points at a `model` row the filter selects."""
    return lambda filter_: foreign_key.in_(ids_matching(model, filter_))


def linked(owner: Any, link_owner: Any, link_target: Any, model: Any) -> Relation:
    """A many-to-many relation's condition: a link row joins `owner` to a `model` row the
    filter selects."""
    return lambda filter_: exists().where(
        link_owner == owner, link_target.in_(ids_matching(model, filter_))
    )


UpdatedSince = Annotated[
    datetime | None,
    strawberry.argument(
        description="Only records changed at or after this time (UTC), for syncing."
    ),
]
