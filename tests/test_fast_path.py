"""The fast path (schema.fast_path) answers repeats of prepared operations exactly as the
full path does: the same bodies, the same charges and headers, the same refusals.

Each scenario runs on two apps on the same database: one as configured, where the second
request of a document takes the fast path, and one without compiled queries, where every
request takes the full path. Everything a client sees must be equal.
"""

from __future__ import annotations

import logging
import re
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.graphql import app_client

CITIES = "{ cities(first: 3, orderBy: [{field: SLUG}]) { nodes { slug name status } } }"
BY_SLUG = """query City($slug: String!) { city(slug: $slug) { slug province { code } } }"""
SUMMARY = "{ investmentSummary(groupBy: KIND) { count groups { key count total { amount } } } }"
SEARCH = """query Find($q: String!) { search(query: $q, first: 5) { totalCount
    hits { rank match node { __typename ... on City { slug } ... on Project { slug } } } } }"""
RATE = ("x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-resource", "retry-after")


def _seen(response: httpx.Response) -> tuple[int, Any, dict[str, str]]:
    """What the client sees, but clock readings: the budget window's end, and the seconds
    until then (two runs a second apart may differ by one)."""
    body = response.json()
    for result in body if isinstance(body, list) else [body]:
        result.get("extensions", {}).get("cost", {}).get("throttleStatus", {}).pop("resetAt", 0)
        for error in result.get("errors") or []:
            if error.get("extensions", {}).pop("retryAfter", None) is not None:
                error["message"] = re.sub(r"\d+", "N", error["message"])
    headers = {name: response.headers[name] for name in RATE if name in response.headers}
    if "retry-after" in headers:
        headers["retry-after"] = "N"
    return response.status_code, body, headers


async def _both(
    engine: AsyncEngine,
    caplog: pytest.LogCaptureFixture,
    requests: list[Any],
    **settings: Any,
) -> tuple[list[Any], list[Any], int]:
    """Each request's view from the fast app and from the full-path app, and how many
    operations the fast path answered."""
    seen: list[Any] = []
    caplog.clear()
    for compiled in (True, False):
        async with app_client(
            engine, compiled_queries=compiled, result_cache_size=0, **settings
        ) as http:
            with caplog.at_level(logging.DEBUG, logger="smartcity.fast_path"):
                seen.append([_seen(await http.post("/graphql", json=body)) for body in requests])
    answered = [r for r in caplog.records if r.getMessage() == "answered on the fast path"]
    return seen[0], seen[1], len(answered)


async def test_repeats_answer_and_charge_as_the_full_path(
    seeded_engine: AsyncEngine, caplog: pytest.LogCaptureFixture
) -> None:
    requests = [
        {"query": CITIES},
        {"query": CITIES},
        {"query": BY_SLUG, "variables": {"slug": "mae-moh"}},
        {"query": BY_SLUG, "variables": {"slug": "mae-moh"}},
        # A prepared document whose lookup finds nothing: the full path reports NOT_FOUND.
        {"query": BY_SLUG, "variables": {"slug": "no-such-area"}},
        {"query": BY_SLUG, "variables": {"slug": "no-such-area"}},
        # Text no database can hold: refused before anything is charged beyond one point.
        {"query": BY_SLUG, "variables": {"slug": "nul\u0000"}},
        [{"query": CITIES}, {"query": BY_SLUG, "variables": {"slug": "mae-moh"}}],
        # What the compiler leaves to the resolvers: answered by them on the fast path too.
        {"query": SUMMARY},
        {"query": SUMMARY},
        {"query": SEARCH, "variables": {"q": "แม่เมาะ"}},
        {"query": SEARCH, "variables": {"q": "แม่เมาะ"}},
        # A resolver's error on a prepared document: the full path gives it.
        {"query": SEARCH, "variables": {"q": "  "}},
        {"query": SEARCH, "variables": {"q": "  "}},
    ]
    fast, full, answered = await _both(seeded_engine, caplog, requests, anonymous_budget=1000)
    assert fast == full
    # The repeats that succeed, the batch's two operations among them: the rest (NOT_FOUND,
    # refused text, the resolver's error, every first sight) went the full way.
    assert answered == 6
    assert fast[1][1]["data"]["cities"]["nodes"][0]["slug"]
    assert fast[5][1]["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    assert fast[9][1]["data"]["investmentSummary"]["groups"]
    assert fast[11][1]["data"]["search"]["hits"][0]["node"]["slug"] == "mae-moh"
    assert fast[13][1]["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    # Each operation of a batch reports its own cost, as it does when sent alone.
    alone = [fast[1][1]["extensions"]["cost"], fast[3][1]["extensions"]["cost"]]
    batched = [result["extensions"]["cost"] for result in fast[7][1]]
    for cost in alone + batched:
        cost["throttleStatus"].pop("currentlyAvailable")
    assert batched == alone
    # Every request was charged: the budget left falls with each one.
    remaining = [int(headers["x-ratelimit-remaining"]) for _, _, headers in fast]
    assert remaining == sorted(remaining, reverse=True)
    assert len(set(remaining)) == len(remaining)


async def test_a_client_over_budget_is_refused_alike(
    seeded_engine: AsyncEngine, caplog: pytest.LogCaptureFixture
) -> None:
    # A point each: the third request, a prepared one, finds none left.
    requests = [{"query": CITIES}] * 4
    fast, full, answered = await _both(seeded_engine, caplog, requests, anonymous_budget=2)
    assert fast == full
    assert answered == 1  # the second request; the refusals are the full path's
    assert [status for status, _, _ in fast] == [200, 200, 429, 429]
    assert fast[-1][1]["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
