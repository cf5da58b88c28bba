"""Fuzzing: thousands of generated queries, hostile values, random bodies and byte-mutated
documents through the real HTTP stack. None may get a 5xx, an internal error or a traceback,
and every error must carry a code.

`SMARTCITY_FUZZ_EXAMPLES` multiplies the number of examples (default 1, the CI size) and
`SMARTCITY_FUZZ_RANDOM=1` draws new examples each run instead of the same ones: `make fuzz`
runs ten times as many, at random, as a nightly job would.
"""

from __future__ import annotations

import base64
import json
import os
import re
from collections.abc import AsyncIterator
from datetime import UTC, timedelta, timezone
from typing import Any

import httpx
import pytest
from graphql import StringValueNode
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st
from hypothesis_graphql import Mode, nodes, queries
from sqlalchemy.ext.asyncio import AsyncEngine

from schema.build import build_schema
from tests.graphql import app_client

SDL = build_schema().as_str()
SCALE = float(os.environ.get("SMARTCITY_FUZZ_EXAMPLES", "1"))
RANDOM = os.environ.get("SMARTCITY_FUZZ_RANDOM", "") not in {"", "0"}

ZONES = (
    st.none()
    | st.just(UTC)
    | st.timedeltas(
        min_value=-timedelta(hours=23, minutes=59), max_value=timedelta(hours=23, minutes=59)
    ).map(timezone)
)
# Values of the custom scalars as clients send them: well-formed ones, and the odd and wrong
# (no zone, a year-1 date-time east of UTC, NaN, 1e30, Thai digits, empty strings, …).
DATE_TIMES = st.datetimes(timezones=ZONES).map(lambda when: when.isoformat()) | st.sampled_from(
    ["2020-01-01T00:00:00", "2020-01-01", "0001-01-01T00:00:00+14:00", "9999-12-31T23:59-12:00"]
)
DECIMALS = st.decimals(allow_nan=False, allow_infinity=False).map(str) | st.sampled_from(
    ["NaN", "-Infinity", "sNaN", "1e30", "1E-999999999", "1_000", " 1", "๑๒", "0x10", "-0"]
)
PARTIAL_DATES = st.from_regex(r"\A\d{4}(-\d\d){0,2}\Z", fullmatch=True) | st.sampled_from(
    ["2021-13", "2021-02-30", "๒๕๖๔", "2021\n", "21"]
)
HOSTILE_TEXT = st.text(max_size=40) | st.sampled_from(
    [
        "",
        "\x00",
        "a\x00b",
        "\ud800",
        "x\udfff",
        "\ud83d\ude00",
        "%",
        "_",
        "\\",
        "'; --",
        "ก" * 5_000,
    ]
)


def _scalar(values: st.SearchStrategy[str]) -> st.SearchStrategy[StringValueNode]:
    return (values | st.text(max_size=30)).map(nodes.String)


SCALARS = {
    "DateTime": _scalar(DATE_TIMES),
    "Decimal": _scalar(DECIMALS),
    "PartialDate": _scalar(PARTIAL_DATES),
}
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(), children, max_size=4)
    ),
    max_leaves=10,
)
REQUEST_KEYS = st.sampled_from(["query", "variables", "operationName", "extensions"])
# Bodies: any JSON value, objects with the request's keys holding any value, batches of
# those, and bytes that need not be JSON or UTF-8 at all.
BODIES = (
    JSON_VALUES.map(lambda value: json.dumps(value).encode())
    | st.dictionaries(REQUEST_KEYS, JSON_VALUES).map(lambda body: json.dumps(body).encode())
    | st.lists(st.dictionaries(REQUEST_KEYS, JSON_VALUES), max_size=3).map(
        lambda batch: json.dumps(batch).encode()
    )
    | st.binary(max_size=200)
)
# Each edit overwrites, inserts or deletes one byte at a position (taken modulo the length).
EDITS = st.lists(
    st.tuples(st.sampled_from(["flip", "insert", "delete"]), st.integers(0), st.integers(0, 255)),
    min_size=1,
    max_size=6,
)


def _mutate(data: bytes, edits: list[tuple[str, int, int]]) -> bytes:
    mutated = bytearray(data)
    for edit, position, byte in edits:
        at = position % (len(mutated) + 1)
        if edit == "insert":
            mutated.insert(at, byte)
        elif at < len(mutated):
            if edit == "flip":
                mutated[at] ^= byte or 1
            else:
                del mutated[at]
    return bytes(mutated)


def fuzz(examples: int) -> settings:
    return settings(
        max_examples=max(1, round(examples * SCALE)),
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
        derandomize=not RANDOM,  # by default the same examples every run: CI is reproducible
        database=None,
    )


@pytest.fixture
async def http(seeded_engine: AsyncEngine) -> AsyncIterator[httpx.AsyncClient]:
    # A budget large enough that rate limiting does not hide what the fuzzer finds.
    async with app_client(seeded_engine, anonymous_budget=10**9) as client:
        yield client


def _assert_answered(response: httpx.Response) -> None:
    """A 4xx or a GraphQL answer, never a 5xx, and every error with a code but no trace."""
    assert response.status_code < 500, response.text
    assert "Traceback" not in response.text
    assert "INTERNAL_SERVER_ERROR" not in response.text, response.text
    if response.headers.get("content-type", "").startswith("text/html"):
        return  # the explorer, for a GET without a query
    body = response.json()
    errors = body.get("errors", []) if isinstance(body, dict) else []
    assert all(error["extensions"]["code"] for error in errors), response.text
    if response.status_code >= 400:
        assert errors, response.text


async def _post(http: httpx.AsyncClient, body: bytes) -> None:
    note(repr(body))
    response = await http.post(
        "/graphql", content=body, headers={"Content-Type": "application/json"}
    )
    _assert_answered(response)


async def _check(http: httpx.AsyncClient, request: Any) -> None:
    # json.dumps escapes lone surrogates, which httpx's own encoding would refuse.
    await _post(http, json.dumps(request).encode())


@fuzz(900)
@given(query=queries(SDL, custom_scalars=SCALARS))
async def test_generated_valid_queries(http: httpx.AsyncClient, query: str) -> None:
    await _check(http, {"query": query})


@fuzz(200)
@given(query=queries(SDL, custom_scalars=SCALARS, mode=Mode.NEGATIVE))
async def test_generated_invalid_queries(http: httpx.AsyncClient, query: str) -> None:
    await _check(http, {"query": query})


@fuzz(200)
@given(document=st.text(max_size=300), variables=JSON_VALUES)
async def test_malformed_documents_and_variables(
    http: httpx.AsyncClient, document: str, variables: Any
) -> None:
    await _check(http, {"query": document, "variables": variables})


@fuzz(200)
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


# The variables of HOSTILE_FIELDS, by GraphQL type.
HOSTILE_TYPES = {
    "since": "DateTime",
    "amount": "Decimal",
    "asOf": "PartialDate",
    "n": "Int",
    "text": "String",
    "id": "ID!",
}
HOSTILE_FIELDS = """
  dimensions(updatedSince: $since) { code }
  investments(first: $n, filter: {amount: {gte: $amount}, asOf: {lte: $asOf},
                                  key: {contains: $text}, updatedAt: {gt: $since}}) {
    totalCount }
  progressSummary(filter: {latestProgress: {lt: $amount}, name: {contains: $text}}) {
    areasWithFigure }
  node(id: $id) { id }"""


def _global_id(key: str) -> str:
    raw = f"City:{key}".encode(errors="surrogatepass")
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


HOSTILE_VARIABLES = st.fixed_dictionaries(
    {"id": HOSTILE_TEXT | HOSTILE_TEXT.map(_global_id)},
    optional={
        "since": DATE_TIMES | JSON_VALUES,
        "amount": DECIMALS | JSON_VALUES,
        "asOf": PARTIAL_DATES | JSON_VALUES,
        "n": st.sampled_from([0, -1, 101, 2**31, 2**63, -(2**63), 10**30]) | st.integers(),
        "text": HOSTILE_TEXT,
    },
)


def _literal(value: Any) -> str | None:
    """`value` written in GraphQL, for the scalars; None for lists and objects."""
    if isinstance(value, (str, int, float, bool)) or value is None:
        return json.dumps(value)  # JSON's strings and numbers are GraphQL's too
    return None


def _hostile_request(variables: dict[str, Any], inline: bool) -> dict[str, Any]:
    """The query with `variables`, written in the document as literals if `inline`."""
    fields = HOSTILE_FIELDS
    passed = dict(variables)
    if inline:
        for name, value in variables.items():
            if (literal := _literal(value)) is not None:
                fields = re.sub(rf"\${name}\b", lambda _: literal, fields)
                del passed[name]
    declared = ", ".join(
        f"${name}: {HOSTILE_TYPES[name]}" for name in HOSTILE_TYPES if f"${name}" in fields
    )
    header = f"query ({declared})" if declared else "query"
    return {"query": f"{header} {{{fields} }}", "variables": passed}


@fuzz(300)
@given(variables=HOSTILE_VARIABLES, inline=st.booleans())
async def test_hostile_scalars_inline_and_as_variables(
    http: httpx.AsyncClient, variables: dict[str, Any], inline: bool
) -> None:
    await _check(http, _hostile_request(variables, inline))


@fuzz(300)
@given(body=BODIES)
async def test_random_bodies(http: httpx.AsyncClient, body: bytes) -> None:
    await _post(http, body)


@fuzz(100)
@given(parameters=st.dictionaries(REQUEST_KEYS, st.text(max_size=60) | JSON_VALUES.map(json.dumps)))
async def test_random_get_parameters(http: httpx.AsyncClient, parameters: dict[str, str]) -> None:
    note(repr(parameters))
    # Sent as a program would (a browser navigating here gets the explorer instead).
    response = await http.get("/graphql", params=parameters, headers={"Accept": "application/json"})
    _assert_answered(response)


@fuzz(300)
@given(
    query=queries(SDL, custom_scalars=SCALARS),
    edits=EDITS,
    envelope=st.booleans(),
)
async def test_byte_mutated_documents(
    http: httpx.AsyncClient, query: str, edits: list[tuple[str, int, int]], envelope: bool
) -> None:
    if envelope:  # the whole body mutated: broken JSON, broken UTF-8
        await _post(http, _mutate(json.dumps({"query": query}).encode(), edits))
    else:  # only the document's bytes, so the JSON holds what the bytes decode to
        document = _mutate(query.encode(), edits).decode(errors="surrogateescape")
        await _check(http, {"query": document})
