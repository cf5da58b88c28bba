"""The HTML pages and their assets, over HTTP: same-origin only, cacheable, hardened."""

from __future__ import annotations

import json
import re
from urllib.parse import parse_qs, urlparse

import pytest
from markupsafe import escape as html_escape

from api.questions import CHARTS, EXAMPLES, Question
from api.security import CONTENT_SECURITY_POLICY
from tests.graphql import GraphQLClient

HTML = {"Accept": "text/html"}
PAGES = ["/", "/?lang=th", "/graphql"]


def _references(html: str) -> list[str]:
    return re.findall(r'(?:src|href)="([^"]+)"', html)


def _loaded(html: str) -> list[str]:
    """What a browser fetches to show the page (links to elsewhere, such as the programme
    page's sources, are not fetched)."""
    return re.findall(r'<(?:script|link|img)\b[^>]*\b(?:src|href)="([^"]+)"', html)


@pytest.mark.parametrize("path", PAGES)
async def test_pages_carry_the_hardening_headers(seeded_client: GraphQLClient, path: str) -> None:
    response = await seeded_client.http.get(path, headers=HTML)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    policy = response.headers["content-security-policy"]
    assert policy == CONTENT_SECURITY_POLICY
    assert "script-src 'self'" in policy
    assert "unsafe" not in policy
    assert "http" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["referrer-policy"] == "strict-origin-when-cross-origin"
    assert "camera=()" in response.headers["permissions-policy"]


@pytest.mark.parametrize("path", PAGES)
async def test_pages_load_everything_from_this_server(
    seeded_client: GraphQLClient, path: str
) -> None:
    html = (await seeded_client.http.get(path, headers=HTML)).text
    references = _loaded(html)
    assert references
    for reference in references:
        assert reference.startswith(("/", "data:")), reference
    assert "<style" not in html
    assert " style=" not in html
    assert not re.search(r"<script(?![^>]*\b(src|type=\"application/json\"))", html)


async def test_assets_are_cacheable_for_a_year_and_versioned(
    seeded_client: GraphQLClient,
) -> None:
    html = (await seeded_client.http.get("/graphql", headers=HTML)).text
    assets = [ref for ref in _references(html) if ref.startswith("/assets/")]
    assert {ref.rsplit("/", 1)[1] for ref in assets} >= {
        "react.js",
        "react-dom.js",
        "graphiql.js",
        "graphiql.css",
        "explorer-plugin.js",
        "explorer-plugin.css",
        "explorer.js",
        "site.css",
    }
    for url in assets:
        response = await seeded_client.http.get(url)
        assert response.status_code == 200, url
        assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
        kind = "text/css" if url.endswith(".css") else "text/javascript"
        assert response.headers["content-type"].startswith(kind)
        assert len(response.content) > 100
    digest, name = assets[0].split("/")[2:]
    wrong = await seeded_client.http.get(f"/assets/{'0' * len(digest)}/{name}")
    assert wrong.status_code == 404
    assert (
        await seeded_client.http.get(f"/assets/{digest}/../../pyproject.toml")
    ).status_code == 404


@pytest.mark.parametrize("question", EXAMPLES + CHARTS, ids=lambda q: q.id)
async def test_every_ready_question_runs(seeded_client: GraphQLClient, question: Question) -> None:
    variables = json.loads(question.variables) if question.variables else None
    data = await seeded_client.data(question.query, variables)
    assert data
    assert all(value is not None for value in data.values())


async def test_the_explorer_offers_every_question_by_link(seeded_client: GraphQLClient) -> None:
    html = (await seeded_client.http.get("/graphql", headers=HTML)).text
    for example in EXAMPLES:
        assert f'href="/graphql?example={example.id}"' in html
        assert html_escape(example.title_en) in html


async def test_each_chart_links_to_its_query(seeded_client: GraphQLClient) -> None:
    html = (await seeded_client.http.get("/", headers=HTML)).text
    links = [
        ref.replace("&amp;", "&") for ref in _references(html) if ref.startswith("/graphql?query=")
    ]
    queries = [parse_qs(urlparse(link).query)["query"][0] for link in links]
    assert queries == [chart.query for chart in CHARTS]


async def test_pages_speak_thai_when_asked(seeded_client: GraphQLClient) -> None:
    thai = (await seeded_client.http.get("/?lang=th", headers=HTML)).text
    assert '<html lang="th">' in thai
    assert "โครงการเมืองอัจฉริยะโดยสรุป" in thai
    preferred = await seeded_client.http.get("/", headers={**HTML, "Accept-Language": "th-TH,th"})
    assert "โครงการเมืองอัจฉริยะโดยสรุป" in preferred.text
    english = (await seeded_client.http.get("/", headers=HTML)).text
    assert '<html lang="en">' in english
    assert "The Smart City programme at a glance" in english


USER_FACING = [
    "City",
    "Province",
    "Dimension",
    "Organization",
    "Project",
    "Investment",
    "Milestone",
    "Observation",
    "Programme",
    "ProgrammePhase",
    "Source",
    "Money",
    "SearchResults",
    "InvestmentSummary",
    "CitySummary",
    "ProgressSummary",
    "CityRanking",
    "Query",
]
THAI = re.compile(r"[\u0e00-\u0e7f]")


async def test_user_facing_documentation_carries_the_thai_term(
    seeded_client: GraphQLClient,
) -> None:
    data = await seeded_client.data(
        "{ __schema { types { name description fields { name description } } } }"
    )
    types = {t["name"]: t for t in data["__schema"]["types"]}
    missing = [name for name in USER_FACING if not THAI.search(types[name]["description"] or "")]
    missing += [
        f"Query.{field['name']}"
        for field in types["Query"]["fields"]
        if field["name"] not in ("node", "nodes") and not THAI.search(field["description"])
    ]
    assert missing == []


async def test_a_browser_following_a_query_link_gets_the_explorer(
    seeded_client: GraphQLClient,
) -> None:
    link = "/graphql?query=%7Bprovince(code%3A%22TH-50%22)%7BnameEn%7D%7D"
    browser = await seeded_client.http.get(link, headers={"Accept": "text/html,*/*;q=0.8"})
    assert browser.headers["content-type"].startswith("text/html")
    assert 'id="graphiql"' in browser.text
    program = await seeded_client.http.get(link, headers={"Accept": "application/json"})
    assert program.json()["data"] == {"province": {"nameEn": "Chiang Mai"}}
