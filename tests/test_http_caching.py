"""HTTP caching: ETags that follow the data, 304s, and automatic persisted queries over GET."""

from __future__ import annotations

import hashlib
import json

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from db.tables import PersistedQuery
from tests import factories
from tests.graphql import GraphQLClient, app_client

QUERY = "{ provinces(first: 2) { totalCount nodes { code } } }"
JSON = {"Accept": "application/json"}


def _hash(query: str) -> str:
    return hashlib.sha256(query.encode()).hexdigest()


def _extensions(query: str) -> str:
    return json.dumps({"persistedQuery": {"version": 1, "sha256Hash": _hash(query)}})


async def test_get_has_an_etag_and_a_repeat_gets_304(
    client: GraphQLClient, session: AsyncSession
) -> None:
    await factories.province(session, code="TH-10")
    first = await client.http.get("/graphql", params={"query": QUERY}, headers=JSON)
    assert first.status_code == 200
    etag = first.headers["etag"]
    assert first.headers["cache-control"] == "public, max-age=60, must-revalidate"
    again = await client.http.get(
        "/graphql", params={"query": QUERY}, headers={**JSON, "If-None-Match": etag}
    )
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == etag
    other = await client.http.get("/graphql", params={"query": "{ cities { totalCount } }"})
    assert other.headers["etag"] != etag


async def test_the_etag_changes_when_the_data_changes(
    client: GraphQLClient, session: AsyncSession
) -> None:
    await factories.province(session, code="TH-10")
    before = await client.http.get("/graphql", params={"query": QUERY}, headers=JSON)
    await factories.province(session, code="TH-50")
    after = await client.http.get(
        "/graphql",
        params={"query": QUERY},
        headers={**JSON, "If-None-Match": before.headers["etag"]},
    )
    assert after.status_code == 200
    assert after.headers["etag"] != before.headers["etag"]
    assert after.json()["data"]["provinces"]["totalCount"] == 2


async def test_post_is_not_cached(client: GraphQLClient) -> None:
    response = await client.http.post("/graphql", json={"query": QUERY})
    assert response.status_code == 200
    assert "etag" not in response.headers


async def test_persisted_queries_over_get(client: GraphQLClient, session: AsyncSession) -> None:
    await factories.province(session, code="TH-10")
    hashed = {"extensions": _extensions(QUERY)}
    unknown = await client.http.get("/graphql", params=hashed, headers=JSON)
    assert unknown.json() == {
        "errors": [
            {
                "message": "PersistedQueryNotFound",
                "extensions": {"code": "PERSISTED_QUERY_NOT_FOUND"},
            }
        ]
    }
    assert unknown.headers["cache-control"] == "no-store"
    registered = await client.http.get("/graphql", params={**hashed, "query": QUERY}, headers=JSON)
    assert registered.json()["data"]["provinces"]["totalCount"] == 1
    by_hash = await client.http.get("/graphql", params=hashed, headers=JSON)
    assert by_hash.json()["data"] == registered.json()["data"]
    assert "etag" in by_hash.headers  # so a CDN can cache it
    revalidated = await client.http.get(
        "/graphql", params=hashed, headers={**JSON, "If-None-Match": by_hash.headers["etag"]}
    )
    assert revalidated.status_code == 304


async def test_a_wrong_hash_is_refused(client: GraphQLClient) -> None:
    response = await client.http.get(
        "/graphql",
        params={"query": QUERY, "extensions": _extensions("{ cities { totalCount } }")},
    )
    assert response.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_HASH_MISMATCH"


async def test_persisted_queries_over_post_are_shared_by_every_process(
    client: GraphQLClient, engine: AsyncEngine, session: AsyncSession
) -> None:
    await factories.province(session, code="TH-10")
    body = {"query": QUERY, "extensions": json.loads(_extensions(QUERY))}
    assert (await client.http.post("/graphql", json=body)).json()["data"]
    stored = await session.get(PersistedQuery, _hash(QUERY))  # in the database
    assert stored is not None
    assert stored.query == QUERY
    # A second app (another server process) on the same database knows the hash.
    async with app_client(engine) as other:
        response = await other.post("/graphql", json={"extensions": json.loads(_extensions(QUERY))})
    assert response.json()["data"]["provinces"]["totalCount"] == 1


async def _stored(session: AsyncSession) -> list[str]:
    rows = (await session.exec(select(PersistedQuery.query))).all()
    return sorted(rows)


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("not GraphQL at all", "GRAPHQL_PARSE_FAILED"),
        ("{ provinces { population } }", "GRAPHQL_VALIDATION_FAILED"),
        ("{ cities(first: 1000) { totalCount } }", "INVALID_PAGINATION"),
    ],
)
async def test_only_a_query_that_would_run_is_persisted(
    client: GraphQLClient, session: AsyncSession, query: str, code: str
) -> None:
    body = {"query": query, "extensions": json.loads(_extensions(query))}
    response = await client.http.post("/graphql", json=body)
    assert response.json()["errors"][0]["extensions"]["code"] == code
    assert await _stored(session) == []


async def test_registering_a_query_is_charged_like_running_it(
    engine: AsyncEngine, session: AsyncSession
) -> None:
    async with app_client(engine, anonymous_budget=1) as http:
        first = {"query": QUERY, "extensions": json.loads(_extensions(QUERY))}
        assert (await http.post("/graphql", json=first)).headers["x-ratelimit-remaining"] == "0"
        other = "{ provinces { totalCount } }"
        second = {"query": other, "extensions": json.loads(_extensions(other))}
        refused = await http.post("/graphql", json=second)
        assert refused.status_code == 429
    assert await _stored(session) == [QUERY]  # the refused one was not stored


async def test_the_persisted_query_table_is_capped(
    engine: AsyncEngine, session: AsyncSession
) -> None:
    queries = [f"{{ provinces(first: {n}) {{ totalCount }} }}" for n in (1, 2, 3)]
    async with app_client(engine, max_persisted_queries=2) as http:
        for query in queries:
            body = {"query": query, "extensions": json.loads(_extensions(query))}
            assert (await http.post("/graphql", json=body)).json()["data"]
        # The oldest went first; asked by its hash, it is simply registered again.
        gone = await http.post("/graphql", json={"extensions": json.loads(_extensions(queries[0]))})
        assert gone.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"
    assert await _stored(session) == sorted(queries[1:])
