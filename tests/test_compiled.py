"""Compiled queries answer exactly as the resolvers do: the resolver path is the reference.

Each query is sent to two apps on the same seeded database, one with compiled queries and one
without, and the whole responses (data, errors, extensions with the cost) must be equal; the
statements the compiled app ran show whether the compiler answered at all.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from typing import Any

import pytest
from hypothesis import given
from hypothesis_graphql import queries
from sqlalchemy.ext.asyncio import AsyncEngine

from db.ids import global_id
from tests.graphql import app_client
from tests.test_fuzz import SCALARS, SDL, fuzz

AREA, PROVINCE = global_id("City", "mae-moh"), global_id("Province", "TH-50")
PROJECT, UNKNOWN = global_id("Project", "khon-kaen-tram-noy"), global_id("City", "no-such-area")
QUERIES = {
    "list page": """{ cities(first: 50) { totalCount nodes { id slug name nameTh status
        certificationRound certifiedOn location { latitude longitude } locationPrecision updatedAt
        province { code name(lang: TH) region } } pageInfo { hasNextPage endCursor } } }""",
    "detail": """{ city(slug: "mae-moh") { slug name projects(first: 10) { totalCount
        edges { cursor node { slug title budget { amount currency } status
        milestones(first: 5) { nodes { key title status dueOn metOn } }
        investments(first: 5) { nodes { key amount { amount currency } kind label year } } } }
        } } }""",
    "deep": """{ provinces(first: 20, filter: {region: {eq: NORTH}}) { nodes { code name
        cities(first: 5) { totalCount nodes { slug projects(first: 5) { nodes { slug
        milestones(first: 5) { totalCount nodes { key } } } } } } } } }""",
    "filters and orders": """query ($q: String) { projects(first: 7, filter: {or: [
        {title: {contains: $q}}, {province: {region: {in: [SOUTH, EAST]}}}]},
        orderBy: [{field: BUDGET, direction: DESC}]) { totalCount nodes { slug __typename
        province { code } operator { slug name } } pageInfo { hasNextPage hasPreviousPage
        startCursor endCursor } } }""",
    "backwards": """{ milestones(last: 3, before: "Y3Vyc29yOjEw") { totalCount
        edges { cursor node { key } } pageInfo { hasPreviousPage hasNextPage } } }""",
    "fragments and directives": """query ($with: Boolean!) { organizations(first: 3) {
        nodes { ...org investments(first: 2) @include(if: $with) { totalCount } } } }
        fragment org on Organization { slug kind ... on Node { id } }""",
    "lists and sources": """{ cities(first: 30) { nodes { slug dimensions { code name(lang: TH) }
        sources { key url publishedOn } progress { value asOf sources { key } } } }
        projects(first: 20) { nodes { slug dimensions { code } progress { key } } } }""",
    "node and nodes": f"""{{ node(id: "{AREA}") {{ id __typename
        ... on City {{ slug province {{ code }} }} }}
        nodes(ids: ["{PROVINCE}", "{PROJECT}"]) {{ id ... on Province {{ name }}
        ... on Project {{ title milestones(first: 2) {{ totalCount }} }} }} }}""",
    "search": """{ search(query: "แม่เมาะ", first: 5) { __typename totalCount hits { rank
        match node { __typename ... on City { slug name(lang: EN) province { code } }
        ... on Project { slug status } ... on Node { id } } } } }""",
    "search in English, no records": """{ search(query: "smart", first: 30) { totalCount
        hits { rank match } } }""",
    "summaries": """{ investmentSummary(groupBy: KIND, currency: THB) { __typename count
        currency total { amount currency } average { amount } asOf dataUpdatedAt
        groups { key label th: label(lang: TH) count total { amount } average { amount } asOf } }
        byDimension: investmentSummary(groupBy: DIMENSION) { groups { key count total { amount } } }
        citySummary(groupBy: REGION) { count asOf
            groups { key label th: label(lang: TH) count } } }""",
    "summaries filtered": """{ investmentSummary(groupBy: YEAR, filter: {kind: {eq: PUBLIC}}) {
        count groups { key total { amount } } }
        citySummary(groupBy: STATUS, filter: {status: {eq: CERTIFIED}}) {
            count groups { key } } }""",
    "empty search falls back": """{ search(query: "  ") { totalCount } }""",
    "not found falls back": """{ city(slug: "no-such-area") { slug } }""",
    "unknown id falls back": f"""{{ nodes(ids: ["{UNKNOWN}"]) {{ id }} }}""",
    "unsupported falls back": """{ cities(first: 2) { nodes { slug latestProgress { value } } }
        citySummary { count } }""",
}
VARIABLES = {"q": "solar", "with": True}


@pytest.fixture
async def both(seeded_engine: AsyncEngine) -> AsyncIterator[tuple[Any, Any]]:
    # Without the result cache, which would answer repeats from memory.
    async with (
        app_client(
            seeded_engine, compiled_queries=False, result_cache_size=0, anonymous_budget=10**9
        ) as resolvers,
        app_client(seeded_engine, result_cache_size=0, anonymous_budget=10**9) as compiled,
    ):
        yield resolvers, compiled


def _statements(caplog: pytest.LogCaptureFixture) -> int:
    [record] = [r for r in caplog.records if hasattr(r, "statements")]
    statements: int = record.__dict__["statements"]
    return statements


@pytest.mark.parametrize("name", QUERIES)
async def test_compiled_answers_equal_the_resolvers(
    both: tuple[Any, Any], caplog: pytest.LogCaptureFixture, backend: str, name: str
) -> None:
    resolvers, compiled = both
    body = {"query": QUERIES[name], "variables": VARIABLES}
    expected = await resolvers.post("/graphql", json=body)
    # Sent three times: first sight (the resolvers answer), then the fast path with the plan
    # compiled (its statement run through SQLAlchemy), then with its SQL sent as it is.
    answers, statements = [], []
    for _ in range(3):
        caplog.clear()
        with caplog.at_level(logging.DEBUG, logger="smartcity.sessions"):
            answers.append(await compiled.post("/graphql", json=body))
        statements.append(_statements(caplog))
    assert {got.status_code for got in answers} == {expected.status_code}
    reference, *got = [response.json() for response in [expected, *answers]]
    # The budget left differs: the two apps' clients are charged in turn.
    for result in (reference, *got):
        result.get("extensions", {}).get("cost", {}).pop("throttleStatus", None)
    assert got == [reference] * 3
    # SQLite's parser cannot nest the deep query that far: the resolvers answer it there.
    if "falls back" not in name and (name, backend) != ("deep", "sqlite"):
        assert "errors" not in reference
        assert statements[1:] == [1, 1]  # the compiler answered, in one statement


# The root fields the compiler answers, and the queries under them, generated from the schema.
COMPILED_ROOTS = [
    "cities",
    "city",
    "provinces",
    "province",
    "projects",
    "project",
    "organizations",
    "organization",
    "investments",
    "milestones",
    "observations",
    "sources",
    "dimension",
    "node",
    "nodes",
    "search",
    "investmentSummary",
    "citySummary",
]


@fuzz(300)
@given(query=queries(SDL, fields=COMPILED_ROOTS, custom_scalars=SCALARS))
async def test_generated_queries_answer_alike(
    both: tuple[Any, Any], caplog: pytest.LogCaptureFixture, query: str
) -> None:
    resolvers, compiled = both
    body = {"query": query}
    expected = await resolvers.post("/graphql", json=body)
    # First sight, then compiled on the fast path, then its SQL sent as it is.
    caplog.clear()
    with caplog.at_level(logging.DEBUG, logger="smartcity"):
        answers = [await compiled.post("/graphql", json=body) for _ in range(3)]
    failures = [
        r for r in caplog.records if r.name == "smartcity.compiled" and r.levelno >= logging.ERROR
    ]
    assert failures == []
    assert {got.status_code for got in answers} == {expected.status_code}
    reference, *got = [response.json() for response in [expected, *answers]]
    for result in (reference, *got):
        result.get("extensions", {}).get("cost", {}).pop("throttleStatus", None)
    assert got == [reference] * 3
