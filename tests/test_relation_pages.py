"""Every relation connection reads only the page it returns, and pages it correctly.

The queries are generated from the schema: every connection field of every object type
other than `Query` (a relation) is asked for, from a parent that has many children in every
relation. A new relation field is covered without writing a test, and the test fails if the
data below gives it no children (extend `_grow`).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from graphql import GraphQLObjectType, GraphQLSchema, get_named_type
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel.ext.asyncio.session import AsyncSession

from db.engine import session_factory
from db.ids import global_id
from db.tables import City, Dimension, Organization, Project, Province
from schema.build import build_schema
from schema.node import Node
from tests import factories
from tests.graphql import GraphQLClient

SCHEMA: GraphQLSchema = build_schema()._schema
PAGE = 2  # smaller than every relation's list below, at either scale


@dataclass(frozen=True)
class Relation:
    parent: str  # the GraphQL type, or the root field that reaches it
    field: str
    node: bool  # reached through `node(id:)` (else through a root field of its own)


def _relations() -> Iterator[Relation]:
    """Every connection field outside `Query`, with how to reach its parent."""
    query_type = SCHEMA.query_type
    assert query_type is not None
    reachable = {  # root fields without arguments, by the type they return
        get_named_type(field.type).name: name
        for name, field in query_type.fields.items()
        if not field.args
    }
    for type_ in SCHEMA.type_map.values():
        if not isinstance(type_, GraphQLObjectType) or type_ is query_type:
            continue
        if type_.name.startswith("__") or type_.name.endswith(("Connection", "Edge")):
            continue
        is_node = any(interface.name == Node.__name__ for interface in type_.interfaces)
        for name, field in type_.fields.items():
            if get_named_type(field.type).name.endswith("Connection") and "first" in field.args:
                if is_node:
                    yield Relation(type_.name, name, node=True)
                else:
                    yield Relation(reachable[type_.name], name, node=False)


RELATIONS = sorted(_relations(), key=lambda r: (r.parent, r.field))


def _selection(relation: Relation, arguments: str) -> str:
    alias = f"{relation.parent}_{relation.field}"
    return (
        f"{alias}: {relation.field}({arguments}) "
        "{ totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } "
        "edges { cursor node { __typename ... on Node { id } } } }"
    )


def _query(arguments: str) -> str:
    """One operation asking every relation, from the parents in `$ids` and the root fields."""
    by_type: dict[str, list[str]] = {}
    roots: dict[str, list[str]] = {}
    for relation in RELATIONS:
        (by_type if relation.node else roots).setdefault(relation.parent, []).append(
            _selection(relation, arguments)
        )
    fragments = " ".join(
        f"... on {type_name} {{ {' '.join(fields)} }}" for type_name, fields in by_type.items()
    )
    root_fields = " ".join(f"{name} {{ {' '.join(fields)} }}" for name, fields in roots.items())
    return f"query ($ids: [ID!]!) {{ nodes(ids: $ids) {{ __typename {fragments} }} {root_fields} }}"


@dataclass
class Parents:
    province: Province
    organization: Organization
    dimension: Dimension
    city: City
    project: Project

    def ids(self) -> list[str]:
        return [
            global_id("Province", self.province.code),
            global_id("Organization", self.organization.slug),
            global_id("Dimension", self.dimension.code),
            global_id("City", self.city.slug),
            global_id("Project", self.project.slug),
        ]


async def _parents(session: AsyncSession) -> Parents:
    province = await factories.province(session, code="TH-97")
    organization = await factories.organization(session)
    dimension = await factories.dimension(session, "PAGED")
    city = await factories.city(
        session, province=province, dimensions=(dimension,), operator_id=organization.id
    )
    project = await factories.project(
        session, city=city, dimensions=(dimension,), operator_id=organization.id
    )
    return Parents(province, organization, dimension, city, project)


async def _grow(session: AsyncSession, parents: Parents, children: int) -> None:
    """Give every parent `children` more children in every relation."""
    p = parents
    for _ in range(children):
        await factories.city(
            session, province=p.province, dimensions=(p.dimension,), operator_id=p.organization.id
        )
        await factories.project(
            session, city=p.city, dimensions=(p.dimension,), operator_id=p.organization.id
        )
        await factories.investment(
            session, city=p.city, project=p.project, investor_id=p.organization.id
        )
        await factories.milestone(session, project=p.project, city=p.city)
        await factories.milestone(session)  # programme-wide
        await factories.observation(session, city_id=p.city.id, project_id=p.project.id)


@dataclass
class Reads:
    statements: int
    rows: int


async def _read(
    client: GraphQLClient, caplog: pytest.LogCaptureFixture, query: str, ids: list[str]
) -> tuple[dict[str, Any], Reads]:
    caplog.clear()
    with caplog.at_level(logging.DEBUG, logger="smartcity.sessions"):
        data = await client.data(query, {"ids": ids})
    [record] = [r for r in caplog.records if hasattr(r, "rows_read")]
    return data, Reads(record.__dict__["statements"], record.__dict__["rows_read"])


def _connections(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Every connection in a response, by its alias."""
    found: dict[str, dict[str, Any]] = {}
    parents = [*data["nodes"], *(data[r.parent] for r in RELATIONS if not r.node)]
    for parent in parents:
        for alias, value in parent.items():
            if isinstance(value, dict) and "totalCount" in value:
                found[alias] = value
    return found


def test_every_relation_connection_is_generated() -> None:
    fields = {(r.parent, r.field) for r in RELATIONS}
    # A floor, so that a walk that finds nothing cannot pass.
    assert {("City", "projects"), ("Dimension", "cities"), ("programme", "milestones")} <= fields
    assert len(fields) >= 15


async def test_relations_read_the_same_rows_when_the_data_grows_tenfold(
    client: GraphQLClient, engine: AsyncEngine, caplog: pytest.LogCaptureFixture
) -> None:
    async with session_factory(engine)() as session:
        parents = await _parents(session)
        await _grow(session, parents, 3)
    query = _query(f"first: {PAGE}")
    small_data, small = await _read(client, caplog, query, parents.ids())

    async with session_factory(engine)() as session:
        await _grow(session, parents, 27)  # ten times the children: 3 + 27 = 30
    large_data, large = await _read(client, caplog, query, parents.ids())

    small_pages, large_pages = _connections(small_data), _connections(large_data)
    assert len(small_pages) == len(RELATIONS)  # every relation was asked and answered
    for alias, page in small_pages.items():
        assert page["totalCount"] >= 3, f"{alias}: no data grows this relation; extend _grow"
        assert large_pages[alias]["totalCount"] >= 30, alias
        assert len(page["edges"]) == len(large_pages[alias]["edges"]) == PAGE, alias
    assert (large.statements, large.rows) == (small.statements, small.rows)
    print(f"relations: {small.statements} statements, {small.rows} rows, 3 or 30 children")


async def test_relations_page_forwards_and_backwards_like_one_long_page(
    client: GraphQLClient, engine: AsyncEngine
) -> None:
    async with session_factory(engine)() as session:
        parents = await _parents(session)
        await _grow(session, parents, 6)
    ids = parents.ids()
    everything = _connections(await client.data(_query("first: 100"), {"ids": ids}))
    # A cursor is a position, the same in every list: take them from any one.
    cursors = [edge["cursor"] for edge in next(iter(everything.values()))["edges"]]
    # Each kind of slice Relay's arguments describe, as positions in the one long page.
    slices = {
        "first: 2": slice(0, 2),
        f'first: 2, after: "{cursors[1]}"': slice(2, 4),
        f'first: 2, after: "{cursors[3]}", before: "{cursors[5]}"': slice(4, 5),
        "last: 2": slice(-2, None),
        f'last: 2, before: "{cursors[3]}"': slice(1, 3),
        f'last: 9, before: "{cursors[2]}"': slice(0, 2),
        f'after: "{cursors[0]}", before: "{cursors[3]}"': slice(1, 3),
        f'last: 1, after: "{cursors[0]}", before: "{cursors[3]}"': slice(2, 3),
    }
    for arguments, part in slices.items():
        pages = _connections(await client.data(_query(arguments), {"ids": ids}))
        for alias, whole in everything.items():
            expected = [edge["node"] for edge in whole["edges"]]
            total = len(expected)
            assert whole["totalCount"] == total >= 6, alias
            got = pages[alias]
            wanted = expected[part]
            assert [edge["node"] for edge in got["edges"]] == wanted, (alias, arguments)
            assert got["totalCount"] == total, (alias, arguments)
            start = range(total)[part].start
            assert got["pageInfo"] == {
                "hasPreviousPage": start > 0,
                "hasNextPage": start + len(wanted) < total,
                "startCursor": cursors[start],
                "endCursor": cursors[start + len(wanted) - 1],
            }, (alias, arguments)

    # Past the end: no items, and the list still knows its length.
    beyond = _connections(
        await client.data(_query(f'first: 2, after: "{cursors[-1]}"'), {"ids": ids})
    )
    for alias, whole in everything.items():
        assert beyond[alias]["edges"] == [], alias
        assert beyond[alias]["totalCount"] == whole["totalCount"], alias
