"""Column types that behave the same on SQLite and PostgreSQL."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeEngine

# ASCII digits only: `\d` alone would take Thai digits (๒๐๒๑) too, which no record holds.
PARTIAL_DATE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$", re.ASCII)


def is_partial_date(text: str) -> bool:
    """`YYYY`, `YYYY-MM` or a real `YYYY-MM-DD`: the pattern alone lets `2021-02-31` through."""
    if not PARTIAL_DATE.fullmatch(text):
        return False
    try:
        return len(text) < 10 or bool(date.fromisoformat(text))
    except ValueError:
        return False


class ExactDecimal(sa.TypeDecorator[Decimal]):
    """An exact decimal: `numeric` on PostgreSQL, a scaled integer on SQLite.

    SQLite has no decimal type and would store `numeric` as a binary float, so there the value
    is kept as an integer count of the smallest unit (e.g. satang for baht), which sums and
    sorts exactly in SQL too.
    """

    impl = sa.Numeric
    cache_ok = True

    def __init__(self, precision: int = 18, scale: int = 2) -> None:
        # 18 digits keep the scaled integer within SQLite's signed 64 bits.
        if precision > 18:
            raise ValueError("ExactDecimal holds at most 18 digits")
        super().__init__(precision=precision, scale=scale)
        self.precision = precision
        self.scale = scale

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(sa.BigInteger())
        return dialect.type_descriptor(sa.Numeric(self.precision, self.scale))

    def process_bind_param(self, value: Decimal | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        quantized = Decimal(value).quantize(Decimal(1).scaleb(-self.scale))
        if quantized.adjusted() >= self.precision - self.scale:
            raise ValueError(f"{value} has more than {self.precision - self.scale} whole digits")
        if dialect.name == "sqlite":
            return int(quantized.scaleb(self.scale))
        return quantized

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        if dialect.name == "sqlite":
            return Decimal(int(value)).scaleb(-self.scale)
        return Decimal(value)


class UtcDateTime(sa.TypeDecorator[datetime]):
    """A timestamp that is always timezone-aware UTC, also on SQLite (which stores naive text)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use datetime.now(UTC)")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)
