"""Hostile and careless input, case by case: each gets a 4xx or a coded error, never a 500 or
an internal error. The random counterpart is tests/test_fuzz.py."""

from __future__ import annotations

import base64
import json
from typing import Any

import httpx
import pytest

from schema.protection import LONE_SURROGATE
from tests.graphql import GraphQLClient

GRAPHQL = {"Content-Type": "application/json"}


async def _post(client: GraphQLClient, body: bytes) -> httpx.Response:
    return await client.http.post("/graphql", content=body, headers=GRAPHQL)


async def _query(
    client: GraphQLClient, query: str, variables: dict[str, Any] | None = None
) -> dict[str, Any]:
    # Encoded here, escaping every non-ASCII character: httpx would refuse a lone surrogate.
    response = await _post(client, json.dumps({"query": query, "variables": variables}).encode())
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def _bad_request(response: httpx.Response) -> str:
    """The message of a 400 answered as a GraphQL error with the code BAD_REQUEST."""
    assert response.status_code == 400, response.text
    assert response.headers["content-type"].startswith("application/json")
    (error,) = response.json()["errors"]
    assert error["extensions"]["code"] == "BAD_REQUEST"
    message: str = error["message"]
    return message


def _error(body: dict[str, Any], code: str = "BAD_USER_INPUT") -> str:
    """The message of the request's one error, which must carry `code`."""
    (error,) = body["errors"]
    assert error["extensions"]["code"] == code, error
    message: str = error["message"]
    return message


@pytest.mark.parametrize(
    ("body", "complaint"),
    [
        (b"null", "must be a JSON object"),
        (b"42", "must be a JSON object"),
        (b'"x"', "must be a JSON object"),
        (b"true", "must be a JSON object"),
        (b"[1]", "operation 0 of the batch must be a JSON object"),
        (b'[{"query": "{ dimensions { code } }"}, null]', "operation 1 of the batch"),
        (b'[{"query": true}]', "`query` in operation 0 of the batch must be a string"),
        (b'[{"query": "{ a }", "variables": 1}]', "`variables` in operation 0 of the batch"),
        (b'[{"query": "{ a }", "extensions": []}]', "`extensions` in operation 0 of the batch"),
        (b'{"query": "{ a }", "operationName": 5}', "`operationName` in the body must be a"),
        (b'{"query": ["{ a }"]}', "`query` in the body must be a string"),
        (b'{"query":"{ dimensions { code } }\xff"}', "not UTF-8"),
        ('{"query": "{ dimensions { code } }"}'.encode("utf-16"), "not UTF-8"),
        (b"\xef\xbb\xbf{}", "not JSON"),  # a byte-order mark
        (b"[" * 100_000, "nested too deeply"),
        (b'{"query": ', "not JSON"),
        (b"", "not JSON"),
    ],
)
async def test_a_body_that_is_no_graphql_request_is_400_with_a_code(
    seeded_client: GraphQLClient, body: bytes, complaint: str
) -> None:
    assert complaint in _bad_request(await _post(seeded_client, body))


@pytest.mark.parametrize(
    ("params", "complaint"),
    [
        ({"query": "{ dimensions { code } }", "variables": "42"}, "`variables` must be an object"),
        ({"query": "{ dimensions { code } }", "extensions": "[1]"}, "`extensions` must be an"),
        ({"query": "{ dimensions { code } }", "variables": "{"}, "variables parameter is not JSON"),
    ],
)
async def test_get_parameters_that_are_no_graphql_request_are_400_with_a_code(
    seeded_client: GraphQLClient, params: dict[str, str], complaint: str
) -> None:
    response = await seeded_client.http.get("/graphql", params=params)
    assert complaint in _bad_request(response)


@pytest.mark.parametrize("variables", ["%FF", "%7B%22a%22%3A%22%ED%A0%80%22%7D", "%C3%28"])
async def test_get_parameters_that_are_not_utf8_are_answered(
    seeded_client: GraphQLClient, variables: str
) -> None:
    response = await seeded_client.http.get(
        f"/graphql?query=query%20(%24a%3A%20String)%20%7B%20dimensions%20%7B%20code%20%7D%20%7D"
        f"&variables={variables}"
    )
    assert response.status_code < 500
    assert "INTERNAL_SERVER_ERROR" not in response.text


async def test_a_body_of_another_content_type_is_400_with_a_code(
    seeded_client: GraphQLClient,
) -> None:
    unsupported = await seeded_client.http.post(
        "/graphql", content=b"{ dimensions { code } }", headers={"Content-Type": "text/plain"}
    )
    assert "Unsupported content type" in _bad_request(unsupported)


ZONELESS = "2020-01-01T00:00:00"
DATETIME_QUERIES = [
    '{ dimensions(updatedSince: "%s") { code } }',
    '{ cities(filter: {updatedAt: {gt: "%s"}}) { totalCount } }',
    '{ cities(first: 1) { nodes { projects(updatedSince: "%s") { totalCount } } } }',
]


@pytest.mark.parametrize("query", DATETIME_QUERIES)
async def test_a_date_time_without_a_zone_is_refused_written_inline(
    seeded_client: GraphQLClient, query: str
) -> None:
    message = _error(await _query(seeded_client, query % ZONELESS))
    assert "has no zone" in message
    assert "Z" in message
    assert "+07:00" in message


async def test_a_date_time_without_a_zone_is_refused_as_a_variable(
    seeded_client: GraphQLClient,
) -> None:
    query = "query ($since: DateTime) { dimensions(updatedSince: $since) { code } }"
    body = await _query(seeded_client, query, {"since": ZONELESS})
    assert "has no zone" in _error(body)
    filtered = await _query(
        seeded_client,
        "query ($f: CityFilter) { cities(filter: $f) { totalCount } }",
        {"f": {"updatedAt": {"lte": ZONELESS}}},
    )
    assert "has no zone" in _error(filtered)


async def test_a_date_time_with_a_zone_means_the_same_instant_in_any_zone(
    seeded_client: GraphQLClient,
) -> None:
    query = "query ($since: DateTime) { cities(filter: {updatedAt: {lte: $since}}) { totalCount } }"
    utc = await seeded_client.data(query, {"since": "2100-01-01T00:00:00Z"})
    bangkok = await seeded_client.data(query, {"since": "2100-01-01T07:00:00+07:00"})
    assert utc == bangkok
    assert utc["cities"]["totalCount"] > 0


@pytest.mark.parametrize(
    ("value", "complaint"),
    [
        ("0001-01-01T00:00:00+01:00", "out of range"),
        ("9999-12-31T23:59:59-01:00", "out of range"),
        ("2020-13-01T00:00:00Z", "not an ISO-8601 date-time"),
        ("yesterday", "not an ISO-8601 date-time"),
        ("", "not an ISO-8601 date-time"),
        ("2020-01-01", "has no zone"),
        (42, "written as a string"),
    ],
)
async def test_odd_date_times_are_refused_inline_and_as_variables(
    seeded_client: GraphQLClient, value: object, complaint: str
) -> None:
    as_variable = await _query(
        seeded_client,
        "query ($since: DateTime) { dimensions(updatedSince: $since) { code } }",
        {"since": value},
    )
    assert complaint in _error(as_variable)
    inline = await _query(
        seeded_client, f"{{ dimensions(updatedSince: {json.dumps(value)}) {{ code }} }}"
    )
    assert complaint in _error(inline)
    assert inline["errors"][0]["locations"]  # it points at the value in the document


@pytest.mark.parametrize(
    ("scalar", "field", "value", "complaint"),
    [
        ("Decimal", "investments(filter: {amount: {eq: %s}})", "", "not a decimal number"),
        ("Decimal", "investments(filter: {amount: {eq: %s}})", "abc", "not a decimal number"),
        ("Decimal", "investments(filter: {amount: {gt: %s}})", "NaN", "not a decimal number"),
        ("Decimal", "investments(filter: {amount: {lt: %s}})", "-Infinity", "not a decimal"),
        ("Decimal", "investments(filter: {amount: {eq: %s}})", " 1", "not a decimal number"),
        ("Decimal", "investments(filter: {amount: {eq: %s}})", "1_000", "not a decimal number"),
        ("Decimal", "investments(filter: {amount: {gte: %s}})", "1e30", "at most 14 digits"),
        ("Decimal", "cities(filter: {latestProgress: {gte: %s}})", "9" * 20, "at most 14"),
        ("Decimal", "investments(filter: {amount: {eq: %s}})", 5, "written as a string"),
        ("PartialDate", "investments(filter: {asOf: {eq: %s}})", "", "YYYY, YYYY-MM"),
        ("PartialDate", "investments(filter: {asOf: {gte: %s}})", "2021-13", "YYYY, YYYY-MM"),
        ("PartialDate", "investments(filter: {asOf: {lt: %s}})", "2021\n", "YYYY, YYYY-MM"),
        ("PartialDate", "investments(filter: {asOf: {lt: %s}})", "2023-02-29", "a real day"),
        ("PartialDate", "investments(filter: {asOf: {lt: %s}})", 2021, "YYYY, YYYY-MM"),
    ],
)
async def test_bad_decimals_and_partial_dates_are_refused_inline_and_as_variables(
    seeded_client: GraphQLClient, scalar: str, field: str, value: object, complaint: str
) -> None:
    inline = await _query(seeded_client, "{ %s { totalCount } }" % (field % json.dumps(value)))
    assert complaint in _error(inline)
    assert inline["errors"][0]["locations"]
    as_variable = await _query(
        seeded_client,
        f"query ($v: {scalar}) {{ {field % '$v'} {{ totalCount }} }}",
        {"v": value},
    )
    assert complaint in _error(as_variable)


async def test_good_decimals_in_any_notation_select_the_same_rows(
    seeded_client: GraphQLClient,
) -> None:
    query = "query ($v: Decimal) { investments(filter: {amount: {gte: $v}}) { totalCount } }"
    counts = {
        value: (await seeded_client.data(query, {"v": value}))["investments"]["totalCount"]
        for value in ("100000000", "1e8", "100000000.00", "+1.0E8")
    }
    assert len(set(counts.values())) == 1, counts
    assert next(iter(counts.values())) > 0


async def test_progress_summary_of_areas_without_a_progress_figure(
    seeded_client: GraphQLClient,
) -> None:
    data = await seeded_client.data(
        """{ unknown: progressSummary(filter: {latestProgress: {isNull: true}}) {
               areasWithFigure areasWithoutFigure }
             known: progressSummary(filter: {latestProgress: {isNull: false}}) {
               areasWithFigure areasWithoutFigure }
             all: progressSummary { areasWithFigure areasWithoutFigure }
             withoutFigure: cities(filter: {latestProgress: {isNull: true}}) { totalCount } }"""
    )
    assert data["unknown"] == {
        "areasWithFigure": 0,
        "areasWithoutFigure": data["withoutFigure"]["totalCount"],
    }
    assert data["known"]["areasWithoutFigure"] == 0
    assert data["known"]["areasWithFigure"] == data["all"]["areasWithFigure"] > 0
    assert data["unknown"]["areasWithoutFigure"] == data["all"]["areasWithoutFigure"] > 0


async def test_a_lone_surrogate_is_refused_in_variables_and_literals(
    seeded_client: GraphQLClient,
) -> None:
    query = "query ($s: String!) { city(slug: $s) { slug } }"
    for slug in ("\ud800", "a\udfffb", "\udc00\ud800"):
        assert "lone UTF-16 surrogate" in _error(await _query(seeded_client, query, {"s": slug}))
    in_filter = await _query(
        seeded_client,
        "query ($f: CityFilter) { cities(filter: $f) { totalCount } }",
        {"f": {"name": {"contains": "\ud83d"}}},
    )
    assert "lone UTF-16 surrogate" in _error(in_filter)
    # A pair is one character, found or not like any other.
    pair = await _query(seeded_client, query, {"s": "\ud83d\ude00"})
    assert pair["data"] == {"city": None}
    assert _error(pair, "NOT_FOUND") == "no city with slug '\U0001f600'"


async def test_a_lone_surrogate_written_in_the_document_gets_a_coded_error(
    seeded_client: GraphQLClient,
) -> None:
    # The last: an invalid escape (a backslash before the surrogate), whose parse error
    # quotes the surrogate back; a lone surrogate is no UTF-8, so it is replaced there.
    for literal in ('"\\ud800"', '"\ud800"', '"\\\udcf5"'):
        body = await _query(seeded_client, f"{{ city(slug: {literal}) {{ slug }} }}")
        assert body["errors"][0]["extensions"]["code"] in {
            "BAD_USER_INPUT",
            "GRAPHQL_PARSE_FAILED",
        }
        assert not LONE_SURROGATE.search(json.dumps(body, ensure_ascii=False))


def _raw_id(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    "global_id",
    [
        _raw_id("City:\x00"),
        _raw_id("City:sam\x00yan"),
        _raw_id("Province:TH-10\x00"),
        _raw_id("Nope:x"),
        _raw_id("City:" + "x" * 10_000),
        "not base64!",
        base64.b64encode(b"\xff\xfe:x").decode(),
        "",
    ],
)
async def test_a_hostile_global_id_is_invalid_or_not_found(
    seeded_client: GraphQLClient, global_id: str
) -> None:
    body = await _query(
        seeded_client, "query ($id: ID!) { node(id: $id) { id } }", {"id": global_id}
    )
    (error,) = body["errors"]
    assert error["extensions"]["code"] in {"INVALID_ID", "NOT_FOUND"}, body
    if error["extensions"]["code"] == "INVALID_ID":
        assert len(error["message"]) < 100  # a long ID is not echoed whole
    listed = await _query(
        seeded_client, "query ($ids: [ID!]!) { nodes(ids: $ids) { id } }", {"ids": [global_id]}
    )
    assert listed["errors"][0]["extensions"]["code"] in {"INVALID_ID", "NOT_FOUND"}, listed


@pytest.mark.parametrize("size", [2**31, 2**63, 10**100, -(2**63)])
async def test_huge_page_sizes_get_a_coded_error(seeded_client: GraphQLClient, size: int) -> None:
    as_variable = await _query(
        seeded_client,
        "query ($n: Int) { cities(first: $n) { totalCount } }",
        {"n": size},
    )
    assert as_variable["errors"][0]["extensions"]["code"] != "INTERNAL_SERVER_ERROR"
    inline = await _query(seeded_client, f"{{ cities(first: {size}) {{ totalCount }} }}")
    assert inline["errors"][0]["extensions"]["code"] != "INTERNAL_SERVER_ERROR"


async def test_very_long_strings_are_answered(seeded_client: GraphQLClient) -> None:
    long = "ก" * 5_000
    found = await _query(
        seeded_client,
        """query ($s: String!, $f: CityFilter) {
             city(slug: $s) { slug } cities(filter: $f) { totalCount } }""",
        {"s": long, "f": {"name": {"contains": long}, "slug": {"in": [long] * 10}}},
    )
    assert found["data"] == {"city": None, "cities": {"totalCount": 0}}
    assert found["errors"][0]["extensions"]["code"] == "NOT_FOUND"


def _cursor(kind: str, number: str) -> str:
    return base64.urlsafe_b64encode(f"{kind}:{number}".encode()).decode().rstrip("=")


@pytest.mark.parametrize("number", [str(2**63), "9" * 30, "๑"])
async def test_a_list_cursor_past_any_row_is_answered(
    seeded_client: GraphQLClient, number: str
) -> None:
    body = await _query(
        seeded_client,
        "query ($c: String) { cities(first: 5, after: $c) { totalCount nodes { slug } } }",
        {"c": _cursor("cursor", number)},
    )
    assert "errors" not in body or body["errors"][0]["extensions"]["code"] == "INVALID_CURSOR"


@pytest.mark.parametrize("number", [str(2**63), "9" * 30])
async def test_a_change_feed_cursor_past_64_bits_is_invalid(
    seeded_client: GraphQLClient, number: str
) -> None:
    body = await _query(
        seeded_client,
        "query ($c: String) { changes(first: 5, after: $c) { nodes { id } } }",
        {"c": _cursor("change", number)},
    )
    assert _error(body, "INVALID_CURSOR")
