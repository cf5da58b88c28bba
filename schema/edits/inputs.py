"""The input objects and payloads of the mutations, made from the registry (`db.entities`).

A record's input fields are its fixture model's fields (`db.fixture_models`), as the
downloads name them: so the API, the spreadsheets and the fixtures take a record in the same
words, and nothing here lists them again. Each field is described as the record's own field
of that name is, and a field naming another record says whose natural key it takes.
"""

from __future__ import annotations

import functools
import importlib
import importlib.util
import pkgutil
import re
import types
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, Union, get_args, get_origin

import strawberry
from pydantic.fields import FieldInfo
from strawberry.types.base import get_object_definition

import schema
from db.entities import Entity
from db.enums import ProblemCode
from db.fixtures import BY_MODEL
from db.types import PARTIAL_DATE
from schema.computed import Derived
from schema.node import Node
from schema.scalars import PartialDate


@strawberry.type(
    description=(
        "Why a mutation did not do what it was asked (ข้อผิดพลาดของข้อมูลนำเข้า), to show to "
        "whoever made the edit: nothing was written. As Shopify's `userErrors`."
    )
)
class UserError:
    field: list[str] | None = strawberry.field(
        description='The path to the input field at fault, e.g. `["input", "budget"]`; '
        "null where the record as a whole is."
    )
    message: str = strawberry.field(description="What is wrong, in English.")
    code: ProblemCode = strawberry.field(description="What is wrong, as a stable code.")


@functools.cache
def _domains_imported() -> None:
    """Import every domain's types (`schema/<domain>/types.py`): some are reached only
    lazily from others, and would not yet be defined."""
    for module in pkgutil.iter_modules(schema.__path__):
        if module.ispkg and importlib.util.find_spec(f"schema.{module.name}.types"):
            importlib.import_module(f"schema.{module.name}.types")


def node_type(entity: Entity) -> type[Node]:
    """The GraphQL type of the entity's records: the Node subclass built from its table."""
    _domains_imported()
    pending: list[type[Any]] = [Node]
    while pending:
        current = pending.pop()
        if getattr(current, "table", None) is entity.model:
            return current
        pending.extend(current.__subclasses__())
    raise LookupError(f"no GraphQL type reads {entity.table}")


def _partial_date(annotation: Any) -> bool:
    return get_origin(annotation) is Annotated and any(
        getattr(meta, "pattern", None) == PARTIAL_DATE.pattern for meta in get_args(annotation)
    )


def graphql_type(field: FieldInfo) -> tuple[Any, bool]:
    """The GraphQL type of a fixture field, and whether it may be null."""
    annotation: Any = field.annotation
    nullable = False
    if get_origin(annotation) in (Union, types.UnionType):
        [annotation] = [arg for arg in get_args(annotation) if arg is not type(None)]
        nullable = True
    if _partial_date(annotation) or any(
        getattr(meta, "pattern", None) == PARTIAL_DATE.pattern for meta in field.metadata
    ):
        return PartialDate, nullable
    if get_origin(annotation) is Annotated:
        annotation = get_args(annotation)[0]
    if annotation is Decimal:
        return Decimal, nullable
    return annotation, nullable


def _description(entity: Entity, name: str) -> str | None:
    """A record field's description: as its GraphQL type describes the field showing it (of
    its name, or one that shows only this column), else as the fixture model does."""
    table = BY_MODEL[entity.model]
    if name in table.foreign:
        target = table.foreign[name][1]
        return f"The natural key of the {target.replace('_', ' ')} (as in its downloads)."
    for link in table.links:
        if link.name == name:
            return f"The natural keys of its {name}."
    node = node_type(entity)
    derived: dict[str, Derived] = getattr(node, "DERIVED", {})
    showing = {name} | {shown for shown, d in derived.items() if d.columns == (name,)}
    definition = get_object_definition(node)
    assert definition is not None
    for field in definition.fields:
        if field.python_name in showing and field.description:
            return field.description
    return entity.fixture.model.model_fields[name].description


@dataclass(frozen=True)
class Field:
    name: str  # as in the fixtures and the downloads
    annotation: Any  # its GraphQL type, as Strawberry reads it
    default: Any
    description: str | None


def _input_type(name: str, description: str, fields: list[Field]) -> type:
    namespace: dict[str, Any] = {"__annotations__": {}}
    for field in fields:
        namespace["__annotations__"][field.name] = field.annotation
        namespace[field.name] = strawberry.field(
            default=field.default, description=field.description
        )
    return strawberry.input(type(name, (), namespace), description=description)


REASON = Field("reason", str | None, None, "Why the edit is made, for the audit trail.")
CLIENT_ID = Field(
    "client_mutation_id", str | None, None, "Any string, returned in the payload (Relay)."
)
EXPECTED = Field(
    "expected_updated_at",
    datetime,
    strawberry.UNSET,
    "The `updatedAt` of the version this edit is based on: if the record has changed since, "
    "nothing is written and the payload's error is `CONFLICT`.",
)
ID = Field("id", strawberry.ID, strawberry.UNSET, "The record's global ID.")


def _record_fields(entity: Entity, *, for_update: bool) -> list[Field]:
    fields = []
    for name, info in entity.fixture.model.model_fields.items():
        annotation, nullable = graphql_type(info)
        if for_update and name == entity.key:
            continue  # natural keys (and so global IDs) never change
        if name == "sources":
            continue  # said per mutation: what a create cites, what an update adds
        if for_update or nullable or not info.is_required():
            annotation = annotation | None  # omitted: unchanged, null, or the default
        fields.append(Field(name, annotation, strawberry.UNSET, _description(entity, name)))
    return fields


def a(type_name: str) -> str:
    """`type_name` with its indefinite article: "an Organization", "a City"."""
    return ("an " if type_name[0] in "AEIOU" else "a ") + type_name


def create_input(entity: Entity, verb: str) -> type:
    cite = [
        Field(
            "sources",
            list[str],
            strawberry.UNSET,
            "The keys of the sources this record rests on: at least one.",
        )
    ]
    fields = [*_record_fields(entity, for_update=False), *(cite if entity.cited else [])]
    return _input_type(
        f"{verb.title()}{entity.type_name}Input",
        f"A new {entity.type_name}: omitted fields that may be null are null.",
        [*fields, REASON, CLIENT_ID],
    )


def update_input(entity: Entity) -> type:
    cite = [
        Field(
            "sources",
            list[str],
            strawberry.UNSET,
            "The keys of the sources this change rests on (at least one), added to the record's.",
        ),
        Field(
            "remove_sources", list[str] | None, None, "Keys of sources the record no longer cites."
        ),
    ]
    fields = [ID, EXPECTED, *_record_fields(entity, for_update=True)]
    return _input_type(
        f"Update{entity.type_name}Input",
        f"Changes to {a(entity.type_name)}: only the fields given change; null empties one.",
        [*fields, *(cite if entity.cited else []), REASON, CLIENT_ID],
    )


def delete_input(entity: Entity) -> type:
    return _input_type(
        f"Delete{entity.type_name}Input",
        f"The {entity.type_name} to delete: refused while other records refer to it.",
        [ID, EXPECTED, REASON, CLIENT_ID],
    )


def record_field(entity: Entity) -> str:
    """The payload's field holding the record: `city` for a City."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", entity.type_name).lower()


def payload_type(name: str, description: str, entity: Entity, *, deleted: bool) -> type:
    record = record_field(entity)
    namespace: dict[str, Any] = {"__annotations__": {}}
    if deleted:
        namespace["__annotations__"]["deleted_id"] = strawberry.ID | None
        namespace["deleted_id"] = strawberry.field(
            default=None, description="The deleted record's global ID."
        )
    else:
        namespace["__annotations__"][record] = node_type(entity) | None
        namespace[record] = strawberry.field(
            default=None, description=f"The {entity.type_name} as it now is; null on an error."
        )
    namespace["__annotations__"]["user_errors"] = list[UserError]
    namespace["user_errors"] = strawberry.field(
        default_factory=list, description="Why nothing was written; empty on success."
    )
    namespace["__annotations__"]["client_mutation_id"] = str | None
    namespace["client_mutation_id"] = strawberry.field(
        default=None, description="As given in the input."
    )
    return strawberry.type(type(name, (), namespace), description=description)
