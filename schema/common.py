"""Types every domain shares: languages, money, map points, certainty and provenance."""

from __future__ import annotations

import dataclasses
import re
from datetime import datetime
from decimal import Decimal
from enum import Enum
from typing import Annotated, Any, ClassVar, Protocol, Self, TypeVar

import strawberry
from sqlalchemy import Row
from sqlmodel import col
from strawberry.utils.str_converters import to_camel_case

from db.entities import BY_MODEL
from db.enums import Currency, TextOrigin
from db.tables import Alternative as AlternativeRow
from db.tables import Record as RecordRow
from db.tables import Source as SourceRow
from schema.computed import COMPUTED, Cited, Derived, Localized
from schema.context import Info
from schema.errors import NotFoundError
from schema.node import Node, encode_id
from schema.scalars import PartialDate


@strawberry.enum(description="A language the data is published in (ภาษา).")
class Language(Enum):
    EN = strawberry.enum_value("EN", description="English.")
    TH = strawberry.enum_value("TH", description="Thai (ภาษาไทย).")


def in_language(lang: Language, th: str | None, en: str | None) -> str | None:
    """The text in `lang`, falling back to the other language where the source gives only one."""
    first, second = (th, en) if lang is Language.TH else (en, th)
    return first if first is not None else second


LangArgument = Annotated[
    Language,
    strawberry.argument(
        description=(
            "Preferred language; falls back to the other where a source gives only one. "
            "`wording(lang:)` says where it did."
        )
    ),
]


def localized(th: str, en: str, description: str, *, required: bool = False) -> Any:
    """A field with a language argument: the text in the language asked for, falling back to
    the other where a source gives only one (`required`: both are always known)."""

    def optional(self: Any, lang: LangArgument = Language.EN) -> str | None:
        return in_language(lang, getattr(self, th), getattr(self, en))

    def always(self: Any, lang: LangArgument = Language.EN) -> str:
        text = in_language(lang, getattr(self, th), getattr(self, en))
        assert text is not None
        return text

    return strawberry.field(
        resolver=always if required else optional,
        description=description,
        metadata={COMPUTED: Localized(th, en)},
    )


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


def money(amount: Decimal, currency: Currency) -> Money:
    return Money(amount=amount, currency=currency)


def baht(amount: Decimal | None) -> Money | None:
    return None if amount is None else money(amount, Currency.THB)


def geo_point(latitude: float | None, longitude: float | None) -> GeoPoint | None:
    if latitude is None or longitude is None:
        return None
    return GeoPoint(latitude=latitude, longitude=longitude)


@strawberry.type(description="A document a fact comes from, for citing it (แหล่งที่มา).")
class Source(Node):
    table: ClassVar[type[SourceRow]] = SourceRow
    key: str = strawberry.field(description="The source's stable key.")
    url: str | None = strawberry.field(description="Where to read it, as stored when compiled.")
    publisher: str | None = strawberry.field(
        description="Who published it; null where the document does not say."
    )
    title: str | None = strawberry.field(
        description="Its title or headline as printed, where known."
    )
    published_on: PartialDate | None = strawberry.field(
        description="When it was published, as precisely as it says (a day, a month or a year)."
    )
    language: str | None = strawberry.field(
        description="The language it is written in, as an ISO 639-1 code (`th`, `en`)."
    )
    updated_at: datetime = strawberry.field(description="When this record last changed (UTC).")

    @classmethod
    def from_row(cls, row: Row[Any]) -> Source:
        return from_columns(cls, row)


THAI = re.compile("[\u0e00-\u0e7f]")


def _language_of(field: str, text: str) -> Language:
    """A column's language from its name (`name_th`), else from the text's script."""
    if field.endswith(("_th", "_en")):
        return Language.TH if field.endswith("_th") else Language.EN
    return Language.TH if THAI.search(text) else Language.EN


@strawberry.type(description="Where one of a record's texts comes from (ที่มาของถ้อยคำ).")
class Wording:
    field: str = strawberry.field(description="The field, as named in this schema: `nameEn`.")
    language: Language = strawberry.field(description="The language of its words.")
    origin: TextOrigin = strawberry.field(description="Whether the words may be quoted.")
    fell_back: bool = strawberry.field(
        description=(
            "For a field with a `lang` argument: true where the record has no text in the "
            "language asked for, so the field answered in the other language."
        )
    )


@strawberry.type(
    description=(
        "Another value a source gives for one of a record's fields, where sources disagree "
        "(ค่าที่แหล่งข้อมูลระบุต่างกัน): the record shows one value, and each other value is kept "
        "here with its own sources."
    )
)
class Alternative(Node):
    table: ClassVar[type[AlternativeRow]] = AlternativeRow
    # Stored as the exported column (`name_th`), shown as this schema names it (`nameTh`).
    DERIVED: ClassVar[dict[str, Derived]] = {"field": Derived(("field",), to_camel_case)}
    db_id: strawberry.Private[int]
    key: str = strawberry.field(description="Stable identifier.")
    field: str = strawberry.field(description="The field it is for, as named in this schema.")
    value: str = strawberry.field(description="The value, as the source gives it.")
    note_en: str | None = strawberry.field(description="How it differs, in our own words.")
    updated_at: datetime = strawberry.field(description="When this record last changed (UTC).")

    @classmethod
    def from_row(cls, row: Row[Any]) -> Alternative:
        return from_columns(cls, row)

    @strawberry.field(description="The sources that give this value (แหล่งที่มา).")
    async def sources(self, info: Info) -> list[Source]:
        return await _cited(info, str(self.table.__tablename__), self.db_id)


async def _cited(info: Info, table: str, row_id: int) -> list[Source]:
    rows = await info.context.loaders.sources_by_subject.load((table, row_id))
    return [Source.from_row(row) for row in rows]


@strawberry.type
class Record:
    """What every published record has: provenance and a change time (not a GraphQL type)."""

    table: ClassVar[type[RecordRow]]  # the table its rows come from
    DERIVED: ClassVar[dict[str, Derived]] = {}  # fields that are more than a column's copy
    # Where each text field's words come from: an origin, or the private field holding each
    # record's own (where it differs from record to record).
    WORDING: ClassVar[dict[str, TextOrigin | str]] = {}
    db_id: strawberry.Private[int]
    updated_at: datetime = strawberry.field(
        description="When this record last changed (UTC); filter lists with it to sync."
    )

    @classmethod
    def from_row(cls, row: Row[Any]) -> Self:
        return from_columns(cls, row)

    @strawberry.field(
        description="The sources this record's facts come from (แหล่งที่มา).",
        metadata={COMPUTED: Cited()},
    )
    async def sources(self, info: Info) -> list[Source]:
        return await _cited(info, str(self.table.__tablename__), self.db_id)

    @strawberry.field(
        description=(
            "Other values sources give for this record's fields, where they disagree with "
            "the value shown; each with its own sources."
        )
    )
    async def alternatives(self, info: Info) -> list[Alternative]:
        entity = BY_MODEL.get(self.table)
        if entity is None:  # a part of another record, such as an ASCN membership
            return []
        subject = (entity.table, str(getattr(self, entity.key)))
        rows = await info.context.loaders.alternatives_by_subject.load(subject)
        return [Alternative.from_row(row) for row in rows]

    @strawberry.field(
        description=(
            "Where each of this record's texts comes from: printed in its sources (quotable), "
            "or our own translation or summary. For each field with a `lang` argument, also "
            "the language it answers `lang` in, and whether it fell back to the other."
        )
    )
    def wording(self, lang: LangArgument = Language.EN) -> list[Wording]:
        words = []
        for name, declared in self.WORDING.items():
            text = getattr(self, name)
            if text is None:
                continue
            origin = declared if isinstance(declared, TextOrigin) else getattr(self, declared)
            words.append(
                Wording(
                    field=to_camel_case(name),
                    language=_language_of(name, text),
                    origin=origin,
                    fell_back=False,
                )
            )
        return words + self._chosen(lang, {word.field: word for word in words})

    def _chosen(self, lang: Language, words: dict[str, Wording]) -> list[Wording]:
        """What each `lang`-taking field (`name(lang:)`) answers `lang` with."""
        chosen = []
        for field in type(self).__strawberry_definition__.fields:  # type: ignore[attr-defined]
            columns = field.metadata.get(COMPUTED)
            if not isinstance(columns, Localized):
                continue
            asked, other = (
                (columns.th, columns.en) if lang is Language.TH else (columns.en, columns.th)
            )
            column = asked if getattr(self, asked) is not None else other
            word = words.get(to_camel_case(column))
            if word is not None:
                name = field.graphql_name or to_camel_case(field.python_name)
                chosen.append(dataclasses.replace(word, field=name, fell_back=column != asked))
        return chosen


NodeT = TypeVar("NodeT", covariant=True)


class FromRow(Protocol[NodeT]):
    """A GraphQL type (the class itself) that is built from one row of its table."""

    @property
    def table(self) -> type[RecordRow]: ...

    def from_row(self, row: Row[Any]) -> NodeT: ...


T = TypeVar("T")


def from_columns(cls: type[T], row: Row[Any]) -> T:
    """A GraphQL type built from a row of its table: the fields its `DERIVED` declares are
    computed, and every other field named like a column takes the column's value as stored
    (stored values already have the fields' Python types: a partial date is its text, an enum
    its member). `db_id` is the row's id and a Node's `id` its global ID, from the registry.
    So a new column shown as it is stored is a table column and a field, nothing more."""
    columns = row._mapping
    derived: dict[str, Derived] = getattr(cls, "DERIVED", {})
    values: dict[str, Any] = {
        name: field.compute(*(columns[column] for column in field.columns))
        for name, field in derived.items()
    }
    for field in dataclasses.fields(cls):  # type: ignore[arg-type]
        if not field.init or field.name in derived:
            continue
        if field.name == "id":
            entity = BY_MODEL[getattr(cls, "table")]  # noqa: B009  (a ClassVar of each Node)
            values["id"] = encode_id(entity.type_name, str(columns[entity.key]))
        elif field.name == "db_id":
            values["db_id"] = columns["id"]
        elif field.name in columns:
            values[field.name] = columns[field.name]
    return cls(**values)


def natural_key(table: type[RecordRow]) -> Any:
    """The column a record is looked up by (a slug, a code, a key), from the registry."""
    return getattr(table, BY_MODEL[table].key)


async def load_one(info: Info, node: FromRow[NodeT], key: str) -> NodeT:
    """A record by its natural key, or a NOT_FOUND error naming what was asked for."""
    column = natural_key(node.table)
    row = await info.context.loaders.one_by(column).load(key)
    if row is None:
        what = str(node.table.__tablename__).replace("_", " ")
        raise NotFoundError(f"no {what} with {column.key} {key!r}", key=key)
    return node.from_row(row)


async def load_related(
    info: Info, node: FromRow[NodeT], row_id: int | None, *, by: Any = None
) -> NodeT | None:
    """The record a foreign key points to (its id, or the column `by`), or None where the key
    is unset."""
    if row_id is None:
        return None
    column = col(node.table.id) if by is None else by
    row = await info.context.loaders.one_by(column).load(row_id)
    return None if row is None else node.from_row(row)


Code = Annotated[str, strawberry.argument(description="The code, e.g. `TH-10` or `MOBILITY`.")]
Slug = Annotated[str, strawberry.argument(description="The stable slug.")]
