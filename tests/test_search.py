"""Search in Thai and English: substrings, ranking, folding, kept in step with writes."""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel.ext.asyncio.session import AsyncSession

from tests import factories
from tests.conftest import StatementCounter
from tests.graphql import GraphQLClient

SEARCH = """query ($q: String!, $first: Int) {
  search(query: $q, first: $first) {
    totalCount
    hits { rank match node {
      __typename
      ... on City { key: slug }
      ... on Province { key: code }
      ... on Project { key: slug }
      ... on Organization { key: slug } } } } }"""


async def _hits(client: GraphQLClient, query: str, first: int = 20) -> list[tuple[str, str, str]]:
    data = await client.data(SEARCH, {"q": query, "first": first})
    return [
        (hit["node"]["__typename"], hit["node"]["key"], hit["match"])
        for hit in data["search"]["hits"]
    ]


async def test_a_thai_substring_finds_its_records(seeded_client: GraphQLClient) -> None:
    hits = await _hits(seeded_client, "แม่เมาะ")
    assert hits[0] == ("City", "mae-moh", "NAME_PREFIX")
    assert ("Project", "mae-moh-solar-farm-phase-1", "NAME_CONTAINS") in hits


async def test_an_exact_thai_name_ranks_first(seeded_client: GraphQLClient) -> None:
    hits = await _hits(seeded_client, "เชียงใหม่")
    assert hits[0] == ("Province", "TH-50", "EXACT_NAME")
    assert {("City", "chiang-mai-old-town"), ("City", "cmu")} <= {(t, k) for t, k, _ in hits}


@pytest.mark.parametrize("query", ["chiang mai", "CHIANG MAI", "Chiang-Mai", "  chiang   mai "])
async def test_english_ignores_case_spacing_and_hyphens(
    seeded_client: GraphQLClient, query: str
) -> None:
    hits = await _hits(seeded_client, query)
    assert hits[0] == ("Province", "TH-50", "EXACT_NAME")
    assert ("City", "chiang-mai-old-town", "OTHER_TEXT") in hits


async def test_accents_do_not_matter(seeded_client: GraphQLClient) -> None:
    assert (await _hits(seeded_client, "Phúkét"))[0] == ("Province", "TH-83", "EXACT_NAME")


async def test_results_are_ranked_and_limited(seeded_client: GraphQLClient) -> None:
    data = await seeded_client.data(SEARCH, {"q": "khon", "first": 3})
    search = data["search"]
    assert search["totalCount"] > 3
    assert [hit["rank"] for hit in search["hits"]] == [1, 2, 3]
    assert search["hits"][0]["node"] == {"__typename": "Province", "key": "TH-40"}


async def test_short_queries_and_wildcards(seeded_client: GraphQLClient) -> None:
    assert ("Organization", "egat", "OTHER_TEXT") in await _hits(seeded_client, "eg")
    assert await _hits(seeded_client, "%") == []
    assert await _hits(seeded_client, "_") == []


async def test_search_follows_every_write(client: GraphQLClient, session: AsyncSession) -> None:
    place = await factories.province(session, name_th="ลำปาง", name_en="Lampang")
    area = await factories.city(session, province=place, slug="mm", name_th="แม่เมาะเมืองน่าอยู่")
    assert ("City", "mm", "NAME_PREFIX") in await _hits(client, "แม่เมาะ")

    area.name_th = "เมืองทดสอบใหม่"
    session.add(area)
    await session.commit()
    assert await _hits(client, "แม่เมาะ") == []
    assert await _hits(client, "ทดสอบ") == [("City", "mm", "NAME_CONTAINS")]

    await session.delete(area)
    await session.commit()
    assert await _hits(client, "ทดสอบ") == []


@pytest.mark.parametrize(
    ("variables", "code", "message"),
    [
        ({"q": "   ", "first": 5}, "BAD_USER_INPUT", "empty"),
        ({"q": "a", "first": 0}, "INVALID_PAGINATION", "first"),
        ({"q": "a", "first": 101}, "INVALID_PAGINATION", "first"),
    ],
)
async def test_bad_search_input(
    seeded_client: GraphQLClient, variables: dict[str, Any], code: str, message: str
) -> None:
    errors = await seeded_client.errors(SEARCH, variables)
    assert errors[0]["extensions"]["code"] == code
    assert message in errors[0]["message"]


async def test_statements_do_not_grow_with_the_hits(
    seeded_client: GraphQLClient, statements: StatementCounter
) -> None:
    statements.count = 0
    hits = await _hits(seeded_client, "a", first=100)
    assert len(hits) == 100
    # Rank, count, then one batched load per kind of record found.
    assert statements.count <= 2 + 4
