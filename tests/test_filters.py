"""Filters: every operator, combinations, conditions across relations, `updatedSince`."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from functools import partial
from typing import Any

import pytest
from sqlmodel.ext.asyncio.session import AsyncSession

from db.enums import (
    AscnCohort,
    CityStatus,
    CityType,
    InvestmentKind,
    MilestoneStatus,
    ProjectStatus,
    Region,
)
from db.tables import AscnMembership
from tests import factories
from tests.graphql import GraphQLClient

CITIES = """query ($filter: CityFilter) {
  cities(filter: $filter, first: 100) { totalCount nodes { slug } } }"""


async def _matching(
    client: GraphQLClient, field: str, filter_type: str, key: str, filter_: dict[str, Any]
) -> list[str]:
    """The `key` of every record of the root list `field` that the filter selects, in order."""
    query = f"""query ($filter: {filter_type}) {{
        {field}(filter: $filter, first: 100) {{ nodes {{ {key} }} }} }}"""
    data = await client.data(query, {"filter": filter_})
    return [node[key] for node in data[field]["nodes"]]


async def _slugs(client: GraphQLClient, filter_: dict[str, Any]) -> list[str]:
    return await _matching(client, "cities", "CityFilter", "slug", filter_)


@pytest.fixture
async def towns(session: AsyncSession) -> None:
    """Four areas in three provinces, with known names, statuses, dates and dimensions."""
    north = await factories.province(session, code="TH-52", name_en="Lampang", region=Region.NORTH)
    bangkok = await factories.province(
        session, code="TH-10", name_en="Bangkok", name_th="กรุงเทพมหานคร", region=Region.CENTRAL
    )
    south = await factories.province(session, code="TH-83", name_en="Phuket", region=Region.SOUTH)
    assert south.id is not None
    session.add(
        AscnMembership(province_id=south.id, name_as_listed="Phuket", cohort=AscnCohort.PILOT_2018)
    )
    mobility = await factories.dimension(session, "MOBILITY")
    energy = await factories.dimension(session, "ENERGY")
    await factories.city(
        session,
        province=north,
        slug="mae-moh",
        name_th="แม่เมาะเมืองน่าอยู่",
        name_en=None,
        dimensions=(energy,),
        certified_on="2021-08-13",
        certification_round="2021-R1",
        city_type=CityType.EXISTING,
    )
    await factories.city(
        session,
        province=bangkok,
        slug="samyan",
        name_en="Sam Yan Smart City",
        dimensions=(mobility, energy),
        certified_on="2021",
        certification_round="2021-R1",
    )
    await factories.city(
        session,
        province=north,
        slug="nan",
        name_en=None,
        name_th="เมืองน่านสู่เมืองอัจฉริยะ",
        dimensions=(mobility,),
        certified_on="2022-11-09",
        certification_round="2022-R2",
    )
    await factories.city(
        session,
        province=south,
        slug="proposal",
        name_en="Tinicon",
        status=CityStatus.PROPOSED,
        certified_on=None,
        certification_round="2023",
        proposed_on="2023-07-27",
    )


@pytest.mark.usefixtures("towns")
@pytest.mark.parametrize(
    ("filter_", "expected"),
    [
        ({"slug": {"eq": "nan"}}, ["nan"]),
        ({"slug": {"in": ["nan", "samyan", "nowhere"]}}, ["nan", "samyan"]),
        ({"name": {"contains": "SAM YAN"}}, ["samyan"]),  # case does not matter
        ({"name": {"contains": "แม่เมาะ"}}, ["mae-moh"]),  # a Thai substring
        # LIKE wildcards are taken literally: unescaped, each would match every name.
        ({"name": {"contains": "%"}}, []),
        ({"name": {"contains": "_"}}, []),
        ({"name": {"contains": "100%_"}}, []),
        ({"certifiedOn": {"isNull": True}}, ["proposal"]),
        ({"cityType": {"eq": "EXISTING"}}, ["mae-moh"]),
        ({"cityType": {"isNull": True}}, ["nan", "proposal", "samyan"]),
        ({"status": {"in": ["PROPOSED", "UNDER_REVIEW"]}}, ["proposal"]),
        ({"certificationRound": {"eq": "2021-R1"}}, ["mae-moh", "samyan"]),
        ({"certifiedOn": {"gte": "2021", "lt": "2022"}}, ["mae-moh", "samyan"]),
        ({"certifiedOn": {"gt": "2021-08-13"}}, ["nan"]),
        ({"certifiedOn": {"lte": "2021-08-13"}}, ["mae-moh", "samyan"]),
        ({"certifiedOn": {"eq": "2021"}}, ["samyan"]),
        ({"proposedOn": {"eq": "2023-07-27"}}, ["proposal"]),
        ({"province": {"region": {"eq": "NORTH"}}}, ["mae-moh", "nan"]),
        ({"province": {"name": {"contains": "กรุงเทพ"}}}, ["samyan"]),
        ({"dimension": {"code": {"eq": "MOBILITY"}}}, ["nan", "samyan"]),
        ({"dimension": {"code": {"in": ["ENERGY"]}}}, ["mae-moh", "samyan"]),
        ({"ascnMember": True}, ["proposal"]),
        ({"ascnMember": False}, ["mae-moh", "nan", "samyan"]),
        (
            {"province": {"region": {"eq": "NORTH"}}, "dimension": {"code": {"eq": "MOBILITY"}}},
            ["nan"],
        ),
        ({"or": [{"slug": {"eq": "nan"}}, {"slug": {"eq": "samyan"}}]}, ["nan", "samyan"]),
        (
            {
                "and": [
                    {"certificationRound": {"eq": "2021-R1"}},
                    {"dimension": {"code": {"eq": "MOBILITY"}}},
                ]
            },
            ["samyan"],
        ),
        ({"not": {"province": {"region": {"eq": "NORTH"}}}}, ["proposal", "samyan"]),
        ({"or": []}, []),
        ({"and": []}, ["mae-moh", "nan", "proposal", "samyan"]),
    ],
)
async def test_city_filters(
    client: GraphQLClient, filter_: dict[str, Any], expected: list[str]
) -> None:
    assert await _slugs(client, filter_) == expected


@pytest.mark.usefixtures("towns")
async def test_a_nested_connection_filters_too(client: GraphQLClient) -> None:
    data = await client.data(
        """{ province(code: "TH-52") {
              mobility: cities(filter: {dimension: {code: {eq: "MOBILITY"}}}) { nodes { slug } }
              all: cities { nodes { slug } } } }"""
    )
    assert data["province"]["mobility"]["nodes"] == [{"slug": "nan"}]
    assert [n["slug"] for n in data["province"]["all"]["nodes"]] == ["mae-moh", "nan"]


async def test_project_filters_by_city_dimension_status_period_and_budget(
    client: GraphQLClient, session: AsyncSession
) -> None:
    place = await factories.province(session, region=Region.EAST)
    mobility = await factories.dimension(session, "MOBILITY")
    area = await factories.city(session, province=place, slug="kk")
    other = await factories.city(session, province=place, slug="other")
    await factories.project(
        session,
        city=area,
        slug="lrt",
        dimensions=(mobility,),
        status=ProjectStatus.PLANNED,
        start_on="2025",
        end_on="2028",
        budget=Decimal("26963000000"),
    )
    await factories.project(
        session,
        city=area,
        slug="bus",
        dimensions=(mobility,),
        status=ProjectStatus.STOPPED,
        start_on="2017-04-23",
        end_on="2023-01-06",
        budget=None,
    )
    await factories.project(session, city=other, slug="park", start_on="2017-03-26")
    slugs = partial(_matching, client, "projects", "ProjectFilter", "slug")

    assert await slugs({"city": {"slug": {"eq": "kk"}}}) == ["bus", "lrt"]
    assert await slugs({"dimension": {"code": {"eq": "MOBILITY"}}}) == ["bus", "lrt"]
    assert await slugs({"status": {"eq": "STOPPED"}}) == ["bus"]
    assert await slugs({"startOn": {"gte": "2017", "lt": "2018"}}) == ["bus", "park"]
    assert await slugs({"endOn": {"gte": "2028"}}) == ["lrt"]
    assert await slugs({"budget": {"gt": "1000000000"}}) == ["lrt"]
    assert await slugs({"budget": {"isNull": True}}) == ["bus"]
    assert await slugs({"province": {"region": {"eq": "EAST"}}}) == ["bus", "lrt", "park"]
    assert await slugs({"title": {"contains": "synthetic project"}}) == ["bus", "lrt", "park"]


async def test_investment_filters(client: GraphQLClient, session: AsyncSession) -> None:
    north = await factories.province(session, code="TH-52", region=Region.NORTH)
    south = await factories.province(session, code="TH-83", region=Region.SOUTH)
    mobility = await factories.dimension(session, "MOBILITY")
    energy = await factories.dimension(session, "ENERGY")
    lampang = await factories.city(session, province=north, slug="l", dimensions=(energy,))
    phuket = await factories.city(session, province=south, slug="p", dimensions=(energy,))
    tram = await factories.project(session, city=phuket, slug="tram", dimensions=(mobility,))
    await factories.investment(
        session,
        city=lampang,
        key="a",
        amount=Decimal("20000000"),
        kind=InvestmentKind.OPERATOR,
        as_of="2023-01-08",
    )
    await factories.investment(
        session, city=phuket, key="b", amount=Decimal("400000000"), as_of=None
    )
    await factories.investment(
        session,
        city=phuket,
        project=tram,
        key="c",
        amount=Decimal("130000000.50"),
        kind=InvestmentKind.PRIVATE,
        as_of="2019",
    )
    keys = partial(_matching, client, "investments", "InvestmentFilter", "key")

    assert await keys({"kind": {"eq": "OPERATOR"}}) == ["a"]
    assert await keys({"kind": {"in": ["PUBLIC", "PRIVATE"]}}) == ["b", "c"]
    assert await keys({"year": {"eq": 2023}}) == ["a"]
    assert await keys({"year": {"in": [2019, 2023]}}) == ["a", "c"]
    assert await keys({"year": {"gte": 2019, "lte": 2022}}) == ["c"]
    assert await keys({"year": {"lt": 2020}}) == ["c"]
    assert await keys({"year": {"gt": 2020}}) == ["a"]
    assert await keys({"year": {"isNull": True}}) == ["b"]
    assert await keys({"amount": {"gte": "130000000.50"}}) == ["b", "c"]
    assert await keys({"amount": {"lt": "130000000.50"}}) == ["a"]
    assert await keys({"amount": {"eq": "20000000"}}) == ["a"]
    # Project money counts under the project's dimensions; other money under the area's.
    assert await keys({"dimension": {"code": {"eq": "MOBILITY"}}}) == ["c"]
    assert await keys({"dimension": {"code": {"eq": "ENERGY"}}}) == ["a", "b"]
    assert await keys({"province": {"region": {"eq": "SOUTH"}}}) == ["b", "c"]
    assert await keys({"city": {"slug": {"eq": "l"}}}) == ["a"]
    assert await keys({"project": {"slug": {"eq": "tram"}}}) == ["c"]
    assert await keys({"asOf": {"gte": "2023"}}) == ["a"]


async def test_milestone_filters_by_status_and_due_date(
    client: GraphQLClient, session: AsyncSession
) -> None:
    place = await factories.province(session)
    area = await factories.city(session, province=place, slug="kk")
    work = await factories.project(session, city=area, slug="lrt")
    await factories.milestone(session, project=work, city=area, key="met", met_on="2017-02-20")
    await factories.milestone(
        session,
        project=work,
        city=area,
        key="missed",
        status=MilestoneStatus.NOT_MET,
        met_on=None,
        due_on="2022",
    )
    await factories.milestone(
        session,
        project=work,
        city=area,
        key="next",
        status=MilestoneStatus.SCHEDULED,
        met_on=None,
        due_on="2028",
    )
    await factories.milestone(
        session, key="programme", status=MilestoneStatus.SCHEDULED, met_on=None, due_on="2027"
    )
    keys = partial(_matching, client, "milestones", "MilestoneFilter", "key")

    assert await keys({"status": {"eq": "SCHEDULED"}}) == ["programme", "next"]
    assert await keys({"status": {"in": ["MET", "NOT_MET"]}}) == ["met", "missed"]
    assert await keys({"dueOn": {"gte": "2025"}}) == ["programme", "next"]
    assert await keys({"dueOn": {"isNull": True}}) == ["met"]
    assert await keys({"metOn": {"lt": "2018"}}) == ["met"]
    assert await keys({"date": {"gte": "2022", "lt": "2028"}}) == ["missed", "programme"]
    assert await keys({"programmeWide": True}) == ["programme"]
    assert await keys({"project": {"slug": {"eq": "lrt"}}, "status": {"eq": "SCHEDULED"}}) == [
        "next"
    ]
    assert await keys({"city": {"slug": {"eq": "kk"}}, "not": {"status": {"eq": "MET"}}}) == [
        "missed",
        "next",
    ]


async def test_updated_since_and_updated_at(client: GraphQLClient, session: AsyncSession) -> None:
    place = await factories.province(session)
    old = await factories.city(session, province=place, slug="old")
    old.updated_at = datetime(2024, 1, 1, tzinfo=UTC)
    session.add(old)
    await session.commit()
    await factories.city(session, province=place, slug="new")
    since = (datetime.now(UTC) - timedelta(hours=1)).isoformat()
    await factories.dimension(session, "ENERGY")
    data = await client.data(
        """query ($since: DateTime!) {
            changed: cities(updatedSince: $since) { nodes { slug } }
            gte: cities(filter: {updatedAt: {gte: $since}}) { nodes { slug } }
            gt: cities(filter: {updatedAt: {gt: "2024-01-01T00:00:00+00:00"}}) { nodes { slug } }
            dimensions(updatedSince: $since) { code }
            none: dimensions(updatedSince: "2999-01-01T00:00:00+00:00") { code }
            nested: provinces { nodes { cities(updatedSince: $since) { nodes { slug } } } }
            before: cities(filter: {updatedAt: {lt: "2025-01-01T00:00:00+00:00"}}) {
              nodes { slug } } }""",
        {"since": since},
    )
    assert data["changed"]["nodes"] == [{"slug": "new"}]
    assert data["gte"]["nodes"] == [{"slug": "new"}]
    assert data["gt"]["nodes"] == [{"slug": "new"}]
    assert data["dimensions"] == [{"code": "ENERGY"}]
    assert data["none"] == []
    assert data["nested"]["nodes"] == [{"cities": {"nodes": [{"slug": "new"}]}}]
    assert data["before"]["nodes"] == [{"slug": "old"}]


async def test_an_unknown_filter_operator_is_a_validation_error(client: GraphQLClient) -> None:
    errors = await client.errors('{ cities(filter: {slug: {startsWith: "a"}}) { totalCount } }')
    assert errors[0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    errors = await client.errors(CITIES, {"filter": {"status": {"eq": "FAMOUS"}}})
    assert errors[0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_certified_cities_in_a_region_working_on_mobility(
    seeded_client: GraphQLClient,
) -> None:
    """One of the questions users ask, on the real data: of the areas whose plan the sources
    tie to dimensions, Khon Kaen and Korat are the certified ones in the Northeast."""
    data = await seeded_client.data(
        """{ cities(filter: {status: {eq: CERTIFIED}, province: {region: {eq: NORTHEAST}},
                             dimension: {code: {eq: "MOBILITY"}}}) { nodes { slug } } }"""
    )
    assert [node["slug"] for node in data["cities"]["nodes"]] == ["khon-kaen", "korat"]


async def test_cities_by_latest_progress(client: GraphQLClient, session: AsyncSession) -> None:
    place = await factories.province(session)
    for slug, values in {"up": ["10", "90"], "down": ["95", "30"], "none": []}.items():
        area = await factories.city(session, province=place, slug=slug)
        for year, value in enumerate(values, start=2022):
            await factories.observation(
                session,
                key=f"{slug}-{year}",
                city_id=area.id,
                value=Decimal(value),
                as_of=str(year),
            )
    assert await _slugs(client, {"latestProgress": {"gte": "50"}}) == ["up"]
    assert await _slugs(client, {"latestProgress": {"lt": "50"}}) == ["down"]
    assert await _slugs(client, {"latestProgress": {"isNull": True}}) == ["none"]
