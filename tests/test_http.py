"""The server: GraphQL over POST and GET, GraphiQL in a browser, health."""

from __future__ import annotations

from pathlib import Path

from db.engine import create_engine
from tests.graphql import GraphQLClient, app_client


async def test_graphql_over_get(seeded_client: GraphQLClient) -> None:
    response = await seeded_client.http.get(
        "/graphql", params={"query": '{ province(code: "TH-50") { nameEn } }'}
    )
    assert response.status_code == 200
    assert response.json()["data"] == {"province": {"nameEn": "Chiang Mai"}}


async def test_graphiql_opens_in_a_browser(seeded_client: GraphQLClient) -> None:
    response = await seeded_client.http.get("/graphql", headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "graphiql" in response.text.lower()


async def test_health_checks_the_database(seeded_client: GraphQLClient, backend: str) -> None:
    response = await seeded_client.http.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": backend}


async def test_health_fails_when_the_database_is_unreachable(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path}/missing-dir/none.sqlite")
    async with app_client(engine) as http:
        response = await http.get("/health")
    await engine.dispose()
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unreachable"}


async def test_the_schema_documents_every_type_field_argument_and_input_field(
    seeded_client: GraphQLClient,
) -> None:
    data = await seeded_client.data(
        """{ __schema { types { name kind description
              fields { name description args { name description } }
              inputFields { name description } } } }"""
    )
    undocumented = []
    for graphql_type in data["__schema"]["types"]:
        if graphql_type["name"].startswith("__") or graphql_type["kind"] == "SCALAR":
            continue
        if not graphql_type["description"]:
            undocumented.append(graphql_type["name"])
        for field in graphql_type["fields"] or []:
            if not field["description"]:
                undocumented.append(f"{graphql_type['name']}.{field['name']}")
            for arg in field["args"]:
                if not arg["description"]:
                    undocumented.append(f"{graphql_type['name']}.{field['name']}({arg['name']})")
        for input_field in graphql_type["inputFields"] or []:
            if not input_field["description"]:
                undocumented.append(f"{graphql_type['name']}.{input_field['name']}")
    assert undocumented == []
