"""Numbers, dates and words as a reader of the page's language expects them.

Thai readers date by the Buddhist era (B.E. = C.E. + 543) and name the month in Thai; the
API itself keeps ISO-8601 dates, so this is for the pages only.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

BUDDHIST_ERA = 543
MONTHS_EN = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]  # fmt: skip
MONTHS_TH = [
    "มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
    "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม",
]  # fmt: skip
RANGE = "\u2013"  # an en dash, between the ends of a range of years


def plain(value: str | int | Decimal, digits: int = 2) -> str:
    """`value` rounded to at most `digits` decimals, without trailing zeros or grouping:
    what a CSV cell holds."""
    rounded = Decimal(str(value)).quantize(Decimal(1).scaleb(-digits), ROUND_HALF_UP)
    text = f"{rounded:.{digits}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


@dataclass(frozen=True)
class Words:
    """The page's language: `th` or `en`."""

    lang: str

    @property
    def thai(self) -> bool:
        return self.lang == "th"

    def t(self, english: str, thai: str) -> str:
        return thai if self.thai else english

    def number(self, value: str | int | Decimal, digits: int = 2) -> str:
        """Grouped by thousands, as both English and Thai print them (6,842.97)."""
        text = plain(value, digits)
        whole, dot, fraction = text.partition(".")
        sign = "-" if whole.startswith("-") else ""
        return f"{sign}{int(whole.lstrip('-')):,}{dot}{fraction}"

    def year(self, year: int) -> str:
        return f"พ.ศ. {year + BUDDHIST_ERA}" if self.thai else str(year)

    def date(self, partial: str) -> str:
        """A partial ISO date (`2024`, `2024-04`, `2024-04-23`) as precise as it is:
        `23 April 2024`, or `23 เมษายน 2567` in Thai."""
        parts = [int(part) for part in partial.split("-")]
        year = parts[0] + BUDDHIST_ERA if self.thai else parts[0]
        months = MONTHS_TH if self.thai else MONTHS_EN
        named = [str(parts[2])] if len(parts) > 2 else []
        if len(parts) > 1:
            named.append(months[parts[1] - 1])
        return " ".join([*named, str(year)])
