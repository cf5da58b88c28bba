"""The whole-dataset zip as a Frictionless Data Package: `datapackage.json`.

One tabular resource per CSV, its Table Schema derived from the registry
(`db.table_schemas`), each field described by the GraphQL field its column carries
(`api.column_fields`) in English and by our Thai texts (`api.thai_texts`). Words in Thai sit
beside the English ones as `title_th` and `description_th` (Frictionless allows properties of
one's own), and each field names its GraphQL field in `graphql`.

The workbooks, JSON Lines and GeoJSON files are other renderings of the same rows: they stay
in the zip, listed with their checksums in `manifest.json`, but are no resources of the
package, whose profile (`tabular-data-package`) admits only tables.

The descriptor is built here, not in `db`, because its words come from the GraphQL schema;
`db.exports.write_archive` is handed `DataPackage.describe` and writes what it returns, so
the CLI's export and `/downloads/smartcity-thailand.zip` carry the same package.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from typing import Any

from graphql import GraphQLSchema

from api.column_fields import description_en, path_of
from api.thai_texts import ENTITIES_TH, field_th
from db import exports
from db.entities import ENTITIES, Entity, table_of
from db.table_schemas import Column, columns, resource_name, table_schema

NAME = "smartcity-thailand"
# The package's layout; its data version follows it in `version` (see `_version`).
LAYOUT = 1
LICENCE = {
    "name": exports.LICENCE,
    "path": exports.LICENCE_URL,
    "title": "Open Data Commons Open Database License (ODbL) v1.0",
}
SOURCES = [
    {
        "title": "The public sources each record cites (listed in sources.csv)",
        "path": exports.filename(exports.BY_NAME["sources"], "csv"),
    },
    {
        "title": "kongvut/thai-province-data (MIT)",
        "path": "https://github.com/kongvut/thai-province-data",
    },
    {
        "title": "Countries States Cities Database (ODbL v1.0)",
        "path": "https://github.com/dr5hn/countries-states-cities-database",
    },
]
CONTRIBUTORS = [
    {"title": "Smart City Thailand open-data API", "role": "publisher"},
    {
        "title": "kongvut/thai-province-data",
        "path": "https://github.com/kongvut/thai-province-data",
        "role": "contributor",
    },
    {
        "title": "Countries States Cities Database",
        "path": "https://github.com/dr5hn/countries-states-cities-database",
        "role": "contributor",
    },
]


@dataclass(frozen=True)
class FieldWords:
    """What the data dictionary says of one column."""

    title: str
    description: str
    title_th: str
    description_th: str
    graphql: str  # the field it carries, `City.location.latitude`


def _title(column: str) -> str:
    return column.replace("_", " ").capitalize()


def _list_note(column: Column) -> tuple[str, str]:
    """What a list column's cell holds, in English and Thai."""
    target = column.refers_to
    if column.kind == "sources":
        target = exports.BY_NAME["sources"]
    if target is None:  # a list of words (`alt_names_th`)
        return " In this file: the items, joined by `;`.", " ในไฟล์นี้: แต่ละรายการคั่นด้วย `;`"
    key = exports.column_name(target, target.key)
    return (
        f" In this file: the `{key}` of each of its {target.plural.replace('_', ' ')}, "
        f"joined by `;` (see {exports.filename(target, 'csv')}).",
        f" ในไฟล์นี้: `{key}` ของแต่ละรายการ คั่นด้วย `;` (ดู {exports.filename(target, 'csv')})",
    )


class DataPackage:
    """The package's descriptor, its words read once from the GraphQL schema."""

    def __init__(self, schema: GraphQLSchema) -> None:
        self.schema = schema

    def words(self, entity: Entity, column: Column) -> FieldWords:
        path = path_of(entity, column.name)
        title_th, description_th = field_th(path, f"{entity.plural}.{column.name}")
        english = description_en(self.schema, entity, column.name)
        if column.is_list:
            note_en, note_th = _list_note(column)
            english, description_th = english + note_en, description_th + note_th
        return FieldWords(_title(column.name), english, title_th, description_th, path)

    @cached_property
    def dictionary(self) -> dict[str, list[tuple[Column, FieldWords]]]:
        """Every entity's columns and their words, by entity: the data dictionary."""
        return {
            entity.plural: [(column, self.words(entity, column)) for column in columns(entity)]
            for entity in ENTITIES
        }

    def entity_description(self, entity: Entity) -> tuple[str, str]:
        """An entity's description in English (its GraphQL type's) and Thai."""
        described = self.schema.type_map[entity.type_name].description
        if not described:
            raise LookupError(f"{entity.type_name} has no GraphQL description")
        return described, ENTITIES_TH[entity.type_name]

    def _schema(self, entity: Entity) -> dict[str, Any]:
        described = table_schema(entity)
        for field, (_, words) in zip(
            described["fields"], self.dictionary[entity.plural], strict=True
        ):
            field.update(
                title=words.title,
                description=words.description,
                title_th=words.title_th,
                description_th=words.description_th,
                graphql=words.graphql,
            )
        return described

    def _resource(self, entity: Entity, written: Mapping[str, Any]) -> dict[str, Any]:
        english, thai = self.entity_description(entity)
        return {
            "name": resource_name(entity),
            "path": written["name"],
            "profile": "tabular-data-resource",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",  # with a byte-order mark, for Excel
            "bytes": written["bytes"],
            "hash": f"sha256:{written['sha256']}",
            "rows": written["rows"],
            "title": entity.title_en,
            "title_th": entity.title_th,
            "description": english,
            "description_th": thai,
            "table": table_of(entity.model).name,
            "schema": self._schema(entity),
        }

    def describe(
        self, data_version: int, last_change: datetime, files: Iterable[Mapping[str, Any]]
    ) -> dict[str, Any]:
        """The descriptor of the package whose written files are `files` (each with its
        `name`, `entity`, `format`, `rows`, `bytes` and `sha256`, as the manifest lists
        them), at this data version."""
        csvs = {entry["entity"]: entry for entry in files if entry["format"] == "csv"}
        return {
            "profile": "tabular-data-package",
            "name": NAME,
            "title": "Smart City Thailand open data",
            "title_th": "ข้อมูลเปิดโครงการเมืองอัจฉริยะของประเทศไทย",
            "description": (
                "Thailand's Smart City programme as open data: its areas, projects, "
                "investments, milestones, figures and the bodies that run it, each record "
                "with its sources. The same data as the GraphQL API at the same data version; "
                "each field names the GraphQL field it carries."
            ),
            "description_th": (
                "ข้อมูลเปิดของโครงการเมืองอัจฉริยะของประเทศไทย: พื้นที่ โครงการ การลงทุน "
                "หมุดหมาย ตัวเลข และหน่วยงานที่ดำเนินการ ทุกระเบียนพร้อมแหล่งที่มา "
                "เป็นข้อมูลชุดเดียวกับ GraphQL API ที่รุ่นข้อมูลเดียวกัน "
                "และทุกช่องระบุช่องของ GraphQL ที่ตรงกัน"
            ),
            "version": _version(data_version),
            "data_version": data_version,
            "created": last_change.isoformat(),
            "keywords": ["smart city", "Thailand", "เมืองอัจฉริยะ", "open data"],
            "licenses": [LICENCE],
            "attribution": exports.ATTRIBUTION,
            "sources": SOURCES,
            "contributors": CONTRIBUTORS,
            "resources": [
                self._resource(entity, csvs[entity.plural])
                for entity in ENTITIES
                if entity.plural in csvs
            ],
        }


def _version(data_version: int) -> str:
    """Semantic versioning as Frictionless asks: the layout, then the data version, which
    moves with every change of the data."""
    return f"{LAYOUT}.{data_version}.0"


def install(schema: GraphQLSchema) -> DataPackage:
    """The package described from `schema`, installed as what every archive this process
    writes carries (see `db.exports.describe_package_with`)."""
    package = DataPackage(schema)
    exports.describe_package_with(package.describe)
    return package
