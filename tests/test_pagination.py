"""Relay connections: cursors both ways, the default size, the cap, empty pages."""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel.ext.asyncio.session import AsyncSession

from schema.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE
from tests import factories
from tests.graphql import GraphQLClient, pages

PAGE = """query ($first: Int, $after: String, $last: Int, $before: String) {
  provinces(first: $first, after: $after, last: $last, before: $before) {
    totalCount
    edges { cursor node { code } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  } }"""


async def _provinces(session: AsyncSession, count: int) -> list[str]:
    codes = [f"TH-{n:03d}" for n in range(1, count + 1)]
    for code in codes:
        await factories.province(session, code=code)
    return codes


def _codes(connection: dict[str, Any]) -> list[str]:
    return [edge["node"]["code"] for edge in connection["edges"]]


async def test_first_after_walks_forward_through_every_item_once(
    client: GraphQLClient, session: AsyncSession
) -> None:
    codes = await _provinces(session, 7)
    seen: list[str] = []
    async for page in pages(client, PAGE, "provinces", {"first": 3}):
        assert page["totalCount"] == 7
        seen += _codes(page)
    assert seen == codes
    assert page["pageInfo"]["hasPreviousPage"] is True


async def test_last_before_walks_backward_through_every_item_once(
    client: GraphQLClient, session: AsyncSession
) -> None:
    codes = await _provinces(session, 7)
    seen: list[str] = []
    async for page in pages(client, PAGE, "provinces", {"last": 3}, backward=True):
        seen = _codes(page) + seen
    assert seen == codes
    assert page["pageInfo"]["hasNextPage"] is True


async def test_first_page_and_last_page_flags(client: GraphQLClient, session: AsyncSession) -> None:
    await _provinces(session, 5)
    first = (await client.data(PAGE, {"first": 2}))["provinces"]
    assert _codes(first) == ["TH-001", "TH-002"]
    assert first["pageInfo"]["hasPreviousPage"] is False
    assert first["pageInfo"]["hasNextPage"] is True
    last = (await client.data(PAGE, {"last": 2}))["provinces"]
    assert _codes(last) == ["TH-004", "TH-005"]
    assert last["pageInfo"]["hasNextPage"] is False
    assert last["pageInfo"]["hasPreviousPage"] is True


async def test_without_first_or_last_a_page_holds_the_default_size(
    client: GraphQLClient, session: AsyncSession
) -> None:
    await _provinces(session, DEFAULT_PAGE_SIZE + 3)
    page = (await client.data(PAGE))["provinces"]
    assert len(page["edges"]) == DEFAULT_PAGE_SIZE
    assert page["totalCount"] == DEFAULT_PAGE_SIZE + 3
    assert page["pageInfo"]["hasNextPage"] is True


async def test_the_cap_allows_exactly_max_page_size(
    client: GraphQLClient, session: AsyncSession
) -> None:
    await _provinces(session, MAX_PAGE_SIZE + 1)
    page = (await client.data(PAGE, {"first": MAX_PAGE_SIZE}))["provinces"]
    assert len(page["edges"]) == MAX_PAGE_SIZE
    errors = await client.errors(PAGE, {"first": MAX_PAGE_SIZE + 1})
    assert errors[0]["extensions"]["code"] == "INVALID_PAGINATION"


async def test_empty_pages(client: GraphQLClient, session: AsyncSession) -> None:
    empty = (await client.data(PAGE, {"first": 5}))["provinces"]
    assert empty == {
        "totalCount": 0,
        "edges": [],
        "pageInfo": {
            "hasNextPage": False,
            "hasPreviousPage": False,
            "startCursor": None,
            "endCursor": None,
        },
    }
    await _provinces(session, 2)
    end = (await client.data(PAGE, {"first": 2}))["provinces"]["pageInfo"]["endCursor"]
    past_the_end = (await client.data(PAGE, {"first": 2, "after": end}))["provinces"]
    assert past_the_end["edges"] == []
    assert past_the_end["totalCount"] == 2
    assert past_the_end["pageInfo"]["hasNextPage"] is False


async def test_nested_connections_page_too(client: GraphQLClient, session: AsyncSession) -> None:
    place = await factories.province(session, code="TH-10")
    for slug in ("a", "b", "c"):
        await factories.city(session, province=place, slug=slug)
    query = """query ($after: String) { province(code: "TH-10") {
        cities(first: 2, after: $after) { totalCount nodes { slug }
          pageInfo { hasNextPage endCursor } } } }"""
    page = (await client.data(query))["province"]["cities"]
    assert [n["slug"] for n in page["nodes"]] == ["a", "b"]
    assert page["totalCount"] == 3
    cursor = page["pageInfo"]["endCursor"]
    page = (await client.data(query, {"after": cursor}))["province"]["cities"]
    assert [n["slug"] for n in page["nodes"]] == ["c"]
    assert page["pageInfo"]["hasNextPage"] is False


@pytest.mark.parametrize(
    ("variables", "code", "path"),
    [
        # A page size out of range is refused before the query runs: no path, no data.
        ({"first": 1000}, "INVALID_PAGINATION", None),
        ({"first": 0}, "INVALID_PAGINATION", None),
        ({"last": -1}, "INVALID_PAGINATION", None),
        ({"first": 2, "last": 2}, "INVALID_PAGINATION", ["provinces"]),
        ({"after": "not-a-cursor"}, "INVALID_CURSOR", ["provinces"]),
        ({"before": "Q2l0eTptYWUtbW9o"}, "INVALID_CURSOR", ["provinces"]),
    ],
)
async def test_bad_pagination_arguments_get_a_clear_coded_error(
    client: GraphQLClient, variables: dict[str, Any], code: str, path: list[str] | None
) -> None:
    body = await client.post(PAGE, variables)
    assert body["data"] is None or body["data"]["provinces"] is None
    [error] = body["errors"]
    assert error["extensions"]["code"] == code
    assert error.get("path") == path
