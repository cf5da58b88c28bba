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
from strawberry.scalars import JSON
from strawberry.types.scalar import ScalarDefinition

from db.types import is_partial_date
from schema.errors import InvalidArgumentError

T = TypeVar("T")

PartialDate = NewType("PartialDate", str)

# Plain decimal notation, as JSON and most languages print numbers: no `NaN`, `Infinity`,
# underscores or surrounding spaces, which Python's `Decimal` would otherwise accept.
DECIMAL = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?", re.ASCII)
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
    if not isinstance(value, str) or not is_partial_date(value):
        raise InvalidArgumentError("a PartialDate is YYYY, YYYY-MM or YYYY-MM-DD, a real day")
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


# Where no public specification matches a format exactly, `specified_by_url` names the closest
# standard and the description says where ours differs, so code generators and clients can map
# each scalar to a type of their own.
SCALARS: dict[object, ScalarDefinition] = {
    Decimal: strawberry.scalar(
        name="Decimal",
        description=(
            "An exact decimal number, as a JSON string so that no precision is lost to "
            "floating point.\n\n"
            "Answers print it in plain notation: an optional `-`, ASCII digits, and a `.` "
            "followed by digits where the value has decimals; never an exponent, `NaN` or "
            'infinity. Money keeps its two decimal places (`"6842970000.00"`), a measured '
            'value prints no trailing zeros (`"96.67"`, `"100"`), and a computed share or '
            "average has the places its field states.\n\n"
            "Input must be a string too: a JSON or GraphQL number is refused, as it may "
            "already have been rounded through a float. Accepted: an optional `+` or `-`, "
            'ASCII digits with an optional `.` and fraction (`"1."` and `".5"` too), and an '
            'optional exponent (`"-1.5e3"`); at most 14 digits before the decimal point. '
            "Refused: `NaN`, `Infinity`, underscores, spaces and non-ASCII digits. An edit "
            "refuses a value with more decimals than the field keeps (2 for money, 4 for a "
            "measured value) rather than rounding it.\n\n"
            "The notation is XML Schema 1.1's `decimal`, plus the exponent on input."
        ),
        specified_by_url="https://www.w3.org/TR/xmlschema11-2/#decimal",
        serialize=lambda value: format(value, "f"),
        parse_value=_parse_decimal,
        parse_literal=_literal(_parse_decimal),
    ),
    PartialDate: strawberry.scalar(
        name="PartialDate",
        description=(
            "A calendar date at the precision its source gives (วันที่ตามปฏิทินสากล): a year "
            "`2021`, a month `2021-11` or a day `2021-11-07`, as a string; answers print it "
            "as stored.\n\n"
            "Years are Gregorian, four ASCII digits. Buddhist-era years from the sources are "
            "already converted (B.E. minus 543); a Buddhist-era year written here (`2564`) "
            "would be read as a Gregorian one. Input must be a string in one of the three "
            "forms, months `01` to `12` and days `01` to `31` (a day is not checked against "
            "its month's length). Refused: other separators or forms (`2021/11`, `20211107`, "
            "`2021-1`), times, intervals, week and ordinal dates, and non-ASCII digits.\n\n"
            "The three forms are the dates of EDTF level 0 (ISO 8601-2); the qualifiers, "
            "unspecified digits and intervals of the higher levels are not used."
        ),
        specified_by_url="https://www.loc.gov/standards/datetime/",
        serialize=str,
        parse_value=_parse_partial_date,
        parse_literal=_literal(_parse_partial_date),
    ),
    datetime: strawberry.scalar(
        name="DateTime",
        description=(
            "An instant, as an RFC 3339 date-time string with its offset from UTC.\n\n"
            "Answers are always in UTC, the offset written `+00:00` (not `Z`), with "
            "fractional seconds only where they are not zero, as six digits: "
            "`2024-05-01T00:00:00+00:00`, `2024-05-01T09:30:15.250000+00:00`.\n\n"
            "Input must be a string with a zone, `Z` or an offset such as `+07:00` "
            "(Thailand). One without a zone (`2024-05-01T07:00:00`, or a date alone) is "
            "refused rather than guessed: a client in Thailand would mean +07:00, a server "
            "UTC. Accepted beyond RFC 3339, as ISO 8601 allows: a space for the `T`, the basic "
            "format (`20240501T070000+0700`), week dates (`2024-W18-3T07:00+07:00`), a time "
            "without seconds or minutes, a comma before the fraction, an offset without its "
            "colon or with seconds; digits after the sixth of a fraction are dropped. "
            "Refused: a lower-case `t` or `z`, a leap second (`:60`), `24:00`, numbers, and "
            "instants outside the years 1 to 9999 in UTC."
        ),
        specified_by_url="https://datatracker.ietf.org/doc/html/rfc3339",
        serialize=lambda value: value.isoformat(),
        parse_value=_parse_datetime,
        parse_literal=_literal(_parse_datetime),
    ),
    # Strawberry's own JSON scalar, described for what this API puts in it.
    JSON: strawberry.scalar(
        name="JSON",
        description=(
            "Any JSON value (ECMA-404), sent as itself rather than as a string. Only answers "
            "use it: `Change.record`, `AuditEntry.before` and `AuditEntry.after` hold an "
            "object, a record's row as in the JSON download, with exact decimals as strings "
            "and dates and date-times as ISO 8601 strings."
        ),
        specified_by_url=(
            "https://ecma-international.org/wp-content/uploads/ECMA-404_2nd_edition_december_2017.pdf"
        ),
        serialize=lambda value: value,
        parse_value=lambda value: value,
    ),
}
