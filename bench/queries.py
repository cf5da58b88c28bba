"""The five queries of bench/speed.py, written once per engine, and how to read their rows.

Each engine gets the same rows and fields; the documents differ only in names (PostGraphile's
`allCities`, `provinceByProvinceId`, …). `ALIAS` stands for the root field's alias, which
speed.py makes unique per request in the *new operation* mode. Rows are compared as sets of
key values, never as JSON shapes. The floor (bench/floor.py) answers in our shape.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from bench.floor import (
    CURRENCY,
    DETAIL_SLUG,
    NESTED_PAGE,
    PAGE,
    PROVINCES,
    SEARCH_PAGE,
    SEARCH_QUERY,
)

Rows = set[tuple[Any, ...]]


@dataclass(frozen=True)
class Query:
    name: str
    title: str
    ours: str
    postgraphile: str
    read_ours: Callable[[Any], Rows]
    read_postgraphile: Callable[[Any], Rows]
    note: str = ""


def _nodes(connection: Any) -> list[Any]:
    return list(connection["nodes"])


def _amount(value: Any) -> Decimal:
    return Decimal(str(value))


# --- 1. list page ----------------------------------------------------------------------------

LIST_OURS = f"""{{ ALIAS: cities(first: {PAGE}, orderBy: [{{field: SLUG}}]) {{
  nodes {{ slug nameEn status province {{ code nameEn }} }} }} }}"""
LIST_POSTGRAPHILE = f"""{{ ALIAS: allCities(first: {PAGE}, orderBy: SLUG_ASC) {{
  nodes {{ slug nameEn status provinceByProvinceId {{ code nameEn }} }} }} }}"""


def _list_rows(root: Any, province: str) -> Rows:
    return {
        (city["slug"], city["nameEn"], city["status"], city[province]["code"])
        for city in _nodes(root)
    }


# --- 2. detail -------------------------------------------------------------------------------

DETAIL_OURS = f"""{{ ALIAS: city(slug: "{DETAIL_SLUG}") {{ slug nameEn
  projects(first: {PAGE}, orderBy: [{{field: SLUG}}]) {{ nodes {{ slug titleEn status
    milestones(first: {PAGE}, orderBy: [{{field: KEY}}]) {{ nodes {{ key status dueOn }} }}
    investments(first: {PAGE}, orderBy: [{{field: KEY}}]) {{
      nodes {{ key kind amount {{ amount }} }} }}
  }} }}
  investments(first: {PAGE}, orderBy: [{{field: KEY}}]) {{
    nodes {{ key kind amount {{ amount }} }} }}
}} }}"""
DETAIL_POSTGRAPHILE = f"""{{ ALIAS: cityBySlug(slug: "{DETAIL_SLUG}") {{ slug nameEn
  projectsByCityId(first: {PAGE}, orderBy: SLUG_ASC) {{ nodes {{ slug titleEn status
    milestonesByProjectId(first: {PAGE}, orderBy: KEY_ASC) {{ nodes {{ key status dueOn }} }}
    investmentsByProjectId(first: {PAGE}, orderBy: KEY_ASC) {{ nodes {{ key kind amount }} }}
  }} }}
  investmentsByCityId(first: {PAGE}, orderBy: KEY_ASC) {{ nodes {{ key kind amount }} }}
}} }}"""


def _detail_rows(city: Any, names: tuple[str, str, str, str], money: bool) -> Rows:
    """Rows of the detail answer; `names` are the engine's names of the area's projects, a
    project's milestones, a project's investments and the area's investments."""
    projects, milestones, project_investments, city_investments = names

    def investment_row(owner: str | None, investment: Any) -> tuple[Any, ...]:
        amount = investment["amount"]["amount"] if money else investment["amount"]
        return ("investment", owner, investment["key"], investment["kind"], _amount(amount))

    rows: Rows = {("city", city["slug"], city["nameEn"])}
    for project in _nodes(city[projects]):
        rows.add(("project", project["slug"], project["titleEn"], project["status"]))
        for milestone in _nodes(project[milestones]):
            rows.add(
                ("milestone", project["slug"], milestone["key"], milestone["status"],
                 milestone["dueOn"])
            )  # fmt: skip
        rows.update(
            investment_row(project["slug"], i) for i in _nodes(project[project_investments])
        )
    rows.update(investment_row(None, i) for i in _nodes(city[city_investments]))
    return rows


# --- 3. deep ---------------------------------------------------------------------------------

DEEP_OURS = f"""{{ ALIAS: provinces(first: {PROVINCES}, orderBy: [{{field: CODE}}]) {{ nodes {{ code
  cities(first: {NESTED_PAGE}, orderBy: [{{field: SLUG}}]) {{ nodes {{ slug
    projects(first: {NESTED_PAGE}, orderBy: [{{field: SLUG}}]) {{ nodes {{ slug
      milestones(first: {NESTED_PAGE}, orderBy: [{{field: KEY}}]) {{ nodes {{ key status }} }}
    }} }}
  }} }}
}} }} }}"""
DEEP_POSTGRAPHILE = f"""{{ ALIAS: allProvinces(first: {PROVINCES}, orderBy: CODE_ASC) {{
  nodes {{ code
  citiesByProvinceId(first: {NESTED_PAGE}, orderBy: SLUG_ASC) {{ nodes {{ slug
    projectsByCityId(first: {NESTED_PAGE}, orderBy: SLUG_ASC) {{ nodes {{ slug
      milestonesByProjectId(first: {NESTED_PAGE}, orderBy: KEY_ASC) {{ nodes {{ key status }} }}
    }} }}
  }} }}
}} }} }}"""


def _deep_paths(
    root: Any, cities: str, projects: str, milestones: str
) -> Iterator[tuple[Any, ...]]:
    for province in _nodes(root):
        yield (province["code"],)
        for city in _nodes(province[cities]):
            yield (province["code"], city["slug"])
            for project in _nodes(city[projects]):
                yield (province["code"], city["slug"], project["slug"])
                for milestone in _nodes(project[milestones]):
                    yield (
                        province["code"], city["slug"], project["slug"], milestone["key"],
                        milestone["status"],
                    )  # fmt: skip


# --- 4. aggregate ----------------------------------------------------------------------------

AGGREGATE_OURS = f"""{{ ALIAS: investmentSummary(groupBy: KIND, currency: {CURRENCY}) {{
  groups {{ key count total {{ amount }} }} }} }}"""
AGGREGATE_POSTGRAPHILE = f"""{{ ALIAS: benchPostgraphileInvestmentTotals(currency: "{CURRENCY}") {{
  nodes {{ kind count total }} }} }}"""


# --- 5. search -------------------------------------------------------------------------------

SEARCH_OURS = f"""{{ ALIAS: search(query: "{SEARCH_QUERY}", first: {SEARCH_PAGE}) {{ totalCount
  hits {{ node {{ __typename ... on City {{ slug }} ... on Province {{ code }}
    ... on Project {{ slug }} ... on Organization {{ slug }} }} }} }} }}"""
SEARCH_POSTGRAPHILE = f"""{{
  ALIAS: benchPostgraphileSearch(query: "{SEARCH_QUERY}", first: {SEARCH_PAGE}) {{
    totalCount nodes {{ subjectType key }} }} }}"""


def _search_ours(root: Any) -> Rows:
    rows: Rows = {("total", root["totalCount"])}
    for hit in root["hits"]:
        node = hit["node"]
        rows.add((node["__typename"].lower(), node.get("slug") or node.get("code")))
    return rows


def _search_postgraphile(root: Any) -> Rows:
    rows: Rows = {("total", root["totalCount"])}
    rows.update((node["subjectType"], node["key"]) for node in _nodes(root))
    return rows


QUERIES = [
    Query(
        "list",
        "list page: 50 areas with their province",
        LIST_OURS,
        LIST_POSTGRAPHILE,
        lambda root: _list_rows(root, "province"),
        lambda root: _list_rows(root, "provinceByProvinceId"),
    ),
    Query(
        "detail",
        f"detail: area {DETAIL_SLUG}, its projects, their milestones and investments",
        DETAIL_OURS,
        DETAIL_POSTGRAPHILE,
        lambda root: _detail_rows(
            root, ("projects", "milestones", "investments", "investments"), money=True
        ),
        lambda root: _detail_rows(
            root,
            (
                "projectsByCityId",
                "milestonesByProjectId",
                "investmentsByProjectId",
                "investmentsByCityId",
            ),
            money=False,
        ),
    ),
    Query(
        "deep",
        f"deep: {PROVINCES} provinces → {NESTED_PAGE} areas → {NESTED_PAGE} projects → "
        f"{NESTED_PAGE} milestones",
        DEEP_OURS,
        DEEP_POSTGRAPHILE,
        lambda root: set(_deep_paths(root, "cities", "projects", "milestones")),
        lambda root: set(
            _deep_paths(root, "citiesByProvinceId", "projectsByCityId", "milestonesByProjectId")
        ),
    ),
    Query(
        "aggregate",
        f"aggregate: {CURRENCY} investment total, count by kind",
        AGGREGATE_OURS,
        AGGREGATE_POSTGRAPHILE,
        lambda root: {
            (group["key"], group["count"], _amount(group["total"]["amount"]))
            for group in root["groups"]
        },
        lambda root: {
            (node["kind"], int(node["count"]), _amount(node["total"])) for node in _nodes(root)
        },
        note="PostGraphile's amber preset has no aggregates: it calls a SQL function doing the "
        "GROUP BY (bench/postgraphile/bench_schema.sql)",
    ),
    Query(
        "search",
        f"Thai substring search: {SEARCH_QUERY!r}, first {SEARCH_PAGE} and the total",
        SEARCH_OURS,
        SEARCH_POSTGRAPHILE,
        _search_ours,
        _search_postgraphile,
        note="PostGraphile's amber preset has no LIKE filter: it calls a SQL function with "
        "db/search.py's match and ranking (bench/postgraphile/bench_schema.sql)",
    ),
]
