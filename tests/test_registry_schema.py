"""The GraphQL side of the entity registry: every entity the registry publishes is a Node the
schema can find by global ID, search finds exactly the searchable ones, and every enum is
described. Generated from the registry and the schema, so a new entity is covered unasked."""

from __future__ import annotations

import inspect
from enum import Enum

from graphql import GraphQLUnionType
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import col, select

from db import enums
from db.engine import session_factory
from db.entities import ENTITIES, NODES
from db.ids import global_id
from schema import enums as schema_enums
from schema.build import build_schema
from schema.node import Node
from tests.graphql import GraphQLClient

SCHEMA = build_schema()


def _node_types() -> dict[str, type]:
    """Every Node type in the schema, by name, with its Python class."""
    found = {}
    for definition in SCHEMA.schema_converter.type_map.values():
        origin = getattr(definition.definition, "origin", None)
        if isinstance(origin, type) and issubclass(origin, Node) and origin is not Node:
            found[definition.definition.name] = origin  # type: ignore[union-attr]
    return found


def test_the_schemas_node_types_are_the_registrys_published_entities() -> None:
    node_types = _node_types()
    assert set(node_types) == set(NODES)
    for name, node_type in node_types.items():
        assert node_type.table is NODES[name].model, name  # type: ignore[attr-defined]


def test_search_finds_exactly_the_searchable_entities() -> None:
    union = SCHEMA._schema.type_map["SearchResult"]
    assert isinstance(union, GraphQLUnionType)
    searchable = {e.type_name for e in ENTITIES if e.search is not None}
    assert {member.name for member in union.types} == searchable


def test_every_enum_of_the_domain_is_described() -> None:
    defined = {
        value
        for value in vars(enums).values()
        if inspect.isclass(value) and issubclass(value, Enum) and value.__module__ == enums.__name__
    }
    assert defined == set(schema_enums.DESCRIPTIONS)


async def test_every_published_entity_is_found_by_its_global_id(
    seeded_client: GraphQLClient, seeded_engine: AsyncEngine
) -> None:
    ids = {}
    async with session_factory(seeded_engine)() as session:
        for name, entity in NODES.items():
            key = col(getattr(entity.model, entity.key))
            first = (await session.exec(select(key).order_by(key).limit(1))).first()
            assert first is not None, f"the fixtures hold no {name}"
            ids[name] = global_id(name, str(first))
    data = await seeded_client.data(
        "query ($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }", {"ids": list(ids.values())}
    )
    assert [(node["__typename"], node["id"]) for node in data["nodes"]] == list(ids.items())
