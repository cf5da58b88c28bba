"""The Frictionless Table Schema of each entity's CSV, derived from the registry and the
tables: each column's type, constraints and keys, nothing written down twice.

Words (titles and descriptions) are not here: they come from the GraphQL schema and our Thai
texts, which the `db` layer does not know (see `api.datapackage`). A column's schema says
only what the data guarantees, so that `frictionless validate` on a download checks it.

Types: text and codes are `string` (a `maxLength` from the column, an `enum` from
`db.enums`), partial dates (`2021`, `2021-08` or `2021-08-05` in one column) `string` with
their pattern (no Table Schema date type takes all three), exact decimals `number`, and
`updated_at` a `datetime`. A foreign key is exported as the related record's natural key and
declared as a foreign key to that entity's resource. A list (a link, `sources`, a JSON list)
is one cell of `;`-joined keys: a Table Schema cannot declare a foreign key on it.
"""

from __future__ import annotations

import typing
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from db import exports
from db.entities import Entity, table_of
from db.fixture_models import PartialDate
from db.types import PARTIAL_DATE, ExactDecimal, UtcDateTime

# The partial-date pattern as Table Schema applies it (the whole value, anchors implied),
# with ASCII digits spelled out: an XML Schema `\d` would accept Thai digits too.
PARTIAL_DATE_PATTERN = PARTIAL_DATE.pattern.strip("^$").replace(r"\d", "[0-9]")


@dataclass(frozen=True)
class Column:
    """One CSV column: its Table Schema field (without words), and what it is."""

    name: str
    field: dict[str, Any]
    # `column`: a table column (`table` holds it); `side`: a side table's column; `link`: a
    # list of linked records' keys; `sources`; `id`: the global ID; `updated_at`.
    kind: str
    is_list: bool = False
    refers_to: Entity | None = None  # a foreign key's or a link's entity


def resource_name(entity: Entity) -> str:
    """Table Schema names hold no underscore: `programme_phases` → `programme-phases`."""
    return entity.plural.replace("_", "-")


def _is_partial_date(fixture_model: Any, name: str) -> bool:
    field = fixture_model.model_fields.get(name)
    if field is None:
        return False
    annotation = field.rebuild_annotation()
    return annotation == PartialDate or PartialDate in typing.get_args(annotation)


def _typed(column: sa.Column[Any], partial_date: bool) -> dict[str, Any]:
    """A table column's type and the constraints its type implies."""
    kind = column.type
    if isinstance(kind, sa.Enum):
        assert kind.enum_class is not None
        return {"type": "string", "constraints": {"enum": [e.value for e in kind.enum_class]}}
    if isinstance(kind, UtcDateTime):
        return {"type": "datetime"}
    if isinstance(kind, ExactDecimal | sa.Float):
        return {"type": "number"}
    if isinstance(kind, sa.TypeDecorator):  # SQLModel's `AutoString`: a plain string
        kind = kind.impl_instance
    if isinstance(kind, sa.Boolean):
        return {"type": "boolean"}
    if isinstance(kind, sa.Integer):
        return {"type": "integer"}
    if isinstance(kind, sa.JSON):
        return {"type": "string"}  # a list, `;`-joined
    if isinstance(kind, sa.String):
        constraints: dict[str, Any] = {}
        if partial_date:
            constraints["pattern"] = PARTIAL_DATE_PATTERN
        elif kind.length:
            constraints["maxLength"] = kind.length
        return {"type": "string", "constraints": constraints}
    raise TypeError(f"no Table Schema type for {column.table.name}.{column.name}: {kind!r}")


def _field(name: str, typed: dict[str, Any], required: bool, unique: bool) -> dict[str, Any]:
    constraints = dict(typed.get("constraints", {}))
    if required:
        constraints["required"] = True
    if unique:
        constraints["unique"] = True
    field = {"name": name, "type": typed["type"]}
    if constraints:
        field["constraints"] = constraints
    return field


def _key_type(target: Entity) -> dict[str, Any]:
    """The type of `target`'s natural key, as a foreign key to it is exported."""
    key = table_of(target.model).c[target.key]
    return _typed(key, partial_date=False)


def columns(entity: Entity) -> list[Column]:
    """Every column of `entity`'s CSV, in `exports.header` order."""
    table = table_of(entity.model)
    found = []
    if entity.node:
        found.append(Column("id", _field("id", {"type": "string"}, True, True), "id"))
    for name in entity.columns:
        column = table.c[name]
        exported = exports.column_name(entity, name)
        unique = bool(column.unique) or name == entity.key
        is_list = isinstance(column.type, sa.JSON)
        # An empty list is an empty cell, as a missing value is.
        required = not column.nullable and not is_list
        target = entity.foreign.get(name)
        if target is not None:
            typed = _key_type(target)
        else:
            typed = _typed(column, _is_partial_date(entity.fixture.model, exported))
        found.append(
            Column(
                exported,
                _field(exported, typed, required, unique),
                "column",
                is_list=is_list,
                refers_to=target,
            )
        )
    for side in entity.sides:
        side_table = table_of(side.model)
        for exported, name in side.exported:
            typed = _typed(side_table.c[name], _is_partial_date(side.fixture.model, name))
            # A record without a side row has every side column empty.
            found.append(Column(exported, _field(exported, typed, False, False), "side"))
        if side.cited_as is not None:
            sources = _field(side.cited_as, {"type": "string"}, False, False)
            found.append(Column(side.cited_as, sources, "sources", is_list=True))
    for link in entity.links:
        _, _, target = link.ends(entity)
        found.append(
            Column(
                link.name,
                _field(link.name, {"type": "string"}, False, False),
                "link",
                is_list=True,
                refers_to=target,
            )
        )
    if entity.cited:
        sources = _field("sources", {"type": "string"}, False, False)
        found.append(Column("sources", sources, "sources", is_list=True))
    found.append(
        Column("updated_at", _field("updated_at", {"type": "datetime"}, True, False), "updated_at")
    )
    assert [c.name for c in found] == exports.header(entity), entity.plural
    return found


def table_schema(entity: Entity) -> dict[str, Any]:
    """The Table Schema of `entity`'s CSV, with its fields' words left to the caller."""
    fields = columns(entity)
    return {
        "fields": [column.field for column in fields],
        "missingValues": [""],
        "primaryKey": [exports.column_name(entity, entity.key)],
        "foreignKeys": [
            {
                "fields": [column.name],
                "reference": {
                    # A reference to the resource itself is by its own name: frictionless
                    # reads an empty name as "this resource" too, but not every tool does.
                    "resource": resource_name(column.refers_to),
                    "fields": [exports.column_name(column.refers_to, column.refers_to.key)],
                },
            }
            for column in fields
            if column.refers_to is not None and not column.is_list and column.kind == "column"
        ],
    }
