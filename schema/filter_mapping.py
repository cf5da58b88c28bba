"""Checks, when the schema is built, that every field of every filter and sort input is mapped.

An entity filter's field that maps to nothing would be silently ignored (the client's condition
dropped, every record returned); a sort field's enum value that maps to nothing would fail each
request sorting by it. The maps are class-level data on the inputs (see `schema.filters`), so
they are compared here with the fields the built schema declares, for every input the schema
reaches: a new input is checked without being listed anywhere.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from enum import Enum
from typing import Any

import strawberry
from strawberry.types.base import StrawberryObjectDefinition, StrawberryOptional
from strawberry.types.enum import StrawberryEnumDefinition

from schema.filters import EntityFilter, OperatorFilter, SortKey


class UnmappedFieldError(Exception):
    """A filter or sort input declares a field its maps leave out, or maps one it lacks."""


def check_mapping(schema: strawberry.Schema) -> None:
    """Raise `UnmappedFieldError` naming every field of the schema's filter and sort inputs
    that is not mapped, and every mapped name that is not a field."""
    problems = [problem for found in mapping_problems(schema).values() for problem in found]
    if problems:
        raise UnmappedFieldError("\n".join(["Filter and sort inputs are not mapped:", *problems]))


def mapping_problems(schema: strawberry.Schema) -> dict[str, list[str]]:
    """Each filter and sort input of the schema, by GraphQL name, with what is wrong with its
    mapping: an empty list when every field is mapped."""
    found: dict[str, list[str]] = {}
    for name, concrete in schema.schema_converter.type_map.items():
        definition = concrete.definition
        if isinstance(definition, StrawberryObjectDefinition) and definition.is_input:
            problems = _input_problems(schema, name, definition)
            if problems is not None:
                found[name] = problems
    return found


def _input_problems(
    schema: strawberry.Schema, name: str, definition: StrawberryObjectDefinition
) -> list[str] | None:
    """What is wrong with one input's mapping, or None when it is not a filter or sort input."""
    graphql_names = {
        field.python_name: schema.config.name_converter.get_graphql_name(field)
        for field in definition.fields
    }
    cls = definition.origin
    if issubclass(cls, EntityFilter):
        return _entity_filter_problems(name, cls, definition, graphql_names)
    if issubclass(cls, OperatorFilter):
        operators = getattr(cls, "OPERATORS", {})
        return _compare(name, graphql_names, operators, "an operator")
    if issubclass(cls, SortKey):
        return _sort_key_problems(schema, name, cls, definition)
    if name.endswith(("Filter", "Order")):
        # Written without one of the bases, its fields would be checked by nothing here.
        return [f"{name} is not an EntityFilter, OperatorFilter or SortKey, so it maps nothing"]
    return None


def _entity_filter_problems(
    name: str,
    cls: type[EntityFilter],
    definition: StrawberryObjectDefinition,
    graphql_names: Mapping[str, str],
) -> list[str]:
    columns = getattr(cls, "COLUMNS", {})
    relations = getattr(cls, "RELATIONS", {})
    fields = {key: value for key, value in graphql_names.items() if key not in cls.COMBINATORS}
    problems = _compare(name, fields, [*columns, *relations], "a column or relation")
    problems += [
        f"{name}.{fields[key]} is mapped to both a column and a relation"
        for key in columns
        if key in relations and key in fields
    ]
    # A column's field is applied with its operator filter's `clause(column)`; anything else
    # (a flag, a related record's filter) needs a relation to say what it means.
    types = {field.python_name: _unwrapped(field.type) for field in definition.fields}
    problems += [
        f"{name}.{fields[key]} is mapped to a column but is not an operator filter"
        for key in columns
        if key in fields
        and not (isinstance(types[key], type) and issubclass(types[key], OperatorFilter))
    ]
    return problems


def _sort_key_problems(
    schema: strawberry.Schema,
    name: str,
    cls: type[SortKey],
    definition: StrawberryObjectDefinition,
) -> list[str]:
    enum = next((field.type for field in definition.fields if field.python_name == "field"), None)
    if not isinstance(enum, StrawberryEnumDefinition):
        return [f"{name}.field is not an enum of what to sort by"]
    values: dict[Enum, str] = {
        enum.wrapped_cls[value.name]: schema.config.name_converter.from_enum_value(enum, value)
        for value in enum.values
    }
    enum_name = schema.config.name_converter.from_type(enum)
    return _compare(enum_name, values, getattr(cls, "COLUMNS", {}), "a column")


def _compare(
    owner: str, declared: Mapping[Any, str], mapped: Collection[Any], target: str
) -> list[str]:
    """The declared names (keys, with their GraphQL names) missing from `mapped`, and the
    mapped names that are not declared (a typo in a map)."""
    missing = [
        f"{owner}.{graphql_name} is not mapped to {target}"
        for key, graphql_name in declared.items()
        if key not in mapped
    ]
    unknown = [
        f"{owner}: {key} is mapped but not declared" for key in mapped if key not in declared
    ]
    return missing + unknown


def _unwrapped(field_type: Any) -> Any:
    """A field's type without its `| None`."""
    return field_type.of_type if isinstance(field_type, StrawberryOptional) else field_type
