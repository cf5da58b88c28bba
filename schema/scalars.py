"""Custom scalars: exact decimals, ISO dates at the precision a source gives, and date-times
that always carry a zone.

Registered through `StrawberryConfig.scalar_map`, so annotations stay real Python types. Each
parser refuses bad input with a coded `BAD_USER_INPUT` error, whether the value comes as a
variable or is written in the document: graphql-core treats any other exception raised while
validating a literal as a server fault.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, NewType, TypeVar

import strawberry
from graphql import ValueNode, value_from_ast_untyped
from strawberry.types.scalar import ScalarDefinition

from db.types import PARTIAL_DATE
from schema.errors import InvalidArgumentError

T = TypeVar("T")

PartialDate = NewType("PartialDate", str)

# Plain decimal notation, as JSON and most languages print numbers: no `NaN`, `Infinity`,
# underscores or surrounding spaces, which Python's `Decimal` would otherwise accept.
DECIMAL = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?", re.ASCII)
# ASCII digits only: `\d` alone would take Thai digits (๒๐๒๑) too, which no record holds.
ISO_PARTIAL_DATE = re.compile(PARTIAL_DATE.pattern, re.ASCII)
# The stored columns keep at most 14 whole digits (18 digits, up to 4 of them decimals), so a
# larger value could not even be compared with them.
MAX_DECIMAL_DIGITS = 14


def partial_date(value: str | None) -> PartialDate | None:
    """A stored date (validated when loaded) as the scalar's type."""
    return None if value is None else PartialDate(value)


def _parse_decimal(value: object) -> Decimal:
    # Strings only: a JSON number may already have been rounded through a float.
    if not isinstance(value, str):
        raise InvalidArgumentError('a Decimal is written as a string, e.g. "6842970000.00"')
    if not DECIMAL.fullmatch(value):
        raise InvalidArgumentError(
            f'not a decimal number: {value[:40]!r} (write e.g. "6842970000.00" or "-1.5e3")'
        )
    number = Decimal(value)
    if number and number.adjusted() >= MAX_DECIMAL_DIGITS:
        raise InvalidArgumentError(
            f"a Decimal has at most {MAX_DECIMAL_DIGITS} digits before the decimal point"
        )
    return number


def _parse_partial_date(value: object) -> PartialDate:
    if not isinstance(value, str) or not ISO_PARTIAL_DATE.fullmatch(value):
        raise InvalidArgumentError("a PartialDate is YYYY, YYYY-MM or YYYY-MM-DD")
    return PartialDate(value)


def _parse_datetime(value: object) -> datetime:
    """An ISO-8601 date-time with a zone, as UTC. A time without a zone is refused rather than
    guessed: Thailand's clients would mean +07:00, a server's UTC."""
    if not isinstance(value, str):
        raise InvalidArgumentError('a DateTime is written as a string, e.g. "2024-05-01T00:00:00Z"')
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        raise InvalidArgumentError(
            f"not an ISO-8601 date-time: {value[:40]!r} (write e.g. 2024-05-01T00:00:00Z)"
        ) from None
    if when.tzinfo is None or when.utcoffset() is None:
        raise InvalidArgumentError(
            f"the date-time {value[:40]!r} has no zone: add one, e.g. "
            "2024-05-01T00:00:00Z (UTC) or 2024-05-01T07:00:00+07:00 (Thailand)"
        )
    try:
        return when.astimezone(UTC)
    except OverflowError:  # e.g. 0001-01-01T00:00:00+01:00 is before year 1 in UTC
        raise InvalidArgumentError(
            f"the date-time {value[:40]!r} is out of range in UTC (years 1 to 9999)"
        ) from None


def _literal(parse: Callable[[object], T]) -> Callable[[ValueNode, dict[str, Any] | None], T]:
    """`parse` for a value written in the document, its error pointing at the value."""

    def parse_literal(node: ValueNode, variables: dict[str, Any] | None = None) -> T:
        try:
            return parse(value_from_ast_untyped(node, variables))
        except InvalidArgumentError as error:
            raise InvalidArgumentError(error.message, at=node) from None

    return parse_literal


SCALARS: dict[object, ScalarDefinition] = {
    Decimal: strawberry.scalar(
        name="Decimal",
        description=(
            'An exact decimal number, serialized as a string (e.g. "6842970000.00") so no '
            "precision is lost to floating point."
        ),
        serialize=lambda value: format(value, "f"),
        parse_value=_parse_decimal,
        parse_literal=_literal(_parse_decimal),
    ),
    PartialDate: strawberry.scalar(
        name="PartialDate",
        description=(
            "An ISO-8601 calendar date at the precision its source gives: `2021`, `2021-11` "
            "or `2021-11-07` (วันที่ตามปฏิทินสากล). Buddhist-era years are converted "
            "(B.E. minus 543)."
        ),
        serialize=str,
        parse_value=_parse_partial_date,
        parse_literal=_literal(_parse_partial_date),
    ),
    datetime: strawberry.scalar(
        name="DateTime",
        description=(
            "An ISO-8601 date-time with its zone, e.g. `2024-05-01T00:00:00Z` or "
            "`2024-05-01T07:00:00+07:00`; one without a zone is refused. Answers are in UTC."
        ),
        serialize=lambda value: value.isoformat(),
        parse_value=_parse_datetime,
        parse_literal=_literal(_parse_datetime),
    ),
}
