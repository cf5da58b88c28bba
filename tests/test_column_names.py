"""Every download column carries a GraphQL field and is named after it (`api.column_fields`),
so a partner who knows the API knows the files, and the data dictionary describes each
column with its field's own text."""

from __future__ import annotations

import re

import pytest
from graphql import GraphQLList, GraphQLNonNull, get_named_type, is_leaf_type

from api.column_fields import DIFFERENT, PLACED, camel, field_at, path_of, snake
from api.thai_texts import field_th
from db import exports
from db.entities import ENTITIES, Entity
from schema.build import build_schema

SCHEMA = build_schema()._schema
COLUMNS = [(entity, column) for entity in ENTITIES for column in exports.header(entity)]


def _words_end_or_start(column: str, words: str) -> bool:
    """`words` (snake_case) are the whole column, or its last or first words."""
    return re.fullmatch(rf"(.+_)?{words}|{words}(_.+)?", column) is not None


def _list_of(path: str) -> str | None:
    """The item type's name, if the field at `path` is a list of objects."""
    field = field_at(SCHEMA, path)
    if field is None:
        return None
    kind = field.type.of_type if isinstance(field.type, GraphQLNonNull) else field.type
    return get_named_type(kind).name if isinstance(kind, GraphQLList) else None


@pytest.mark.parametrize(("entity", "column"), COLUMNS, ids=[f"{e.plural}.{c}" for e, c in COLUMNS])
def test_each_column_carries_a_described_graphql_field_it_is_named_after(
    entity: Entity, column: str
) -> None:
    path = path_of(entity, column)
    field = field_at(SCHEMA, path)
    assert field is not None, f"{entity.plural}.{column} carries no GraphQL field ({path})"
    assert field.description, path
    assert all(field_th(path, f"{entity.plural}.{column}")), path
    key = (entity.plural, column)
    if key in PLACED:
        # It places the row in a list of its own type's records.
        assert _list_of(path) == entity.type_name, path
    elif key in DIFFERENT:
        _type, head, *rest = path.split(".")
        leaf = rest[-1] if rest else head
        assert _words_end_or_start(column, snake(leaf)) or _words_end_or_start(
            column, snake(head)
        ), f"{entity.plural}.{column} is named after neither end of {path}"
    else:
        assert snake(path.rsplit(".", 1)[1]) == column, f"{entity.plural}.{column}: {path}"


def test_the_explicit_maps_list_only_columns_that_differ() -> None:
    """An entry for a column that no longer exists, or whose default field would do, goes."""
    columns = {(entity.plural, column) for entity, column in COLUMNS}
    by_plural = {entity.plural: entity for entity in ENTITIES}
    for plural, column in [*DIFFERENT, *PLACED]:
        assert (plural, column) in columns, f"{plural}.{column} is no download column"
        default = field_at(SCHEMA, f"{by_plural[plural].type_name}.{camel(column)}")
        assert default is None or not is_leaf_type(get_named_type(default.type)), (
            f"{plural}.{column} needs no entry: it carries {default}"
        )


def test_a_column_without_a_field_or_named_otherwise_is_caught() -> None:
    """The checks above, on columns that would break them."""
    city = next(entity for entity in ENTITIES if entity.type_name == "City")
    assert field_at(SCHEMA, path_of(city, "round")) is None  # the name before issue 15
    assert not _words_end_or_start("ascn_cohort", "joined")
    assert _words_end_or_start("ascn_cohort", "cohort")
