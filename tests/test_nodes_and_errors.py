"""Global IDs round-trip for every type; bad input gets a coded error, never a trace."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from db.engine import session_factory
from db.fixtures import DEFAULT_FIXTURES, load_fixtures
from db.tables import Investment
from schema.node import encode_id
from tests import factories
from tests.graphql import GraphQLClient

# (root query returning one record with its id and a distinguishing field, its type name)
LOOKUPS = [
    ('{ r: province(code: "TH-52") { id key: code } }', "Province"),
    ('{ r: city(slug: "mae-moh") { id key: slug } }', "City"),
    ('{ r: dimension(code: "ENERGY") { id key: code } }', "Dimension"),
    ('{ r: organization(slug: "egat") { id key: slug } }', "Organization"),
    ('{ r: project(slug: "mae-moh-solar-farm-phase-1") { id key: slug } }', "Project"),
    ("{ r: investments(first: 1) { nodes { id key } } }", "Investment"),
    ("{ r: milestones(first: 1) { nodes { id key } } }", "Milestone"),
    ("{ r: observations(first: 1) { nodes { id key } } }", "Observation"),
    ("{ r: sources(first: 1) { nodes { id key } } }", "Source"),
    ("{ r: programme { phases { id key } } }", "ProgrammePhase"),
]


@pytest.mark.parametrize(("lookup", "type_name"), LOOKUPS)
async def test_every_type_round_trips_through_node(
    seeded_client: GraphQLClient, lookup: str, type_name: str
) -> None:
    found = (await seeded_client.data(lookup))["r"]
    lists = [value for value in found.values() if isinstance(value, list)]
    record = lists[0][0] if lists else found
    assert record["id"] == encode_id(type_name, record["key"])  # built from the natural key
    node = await seeded_client.data(
        "query ($id: ID!) { node(id: $id) { __typename id } }", {"id": record["id"]}
    )
    assert node["node"] == {"__typename": type_name, "id": record["id"]}


async def test_ids_survive_a_reload(
    seeded_client: GraphQLClient, seeded_engine: AsyncEngine, tmp_path: Path
) -> None:
    """A record deleted and loaded again gets a new row id but keeps its global ID."""
    key = "phuket-public-programme-funding"
    query = """query ($key: String!) {
        investments(filter: {key: {eq: $key}}) { nodes { id } } }"""
    [before] = (await seeded_client.data(query, {"key": key}))["investments"]["nodes"]
    fixtures = tmp_path / "fixtures"
    shutil.copytree(DEFAULT_FIXTURES, fixtures)
    investments = fixtures / "investments.yaml"
    records = investments.read_text(encoding="utf-8").split("\n\n")
    kept = [record for record in records if not record.startswith(f"- key: {key}\n")]
    assert len(kept) == len(records) - 1
    investments.write_text("\n\n".join(kept), encoding="utf-8")

    async def row_id(session: AsyncSession) -> int | None:
        return (await session.exec(select(Investment.id).where(Investment.key == key))).first()

    async with session_factory(seeded_engine)() as session:
        old_row = await row_id(session)
        assert (await load_fixtures(session, fixtures)).deleted["investment"] == 1
        await session.commit()
        assert (await load_fixtures(session)).inserted["investment"] == 1
        await session.commit()
        new_row = await row_id(session)
    assert None not in (old_row, new_row)
    assert new_row != old_row
    [after] = (await seeded_client.data(query, {"key": key}))["investments"]["nodes"]
    assert after["id"] == before["id"] == encode_id("Investment", key)
    node = await seeded_client.data(
        "query ($id: ID!) { node(id: $id) { ... on Investment { key } } }", {"id": before["id"]}
    )
    assert node["node"] == {"key": key}


async def test_nodes_returns_in_order_with_null_and_an_error_for_unknown(
    client: GraphQLClient, session: AsyncSession
) -> None:
    place = await factories.province(session, code="TH-10")
    await factories.city(session, province=place, slug="known")
    ids = [encode_id("City", "known"), encode_id("City", "unknown"), encode_id("Province", "TH-10")]
    body = await client.post(
        "query ($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }", {"ids": ids}
    )
    assert body["data"]["nodes"] == [
        {"__typename": "City", "id": ids[0]},
        None,
        {"__typename": "Province", "id": ids[2]},
    ]
    [error] = body["errors"]
    assert error["path"] == ["nodes", 1]
    assert error["extensions"]["code"] == "NOT_FOUND"


@pytest.mark.parametrize(
    ("query", "code", "path"),
    [
        ('{ city(slug: "atlantis") { slug } }', "NOT_FOUND", ["city"]),
        ('{ province(code: "TH-00") { code } }', "NOT_FOUND", ["province"]),
        ('{ dimension(code: "HAPPINESS") { code } }', "NOT_FOUND", ["dimension"]),
        (f'{{ node(id: "{encode_id("City", "atlantis")}") {{ id }} }}', "NOT_FOUND", ["node"]),
        ('{ node(id: "%%%not-base64") { id } }', "INVALID_ID", ["node"]),
        (f'{{ node(id: "{encode_id("Spaceship", "x")}") {{ id }} }}', "INVALID_ID", ["node"]),
        ('{ node(id: "bm9jb2xvbg") { id } }', "INVALID_ID", ["node"]),
        # Refused before execution, so at its place in the document rather than a path.
        ("{ cities(first: 1000) { totalCount } }", "INVALID_PAGINATION", None),
    ],
)
async def test_bad_input_gets_a_clear_coded_error(
    seeded_client: GraphQLClient, query: str, code: str, path: list[str]
) -> None:
    body = await seeded_client.post(query)
    [error] = body["errors"]
    assert error["extensions"]["code"] == code
    assert error.get("path") == path
    assert "Traceback" not in str(body)
    assert 'File "' not in str(body)


async def test_a_wrong_enum_literal_fails_validation(seeded_client: GraphQLClient) -> None:
    errors = await seeded_client.errors('{ province(code: "TH-10") { name(lang: FR) } }')
    assert errors[0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert "FR" in errors[0]["message"]


async def test_a_wrong_enum_variable_is_bad_user_input(seeded_client: GraphQLClient) -> None:
    errors = await seeded_client.errors(
        'query ($lang: Language!) { province(code: "TH-10") { name(lang: $lang) } }',
        {"lang": "KLINGON"},
    )
    assert errors[0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_syntax_errors_and_unknown_fields_are_coded(seeded_client: GraphQLClient) -> None:
    errors = await seeded_client.errors("{ cities { ")
    assert errors[0]["extensions"]["code"] == "GRAPHQL_PARSE_FAILED"
    errors = await seeded_client.errors("{ cities { nodes { population } } }")
    assert errors[0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"


async def test_too_many_ids_at_once(seeded_client: GraphQLClient) -> None:
    ids = [encode_id("City", f"c{n}") for n in range(101)]
    errors = await seeded_client.errors(
        "query ($ids: [ID!]!) { nodes(ids: $ids) { id } }", {"ids": ids}
    )
    assert errors[0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_client_errors_are_not_logged_as_server_errors(
    seeded_client: GraphQLClient, caplog: pytest.LogCaptureFixture
) -> None:
    await seeded_client.errors('{ city(slug: "atlantis") { slug } }')
    assert [record for record in caplog.records if record.levelname == "ERROR"] == []


async def test_unexpected_failures_are_masked_for_clients_and_logged(
    client: GraphQLClient, engine: AsyncEngine, caplog: pytest.LogCaptureFixture
) -> None:
    async with engine.begin() as connection:
        await connection.execute(text("DROP TABLE coverage_note"))
    response = await client.http.post(
        "/graphql", json={"query": "{ programme { coverage { key } } }"}
    )
    body = response.json()
    [error] = body["errors"]
    assert error["message"] == "Internal error."
    # The client gets the request's ID to quote; the server log has the traceback under it.
    assert error["extensions"] == {
        "code": "INTERNAL_SERVER_ERROR",
        "requestId": response.headers["x-request-id"],
    }
    assert "coverage_note" not in str(body)
    assert "SELECT" not in str(body)
    logged = [record for record in caplog.records if record.levelname == "ERROR"]
    assert logged
    assert "coverage_note" in str(logged[0].exc_info)


async def test_a_failure_in_an_extension_hook_is_masked_too(
    client: GraphQLClient, engine: AsyncEngine, caplog: pytest.LogCaptureFixture
) -> None:
    # Storing a persisted query runs in the limits' hook, outside any resolver.
    async with engine.begin() as connection:
        await connection.execute(text("DROP TABLE persisted_query"))
    query = "{ dimensions { code } }"
    digest = hashlib.sha256(query.encode()).hexdigest()
    response = await client.http.post(
        "/graphql",
        json={
            "query": query,
            "extensions": {"persistedQuery": {"version": 1, "sha256Hash": digest}},
        },
    )
    [error] = response.json()["errors"]
    assert error["message"] == "Internal error."
    assert error["extensions"] == {
        "code": "INTERNAL_SERVER_ERROR",
        "requestId": response.headers["x-request-id"],
    }
    assert "persisted_query" not in response.text
    logged = [record for record in caplog.records if record.levelname == "ERROR"]
    assert "persisted_query" in str(logged[0].exc_info)


@pytest.mark.parametrize(
    ("query", "variables"),
    [
        ('{ province(code: "TH-\\u0000") { code } }', {}),
        (
            "query ($f: CityFilter) { cities(filter: $f) { totalCount } }",
            {"f": {"name": {"contains": "a\u0000"}}},
        ),
        ("query ($q: String!) { search(query: $q) { totalCount } }", {"q": "\u0000"}),
    ],
)
async def test_text_with_a_nul_character_is_refused_with_a_code(
    seeded_client: GraphQLClient, query: str, variables: dict[str, Any]
) -> None:
    # PostgreSQL cannot hold U+0000 in text; found by the fuzzer as an internal error.
    errors = await seeded_client.errors(query, variables)
    assert [error["extensions"]["code"] for error in errors] == ["BAD_USER_INPUT"]
    assert "NUL" in errors[0]["message"]
