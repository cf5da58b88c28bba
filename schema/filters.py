"""Typed filter inputs: a whitelisted set of operators per kind of field.

Every operator given must hold (they are ANDed). Entity filters (`CityFilter`, …) compose these
per field, add relations, and take `and`, `or` and `not` for anything more.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Iterable
from datetime import datetime
from decimal import Decimal
from enum import Enum
from typing import Annotated, Any, Generic, TypeVar

import strawberry
from graphql.pyutils import Path
from sqlalchemy import ColumnElement, and_, exists, false, func, not_, or_, select, true

import schema.enums  # noqa: F401  (registers the GraphQL enums before anything uses them)
from db.loaders import Query
from schema.context import Info
from schema.scalars import PartialDate

E = TypeVar("E")
F = TypeVar("F")

_IN_DESCRIPTION = "Equal to any of these."
_NULL_DESCRIPTION = "True: the value is unknown (null); false: it is known."


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _all(conditions: Iterable[ColumnElement[bool]]) -> ColumnElement[bool]:
    conditions = list(conditions)
    return and_(*conditions) if conditions else true()


def _is_set(value: object) -> bool:
    return value is not None and value is not strawberry.UNSET


def _null_check(column: Any, is_null: bool | None) -> list[ColumnElement[bool]]:
    if not _is_set(is_null):
        return []
    return [column.is_(None) if is_null else column.is_not(None)]


def _ranges(column: Any, values: dict[str, Any]) -> list[ColumnElement[bool]]:
    operators: dict[str, Callable[[Any, Any], ColumnElement[bool]]] = {
        "eq": lambda c, v: c == v,
        "gt": lambda c, v: c > v,
        "gte": lambda c, v: c >= v,
        "lt": lambda c, v: c < v,
        "lte": lambda c, v: c <= v,
    }
    return [operators[name](column, value) for name, value in values.items() if _is_set(value)]


@strawberry.input(description="Conditions on a text; all those given must hold.")
class StringFilter:
    eq: str | None = strawberry.field(default=strawberry.UNSET, description="Exactly this text.")
    in_: list[str] | None = strawberry.field(
        name="in", default=strawberry.UNSET, description=_IN_DESCRIPTION
    )
    contains: str | None = strawberry.field(
        default=strawberry.UNSET,
        description="Contains this text, ignoring case (Thai or English).",
    )
    is_null: bool | None = strawberry.field(default=strawberry.UNSET, description=_NULL_DESCRIPTION)

    def clause(self, column: Any) -> ColumnElement[bool]:
        conditions = _ranges(column, {"eq": self.eq})
        if _is_set(self.in_):
            conditions.append(column.in_(self.in_))
        if _is_set(self.contains):
            pattern = f"%{_escape_like(str(self.contains).lower())}%"
            conditions.append(func.lower(column).like(pattern, escape="\\"))
        return _all(conditions + _null_check(column, self.is_null))


@strawberry.input(description="Conditions on a whole number; all those given must hold.")
class IntFilter:
    eq: int | None = strawberry.field(default=strawberry.UNSET, description="Equal to.")
    in_: list[int] | None = strawberry.field(
        name="in", default=strawberry.UNSET, description=_IN_DESCRIPTION
    )
    gt: int | None = strawberry.field(default=strawberry.UNSET, description="Greater than.")
    gte: int | None = strawberry.field(default=strawberry.UNSET, description="At least.")
    lt: int | None = strawberry.field(default=strawberry.UNSET, description="Less than.")
    lte: int | None = strawberry.field(default=strawberry.UNSET, description="At most.")
    is_null: bool | None = strawberry.field(default=strawberry.UNSET, description=_NULL_DESCRIPTION)

    def clause(self, column: Any) -> ColumnElement[bool]:
        conditions = _ranges(
            column, {"eq": self.eq, "gt": self.gt, "gte": self.gte, "lt": self.lt, "lte": self.lte}
        )
        if _is_set(self.in_):
            conditions.append(column.in_(self.in_))
        return _all(conditions + _null_check(column, self.is_null))


@strawberry.input(description="Conditions on an exact decimal; all those given must hold.")
class DecimalFilter:
    eq: Decimal | None = strawberry.field(default=strawberry.UNSET, description="Equal to.")
    gt: Decimal | None = strawberry.field(default=strawberry.UNSET, description="Greater than.")
    gte: Decimal | None = strawberry.field(default=strawberry.UNSET, description="At least.")
    lt: Decimal | None = strawberry.field(default=strawberry.UNSET, description="Less than.")
    lte: Decimal | None = strawberry.field(default=strawberry.UNSET, description="At most.")
    is_null: bool | None = strawberry.field(default=strawberry.UNSET, description=_NULL_DESCRIPTION)

    def clause(self, column: Any) -> ColumnElement[bool]:
        conditions = _ranges(
            column, {"eq": self.eq, "gt": self.gt, "gte": self.gte, "lt": self.lt, "lte": self.lte}
        )
        return _all(conditions + _null_check(column, self.is_null))


@strawberry.input(
    description=(
        "Conditions on a date given at the precision of its source. Comparisons run in "
        "calendar order, a coarser date sorting before the finer dates within it: `2021` is "
        'before `2021-08-13`, so `{gte: "2021", lt: "2022"}` means during 2021.'
    )
)
class DateFilter:
    eq: PartialDate | None = strawberry.field(default=strawberry.UNSET, description="Equal to.")
    gt: PartialDate | None = strawberry.field(default=strawberry.UNSET, description="After.")
    gte: PartialDate | None = strawberry.field(default=strawberry.UNSET, description="On or after.")
    lt: PartialDate | None = strawberry.field(default=strawberry.UNSET, description="Before.")
    lte: PartialDate | None = strawberry.field(
        default=strawberry.UNSET, description="On or before."
    )
    is_null: bool | None = strawberry.field(default=strawberry.UNSET, description=_NULL_DESCRIPTION)

    def clause(self, column: Any) -> ColumnElement[bool]:
        # ISO partial dates compare correctly as text: "2021" < "2021-08" < "2021-08-13".
        conditions = _ranges(
            column, {"eq": self.eq, "gt": self.gt, "gte": self.gte, "lt": self.lt, "lte": self.lte}
        )
        return _all(conditions + _null_check(column, self.is_null))


@strawberry.input(description="Conditions on a timestamp; all those given must hold.")
class DateTimeFilter:
    gt: datetime | None = strawberry.field(default=strawberry.UNSET, description="After.")
    gte: datetime | None = strawberry.field(default=strawberry.UNSET, description="At or after.")
    lt: datetime | None = strawberry.field(default=strawberry.UNSET, description="Before.")
    lte: datetime | None = strawberry.field(default=strawberry.UNSET, description="At or before.")

    def clause(self, column: Any) -> ColumnElement[bool]:
        return _all(
            _ranges(column, {"gt": self.gt, "gte": self.gte, "lt": self.lt, "lte": self.lte})
        )


@strawberry.input(description="Conditions on a value from a fixed list.")
class EnumFilter(Generic[E]):
    eq: E | None = strawberry.field(default=strawberry.UNSET, description="Equal to.")
    in_: list[E] | None = strawberry.field(
        name="in", default=strawberry.UNSET, description=_IN_DESCRIPTION
    )
    is_null: bool | None = strawberry.field(default=strawberry.UNSET, description=_NULL_DESCRIPTION)

    def clause(self, column: Any) -> ColumnElement[bool]:
        conditions = _ranges(column, {"eq": self.eq})
        if _is_set(self.in_):
            assert self.in_ is not None
            conditions.append(column.in_(list(self.in_)))
        return _all(conditions + _null_check(column, self.is_null))


@strawberry.enum(description="Sort direction.")
class OrderDirection(Enum):
    ASC = "ASC"
    DESC = "DESC"


def entity_clause(
    filter_: Any, columns: dict[str, Any], relations: dict[str, Callable[[Any], Any]]
) -> ColumnElement[bool]:
    """An entity filter's condition: its set fields (plain ones by column, others by callable)
    and its `and`, `or` and `not`, all of which must hold."""
    conditions: list[ColumnElement[bool]] = []
    for name, column in columns.items():
        value = getattr(filter_, name)
        if _is_set(value):
            conditions.append(value.clause(column))
    for name, build in relations.items():
        value = getattr(filter_, name)
        if _is_set(value):
            conditions.append(build(value))
    if _is_set(filter_.and_):
        conditions.append(_all(part.clause() for part in filter_.and_))
    if _is_set(filter_.or_):
        parts = [part.clause() for part in filter_.or_]
        conditions.append(or_(*parts) if parts else false())  # none of nothing
    if _is_set(filter_.not_):
        conditions.append(not_(filter_.not_.clause()))
    return _all(conditions)


@dataclasses.dataclass(frozen=True)
class Listing:
    """How one kind of record is listed: its sortable fields and its default order."""

    updated_column: Any
    orders: dict[Any, Any]
    default_order: tuple[Any, ...]

    def query(
        self,
        info: Info,
        where: Any,
        order_by: list[Any] | None,
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
        self, where: Any, order_by: list[Any] | None, updated_since: datetime | None
    ) -> Query:
        conditions = []
        if _is_set(where):
            conditions.append(where.clause())
        if _is_set(updated_since):
            conditions.append(self.updated_column >= updated_since)
        terms: list[Any] = []
        for order in order_by or []:
            expression = self.orders[order.field]
            directed = (
                expression.desc() if order.direction is OrderDirection.DESC else expression.asc()
            )
            terms.append(directed.nulls_last())
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


def refers_to(foreign_key: Any, model: Any) -> Callable[[Any], ColumnElement[bool]]:
    """A relation's condition: `foreign_key` points at a `model` row the filter selects."""
    return lambda filter_: foreign_key.in_(ids_matching(model, filter_))


def linked(
    owner: Any, link_owner: Any, link_target: Any, model: Any
) -> Callable[[Any], ColumnElement[bool]]:
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
