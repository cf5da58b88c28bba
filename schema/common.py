"""Types every domain shares: languages, money, map points, certainty and provenance."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from enum import Enum
from typing import Annotated, ClassVar, TypeVar

import strawberry

import schema.enums  # noqa: F401  (registers the GraphQL enums before anything uses them)
from db.enums import Currency
from db.loaders import Loader
from db.tables import Source as SourceRow
from schema.context import Info
from schema.errors import NotFoundError
from schema.node import Node, encode_id
from schema.scalars import PartialDate, partial_date


@strawberry.enum(description="A language the data is published in (ภาษา).")
class Language(Enum):
    EN = "EN"
    TH = "TH"


def in_language(lang: Language, th: str | None, en: str | None) -> str | None:
    """The text in `lang`, falling back to the other language where the source gives only one."""
    first, second = (th, en) if lang is Language.TH else (en, th)
    return first if first is not None else second


LangArgument = Annotated[
    Language,
    strawberry.argument(
        description="Preferred language; falls back to the other where a source gives only one."
    ),
]


@strawberry.type(description="An amount of money in an exact decimal with its currency (จำนวนเงิน).")
class Money:
    amount: Decimal = strawberry.field(
        description='The amount, exact, as a decimal string (e.g. "6842970000.00").'
    )
    currency: Currency = strawberry.field(description="The currency; baht is `THB`.")


@strawberry.type(description="A point on the map in WGS 84 degrees, for a marker (พิกัด).")
class GeoPoint:
    latitude: float = strawberry.field(description="Latitude in decimal degrees.")
    longitude: float = strawberry.field(description="Longitude in decimal degrees.")


def geo_point(latitude: float | None, longitude: float | None) -> GeoPoint | None:
    if latitude is None or longitude is None:
        return None
    return GeoPoint(latitude=latitude, longitude=longitude)


@strawberry.type(description="A document a fact comes from, for citing it (แหล่งที่มา).")
class Source(Node):
    key: str = strawberry.field(description="The source's stable key.")
    url: str | None = strawberry.field(description="Where to read it, as stored when compiled.")
    publisher: str | None = strawberry.field(description="Who published it.")
    title: str | None = strawberry.field(description="Its title, where known.")
    published_on: PartialDate | None = strawberry.field(description="When it was published.")
    updated_at: datetime = strawberry.field(description="When this record last changed (UTC).")

    @classmethod
    def from_row(cls, row: SourceRow) -> Source:
        return cls(
            id=encode_id("Source", row.key),
            key=row.key,
            url=row.url,
            publisher=row.publisher,
            title=row.title,
            published_on=partial_date(row.published_on),
            updated_at=row.updated_at,
        )

    @classmethod
    async def load(cls, info: Info, key: str) -> Source:
        return await load_one(info.context.loaders.source_by_key, key, cls.from_row, "source")


@strawberry.type
class Record:
    """What every published record has: provenance and a change time (not a GraphQL type)."""

    table: ClassVar[str]
    db_id: strawberry.Private[int]
    updated_at: datetime = strawberry.field(
        description="When this record last changed (UTC); filter lists with it to sync."
    )

    @strawberry.field(description="The sources this record's facts come from (แหล่งที่มา).")
    async def sources(self, info: Info) -> list[Source]:
        rows = await info.context.loaders.sources_by_subject.load((self.table, self.db_id))
        return [Source.from_row(row) for row in rows]


RowT = TypeVar("RowT")
NodeT = TypeVar("NodeT")


async def load_one(
    loader: Loader[str, RowT | None], key: str, convert: Callable[[RowT], NodeT], what: str
) -> NodeT:
    """One record by natural key, or a NOT_FOUND error naming what was asked for."""
    row = await loader.load(key)
    if row is None:
        raise NotFoundError(f"no {what} {key!r}", key=key)
    return convert(row)


async def load_related(
    loader: Loader[int, RowT | None], row_id: int | None, convert: Callable[[RowT], NodeT]
) -> NodeT | None:
    """The record a foreign key points to, or None where the key is unset."""
    if row_id is None:
        return None
    row = await loader.load(row_id)
    return None if row is None else convert(row)
