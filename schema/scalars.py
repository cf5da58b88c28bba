"""Custom scalars: exact decimals and ISO dates at the precision a source gives.

Registered through `StrawberryConfig.scalar_map`, so annotations stay real Python types.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import NewType

import strawberry
from strawberry.types.scalar import ScalarDefinition

from db.types import PARTIAL_DATE

PartialDate = NewType("PartialDate", str)


def partial_date(value: str | None) -> PartialDate | None:
    """A stored date (validated when loaded) as the scalar's type."""
    return None if value is None else PartialDate(value)


def _parse_decimal(value: object) -> Decimal:
    # Strings only: a JSON number may already have been rounded through a float.
    if not isinstance(value, str):
        raise ValueError('a Decimal is written as a string, e.g. "6842970000.00"')
    try:
        return Decimal(value)
    except InvalidOperation:
        raise ValueError(f"not a decimal number: {value!r}") from None


def _parse_partial_date(value: object) -> PartialDate:
    if not isinstance(value, str) or not PARTIAL_DATE.match(value):
        raise ValueError("a PartialDate is YYYY, YYYY-MM or YYYY-MM-DD")
    return PartialDate(value)


SCALARS: dict[object, ScalarDefinition] = {
    Decimal: strawberry.scalar(
        name="Decimal",
        description=(
            'An exact decimal number, serialized as a string (e.g. "6842970000.00") so no '
            "precision is lost to floating point."
        ),
        serialize=lambda value: format(value, "f"),
        parse_value=_parse_decimal,
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
    ),
}
