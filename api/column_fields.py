"""Which GraphQL field each download column carries, so that a column is described by the
same text as its field (one text, not two) and named after it.

A column carries the field of its entity's type named in camelCase (`cities.proposed_on` →
`City.proposedOn`, `cities.province` → `City.province`, as the related record's key). Only
the columns that differ are listed below, each with the reason; `tests/test_column_names.py`
fails for a column that carries no field, or whose name is not its field's.
"""

from __future__ import annotations

from dataclasses import dataclass

from graphql import GraphQLField, GraphQLObjectType, GraphQLSchema, get_named_type

from db.entities import Entity


@dataclass(frozen=True)
class Carried:
    """The field a column carries, where it is not camelCase(column) on the entity's type."""

    path: str  # `City.location.latitude`: a type, then fields
    reason: str


# Where the API nests or renames what a flat CSV row holds in one column. The column is named
# after the path's first field (`budget`) or ends with its leaf (`ascn_cohort`).
def _carried(reason: str, paths: dict[tuple[str, str], str]) -> dict[tuple[str, str], Carried]:
    """Columns that differ from their fields for one reason."""
    return {column: Carried(path, reason) for column, path in paths.items()}


DIFFERENT: dict[tuple[str, str], Carried] = {
    **_carried(
        "the API groups a point's coordinates in `location`",
        {
            ("provinces", "latitude"): "Province.location.latitude",
            ("provinces", "longitude"): "Province.location.longitude",
            ("cities", "latitude"): "City.location.latitude",
            ("cities", "longitude"): "City.location.longitude",
        },
    ),
    **_carried(
        "the membership is a record of its own in the API; the CSV flattens it into the row",
        {
            ("provinces", "ascn_name_as_listed"): "Province.ascnMembership.nameAsListed",
            ("provinces", "ascn_cohort"): "Province.ascnMembership.cohort",
            ("provinces", "ascn_joined"): "Province.ascnMembership.joined",
            ("provinces", "ascn_sources"): "Province.ascnMembership.sources",
        },
    ),
    ("organizations", "name_en_origin"): Carried(
        "Organization.wording.origin",
        "the API says where each text comes from in `wording`, one entry per field; "
        "this column is that entry's origin for `nameEn`",
    ),
    ("observations", "value_text_origin"): Carried(
        "Observation.wording.origin",
        "the API says where each text comes from in `wording`, one entry per field; "
        "this column is that entry's origin for `valueText`",
    ),
    **_carried(
        "the API gives money as `Money`, an amount with its currency",
        {
            ("projects", "budget"): "Project.budget.amount",
            ("investments", "amount"): "Investment.amount.amount",
            ("investments", "currency"): "Investment.amount.currency",
        },
    ),
    ("investments", "label_en"): Carried(
        "Investment.label",
        "the label is written in English only; the column says so, the field predates that",
    ),
}


@dataclass(frozen=True)
class Placed:
    """A column that holds no field of its own record, but where the record stands in a list
    of another type: the list's field, and what the column says about it."""

    path: str
    description_en: str


# Named for their part, not after a field: the registry's list order (`Fixture.numbered`),
# and the record an alternative value belongs to (found in the API as that record's
# `alternatives`, the same field on every type that has it).
PLACED: dict[tuple[str, str], Placed] = {
    ("programme_phases", "position"): Placed(
        "Programme.phases", "The phase's place in `Programme.phases`, from 1."
    ),
    ("coverage_notes", "position"): Placed(
        "Programme.coverage", "The note's place in `Programme.coverage`, from 1."
    ),
    ("alternatives", "subject_type"): Placed(
        "Province.alternatives",
        "The table of the record whose `alternatives` list holds this value, "
        "e.g. `programme_phase`.",
    ),
    ("alternatives", "subject_key"): Placed(
        "Province.alternatives",
        "The natural key of the record whose `alternatives` list holds this value.",
    ),
}


def camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.capitalize() for part in rest)


def snake(name: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in name)


def path_of(entity: Entity, column: str) -> str:
    """The GraphQL field `column` of `entity`'s downloads carries, as `Type.field[.field]`."""
    key = (entity.plural, column)
    if key in DIFFERENT:
        return DIFFERENT[key].path
    if key in PLACED:
        return PLACED[key].path
    return f"{entity.type_name}.{camel(column)}"


def field_at(schema: GraphQLSchema, path: str) -> GraphQLField | None:
    """The field at `path`, or None if the schema has no such field."""
    type_name, *names = path.split(".")
    current = schema.type_map.get(type_name)
    found = None
    for name in names:
        if not isinstance(current, GraphQLObjectType) or name not in current.fields:
            return None
        found = current.fields[name]
        current = get_named_type(found.type)
    return found


def description_en(schema: GraphQLSchema, entity: Entity, column: str) -> str:
    """The column's English description: its field's, or what it says of a list it is in."""
    placed = PLACED.get((entity.plural, column))
    if placed is not None:
        return placed.description_en
    field = field_at(schema, path_of(entity, column))
    if field is None or not field.description:
        raise LookupError(f"{entity.plural}.{column}: no described GraphQL field")
    return field.description
