"""Fuzzing: thousands of generated queries, and malformed documents and variables, through
the real HTTP stack. None may get a 5xx, an internal error or a traceback."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st
from hypothesis_graphql import Mode, nodes, queries
from sqlalchemy.ext.asyncio import AsyncEngine

from schema.build import build_schema
from tests.graphql import app_client

SDL = build_schema().as_str()
SCALARS = {
    "Decimal": st.decimals(
        allow_nan=False, allow_infinity=False, places=2, min_value=-(10**9), max_value=10**9
    ).map(lambda value: nodes.String(str(value))),
    "PartialDate": st.from_regex(r"\A\d{4}(-(0[1-9]|1[0-2]))?\Z").map(nodes.String),
    "DateTime": st.datetimes(timezones=st.just(UTC)).map(
        lambda when: nodes.String(when.isoformat())
    ),
}
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(), children, max_size=4)
    ),
    max_leaves=10,
)


def fuzz(examples: int) -> settings:
    return settings(
        max_examples=examples,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
        derandomize=True,  # the same examples every run, so CI is reproducible
        database=None,
    )


@pytest.fixture
async def http(seeded_engine: AsyncEngine) -> AsyncIterator[httpx.AsyncClient]:
    # A budget large enough that rate limiting does not hide what the fuzzer finds.
    async with app_client(seeded_engine, anonymous_budget=10**9) as client:
        yield client


async def _check(http: httpx.AsyncClient, body: Any) -> None:
    note(json.dumps(body, ensure_ascii=False))
    response = await http.post(
        "/graphql", content=json.dumps(body), headers={"Content-Type": "application/json"}
    )
    assert response.status_code < 500, response.text
    assert "Traceback" not in response.text
    assert "INTERNAL_SERVER_ERROR" not in response.text, response.text


@fuzz(1_000)
@given(query=queries(SDL, custom_scalars=SCALARS))
async def test_generated_valid_queries(http: httpx.AsyncClient, query: str) -> None:
    await _check(http, {"query": query})


@fuzz(300)
@given(query=queries(SDL, custom_scalars=SCALARS, mode=Mode.NEGATIVE))
async def test_generated_invalid_queries(http: httpx.AsyncClient, query: str) -> None:
    await _check(http, {"query": query})


@fuzz(300)
@given(document=st.text(max_size=300), variables=JSON_VALUES)
async def test_malformed_documents_and_variables(
    http: httpx.AsyncClient, document: str, variables: Any
) -> None:
    await _check(http, {"query": document, "variables": variables})


@fuzz(300)
@given(
    variables=st.dictionaries(
        st.sampled_from(["first", "after", "last", "before", "slug", "filter", "ids"]),
        JSON_VALUES,
        max_size=4,
    )
)
async def test_wrong_variables_for_a_real_query(
    http: httpx.AsyncClient, variables: dict[str, Any]
) -> None:
    query = """query ($first: Int, $after: String, $last: Int, $before: String,
                      $filter: CityFilter, $ids: [ID!]!, $slug: String!) {
      cities(first: $first, after: $after, last: $last, before: $before, filter: $filter) {
        totalCount nodes { slug } }
      nodes(ids: $ids) { id }
      city(slug: $slug) { slug } }"""
    await _check(http, {"query": query, "variables": variables})
