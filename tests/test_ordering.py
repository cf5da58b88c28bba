"""Ordering by plain, related and derived fields; paging through any order sees each row once."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlmodel.ext.asyncio.session import AsyncSession

from db.enums import InvestmentStage
from tests import factories
from tests.graphql import GraphQLClient, pages

PAGE = """query ($order: [CityOrder!], $after: String) {
  cities(orderBy: $order, first: 2, after: $after) {
    totalCount nodes { slug } pageInfo { hasNextPage endCursor } } }"""


async def _walk(client: GraphQLClient, order: list[dict[str, str]]) -> list[str]:
    """Every slug, two at a time, following the cursors to the end."""
    seen: list[str] = []
    async for page in pages(client, PAGE, "cities", {"order": order}):
        seen += [node["slug"] for node in page["nodes"]]
    return seen


@pytest.fixture
async def ranked(session: AsyncSession) -> None:
    """Seven areas: progress with ties and gaps, investments, three provinces."""
    lampang = await factories.province(session, code="TH-52", name_en="Lampang")
    bangkok = await factories.province(session, code="TH-10", name_en="Bangkok")
    yala = await factories.province(session, code="TH-95", name_en="Yala")
    progress = {"a": "96.67", "b": "89.38", "c": "89.38", "d": None, "e": "27", "f": None}
    provinces = {"a": lampang, "b": bangkok, "c": yala, "d": bangkok, "e": lampang, "f": yala}
    for slug, value in progress.items():
        area = await factories.city(session, province=provinces[slug], slug=slug)
        if value is not None:
            await factories.observation(
                session, city_id=area.id, value=Decimal("10"), as_of="2022", key=f"{slug}-old"
            )
            await factories.observation(
                session, city_id=area.id, value=Decimal(value), as_of="2024-04-23", key=slug
            )
        if slug in ("b", "d", "f"):
            amount = {"b": "100", "d": "5000000000", "f": "100"}[slug]
            await factories.investment(session, city=area, key=f"{slug}-1", amount=Decimal(amount))
            await factories.investment(session, city=area, key=f"{slug}-2", amount=Decimal("0.5"))
            # Money not spent: ranks no area.
            await factories.investment(
                session,
                city=area,
                key=f"{slug}-pledged",
                amount=Decimal("9000000000") if slug == "f" else Decimal("1"),
                stage=InvestmentStage.REGISTERED_CAPITAL
                if slug == "f"
                else InvestmentStage.EXPECTED,
            )
    await factories.city(session, province=yala, slug="g")


@pytest.mark.usefixtures("ranked")
@pytest.mark.parametrize(
    ("order", "expected"),
    [
        ([{"field": "SLUG", "direction": "DESC"}], ["g", "f", "e", "d", "c", "b", "a"]),
        # Latest figure, not the older 10; ties broken by slug; unknown last.
        (
            [{"field": "LATEST_PROGRESS", "direction": "DESC"}],
            ["a", "b", "c", "e", "d", "f", "g"],
        ),
        ([{"field": "LATEST_PROGRESS"}], ["e", "b", "c", "a", "d", "f", "g"]),
        (
            [{"field": "TOTAL_INVESTMENT", "direction": "DESC"}],
            ["d", "b", "f", "a", "c", "e", "g"],
        ),
        (
            [{"field": "PROVINCE_NAME"}, {"field": "SLUG", "direction": "DESC"}],
            ["d", "b", "e", "a", "g", "f", "c"],
        ),
    ],
)
async def test_paging_through_an_ordered_list_sees_every_row_once(
    client: GraphQLClient, order: list[dict[str, str]], expected: list[str]
) -> None:
    assert await _walk(client, order) == expected


@pytest.mark.usefixtures("ranked")
async def test_backwards_paging_under_an_ordering(client: GraphQLClient) -> None:
    query = """query ($before: String) {
      cities(orderBy: [{field: LATEST_PROGRESS, direction: DESC}], last: 3, before: $before) {
        nodes { slug } pageInfo { hasPreviousPage startCursor } } }"""
    seen: list[str] = []
    async for page in pages(client, query, "cities", backward=True):
        seen = [node["slug"] for node in page["nodes"]] + seen
    assert seen == ["a", "b", "c", "e", "d", "f", "g"]


async def test_nested_connections_take_an_order(
    client: GraphQLClient, session: AsyncSession
) -> None:
    place = await factories.province(session, code="TH-40")
    area = await factories.city(session, province=place, slug="kk")
    for slug, budget in (("x", "5"), ("y", None), ("z", "700")):
        await factories.project(
            session, city=area, slug=slug, budget=None if budget is None else Decimal(budget)
        )
    data = await client.data(
        """{ city(slug: "kk") {
              projects(orderBy: [{field: BUDGET, direction: DESC}]) { nodes { slug } } } }"""
    )
    assert [n["slug"] for n in data["city"]["projects"]["nodes"]] == ["z", "x", "y"]
