"""SQL statements per request stay the same as the data grows ten times (no N+1)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel.ext.asyncio.session import AsyncSession

from db.engine import session_factory
from tests import factories
from tests.conftest import StatementCounter
from tests.graphql import GraphQLClient

NESTED = """{
  cities(
    first: 30
    filter: {status: {eq: CERTIFIED}, province: {region: {in: [NORTH, SOUTH]}}}
    orderBy: [{field: LATEST_PROGRESS, direction: DESC}, {field: TOTAL_INVESTMENT}]
  ) {
    totalCount
    nodes {
      slug name
      province { code name region ascnMembership { cohort } }
      dimensions { code name }
      operator { slug }
      sources { key }
      latestProgress { value }
      projects(first: 10, filter: {title: {contains: "synthetic"}}, orderBy: [{field: BUDGET}]) {
        totalCount
        nodes {
          slug title
          dimensions { code }
          milestones(first: 10, filter: {status: {eq: MET}}) {
            totalCount nodes { key status city { slug } }
          }
          investments(first: 10) { totalCount nodes { key amount { amount } investor { slug } } }
        }
      }
    }
  }
}"""


SUMMARIES = """{
  investmentSummary(groupBy: DIMENSION, filter: {kind: {eq: PUBLIC}}) { count groups { key } }
  byRegion: investmentSummary(groupBy: REGION) { count }
  citySummary(groupBy: DIMENSION) { count groups { key count } }
  progressSummary { areasWithFigure }
  cityRanking(first: 100) { entries { city { slug province { code } } } }
  programme {
    certification { namedAreas reportedAreas { value } }
    phases { areasToTarget certification { begun namedAreas reportedProvinces { value } } }
  }
  search(query: "synthetic", first: 100) { hits { node { __typename } } }
}"""


async def _statements_for(
    client: GraphQLClient,
    engine: AsyncEngine,
    statements: StatementCounter,
    cities: int,
    query: str = NESTED,
) -> tuple[int, int]:
    """Add `cities` synthetic cities, then count the statements of `query`."""
    async with session_factory(engine)() as session:
        dims = (
            await factories.dimension(session, f"MOBILITY{cities}"),
            await factories.dimension(session, f"ENERGY{cities}"),
        )
        await factories.synthetic_programme(session, cities=cities, dims=dims)
    statements.count = 0
    data = await client.data(query)
    if query is not NESTED:
        return statements.count, data["citySummary"]["count"]
    return statements.count, sum(
        len(p["milestones"]["nodes"])
        for c in data["cities"]["nodes"]
        for p in c["projects"]["nodes"]
    )


async def test_statement_count_does_not_grow_with_the_data(
    client: GraphQLClient, engine: AsyncEngine, statements: StatementCounter
) -> None:
    small, small_milestones = await _statements_for(client, engine, statements, cities=3)
    # Ten times the data in the same database: 3 + 27 = 30 cities.
    large, large_milestones = await _statements_for(client, engine, statements, cities=27)
    assert (small_milestones, large_milestones) == (12, 120)  # the query saw all the data
    assert small == large
    print(f"statements per nested query: {small} (3 cities) and {large} (30 cities)")


async def test_summaries_rankings_and_search_do_not_grow_with_the_data(
    client: GraphQLClient, engine: AsyncEngine, statements: StatementCounter
) -> None:
    small, small_cities = await _statements_for(client, engine, statements, 3, SUMMARIES)
    large, large_cities = await _statements_for(client, engine, statements, 27, SUMMARIES)
    assert (small_cities, large_cities) == (3, 30)
    assert small == large
    print(f"statements for the summaries query: {small} (3 cities) and {large} (30 cities)")


async def test_nodes_by_id_are_fetched_in_one_batch_per_type(
    client: GraphQLClient, engine: AsyncEngine, statements: StatementCounter
) -> None:
    async with session_factory(engine)() as session:
        dims = (
            await factories.dimension(session, "MOBILITY"),
            await factories.dimension(session, "ENERGY"),
        )
        await factories.synthetic_programme(session, cities=30, dims=dims)
    listed = await client.data("{ cities(first: 30) { nodes { id } } }")
    ids = [node["id"] for node in listed["cities"]["nodes"]]
    counts = []
    for wanted in (ids[:3], ids):
        statements.count = 0
        data = await client.data(
            "query ($ids: [ID!]!) { nodes(ids: $ids) { id } }", {"ids": wanted}
        )
        assert [node["id"] for node in data["nodes"]] == wanted
        counts.append(statements.count)
    assert len(ids) == 30
    assert counts[0] == counts[1]


NESTED_BY_TITLE = """query ($title: String!) {
  cities(first: 3) { nodes { projects(filter: {title: {contains: $title}}) { nodes { slug } } } }
}"""


async def test_nested_filters_follow_each_operation_and_each_parent_type(
    client: GraphQLClient, session: AsyncSession
) -> None:
    place = await factories.province(session, code="TH-52")
    area = await factories.city(session, province=place, slug="area")
    await factories.project(session, city=area, slug="tram", title_en="Tram line")
    await factories.project(session, city=area, slug="bus", title_en="Bus depot")
    # Two operations in one batch: the same nested field, different variables.
    batch = await client.http.post(
        "/graphql",
        json=[
            {"query": NESTED_BY_TITLE, "variables": {"title": "tram"}},
            {"query": NESTED_BY_TITLE, "variables": {"title": "bus"}},
        ],
    )
    projects = [
        [p["slug"] for p in item["data"]["cities"]["nodes"][0]["projects"]["nodes"]]
        for item in batch.json()
    ]
    assert projects == [["tram"], ["bus"]]
    # One response key on two parent types, each with its own filter.
    ids = await client.data('{ city(slug: "area") { id } province(code: "TH-52") { id } }')
    data = await client.data(
        """query ($ids: [ID!]!) { nodes(ids: $ids) {
            ... on City { projects(filter: {slug: {eq: "bus"}}) { nodes { slug } } }
            ... on Province { projects(filter: {slug: {eq: "tram"}}) { nodes { slug } } } } }""",
        {"ids": [ids["city"]["id"], ids["province"]["id"]]},
    )
    assert [[p["slug"] for p in n["projects"]["nodes"]] for n in data["nodes"]] == [
        ["bus"],
        ["tram"],
    ]
