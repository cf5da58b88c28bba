"""The floor for bench/speed.py: the five benchmark queries answered with hand-written SQL.

A tiny Starlette app on asyncpg and orjson, one route per query, no GraphQL: what a Python
process can serve when nothing but the SQL and the JSON is done. Each route answers the same
rows and fields as the GraphQL queries, in the shape our API gives them (`{"data": {"q": …}}`),
so bench/speed.py reads its rows as it reads ours. Routes take POST (wrk sends the GraphQL
body, which is ignored) and GET.

    DATABASE_URL=postgresql://… python -m uvicorn --factory bench.floor:create_app --port P
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from decimal import Decimal
from typing import Any

import asyncpg  # type: ignore[import-untyped]
import orjson
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

DETAIL_SLUG = "khon-kaen"
SEARCH_QUERY = "อัจฉริยะ"
CURRENCY = "THB"
PAGE = 50
SEARCH_PAGE = 20
PROVINCES = 77
NESTED_PAGE = 10

LIST_SQL = """
SELECT c.slug, c.name_en, c.status, p.code, p.name_en AS province_name_en
FROM city AS c JOIN province AS p ON p.id = c.province_id
ORDER BY c.slug
LIMIT $1
"""

CITY_SQL = "SELECT id, slug, name_en FROM city WHERE slug = $1"

PROJECTS_SQL = """
SELECT id, slug, title_en, status FROM project WHERE city_id = $1 ORDER BY slug LIMIT $2
"""

# Each project's first page, in one statement per relation: a window over the projects' rows.
PROJECT_MILESTONES_SQL = """
SELECT project_id, key, status, due_on FROM (
  SELECT m.*, row_number() OVER (PARTITION BY project_id ORDER BY key) AS position
  FROM milestone AS m WHERE project_id = ANY($1::int[])
) AS page WHERE position <= $2 ORDER BY project_id, key
"""

PROJECT_INVESTMENTS_SQL = """
SELECT project_id, key, kind, amount FROM (
  SELECT i.*, row_number() OVER (PARTITION BY project_id ORDER BY key) AS position
  FROM investment AS i WHERE project_id = ANY($1::int[])
) AS page WHERE position <= $2 ORDER BY project_id, key
"""

CITY_INVESTMENTS_SQL = """
SELECT key, kind, amount FROM investment WHERE city_id = $1 ORDER BY key LIMIT $2
"""

# provinces → 10 areas each → 10 projects each → 10 milestones each, as flat rows.
DEEP_SQL = """
SELECT p.code, c.slug AS city, pr.slug AS project, m.key AS milestone, m.status
FROM (SELECT id, code FROM province ORDER BY code LIMIT $1) AS p
LEFT JOIN LATERAL (
  SELECT id, slug FROM city WHERE province_id = p.id ORDER BY slug LIMIT $2
) AS c ON true
LEFT JOIN LATERAL (
  SELECT id, slug FROM project WHERE city_id = c.id ORDER BY slug LIMIT $2
) AS pr ON true
LEFT JOIN LATERAL (
  SELECT key, status FROM milestone WHERE project_id = pr.id ORDER BY key LIMIT $2
) AS m ON true
ORDER BY p.code, c.slug, pr.slug, m.key
"""

AGGREGATE_SQL = """
SELECT kind, count(*) AS count, sum(amount) AS total
FROM investment WHERE currency = $1
GROUP BY kind ORDER BY kind
"""

# db/search.py's match and ranking, for a query that is already folded (Thai folds to itself).
SEARCH_MATCH = "text LIKE '%' || $1 || '%'"
SEARCH_SQL = f"""
SELECT subject_type, key FROM search_document
WHERE {SEARCH_MATCH}
ORDER BY
  CASE
    WHEN name_th = $1 OR name_en = $1 THEN 0
    WHEN name_th LIKE $1 || '%' OR name_en LIKE $1 || '%' THEN 1
    WHEN name_th LIKE '%' || $1 || '%' OR name_en LIKE '%' || $1 || '%' THEN 2
    ELSE 3
  END,
  CASE subject_type
    WHEN 'province' THEN 0 WHEN 'city' THEN 1 WHEN 'project' THEN 2 WHEN 'organization' THEN 3
    ELSE 4
  END,
  length(coalesce(name_th, name_en, '')),
  key
LIMIT $2
"""
SEARCH_COUNT_SQL = f"SELECT count(*) FROM search_document WHERE {SEARCH_MATCH}"

SEARCH_TYPES = {"province": "Province", "city": "City", "project": "Project"}


def _money(amount: Decimal) -> dict[str, str]:
    return {"amount": str(amount)}


def _nodes(items: list[dict[str, Any]]) -> dict[str, Any]:
    return {"nodes": items}


async def list_page(pool: asyncpg.Pool) -> Any:
    rows = await pool.fetch(LIST_SQL, PAGE)
    return _nodes(
        [
            {
                "slug": row["slug"],
                "nameEn": row["name_en"],
                "status": row["status"],
                "province": {"code": row["code"], "nameEn": row["province_name_en"]},
            }
            for row in rows
        ]
    )


async def detail(pool: asyncpg.Pool) -> Any:
    async with pool.acquire() as connection:
        city = await connection.fetchrow(CITY_SQL, DETAIL_SLUG)
        if city is None:
            return None
        projects = await connection.fetch(PROJECTS_SQL, city["id"], PAGE)
        ids = [project["id"] for project in projects]
        milestones = await connection.fetch(PROJECT_MILESTONES_SQL, ids, PAGE)
        project_investments = await connection.fetch(PROJECT_INVESTMENTS_SQL, ids, PAGE)
        city_investments = await connection.fetch(CITY_INVESTMENTS_SQL, city["id"], PAGE)
    by_project: dict[int, dict[str, list[dict[str, Any]]]] = {
        project_id: {"milestones": [], "investments": []} for project_id in ids
    }
    for row in milestones:
        by_project[row["project_id"]]["milestones"].append(
            {"key": row["key"], "status": row["status"], "dueOn": row["due_on"]}
        )
    for row in project_investments:
        by_project[row["project_id"]]["investments"].append(
            {"key": row["key"], "kind": row["kind"], "amount": _money(row["amount"])}
        )
    return {
        "slug": city["slug"],
        "nameEn": city["name_en"],
        "projects": _nodes(
            [
                {
                    "slug": project["slug"],
                    "titleEn": project["title_en"],
                    "status": project["status"],
                    "milestones": _nodes(by_project[project["id"]]["milestones"]),
                    "investments": _nodes(by_project[project["id"]]["investments"]),
                }
                for project in projects
            ]
        ),
        "investments": _nodes(
            [
                {"key": row["key"], "kind": row["kind"], "amount": _money(row["amount"])}
                for row in city_investments
            ]
        ),
    }


async def deep(pool: asyncpg.Pool) -> Any:
    provinces: dict[str, dict[str, Any]] = {}
    cities: dict[str, dict[str, Any]] = {}
    projects: dict[str, dict[str, Any]] = {}
    for row in await pool.fetch(DEEP_SQL, PROVINCES, NESTED_PAGE):
        province = provinces.setdefault(row["code"], {"code": row["code"], "cities": _nodes([])})
        if row["city"] is None:
            continue
        if row["city"] not in cities:
            cities[row["city"]] = {"slug": row["city"], "projects": _nodes([])}
            province["cities"]["nodes"].append(cities[row["city"]])
        if row["project"] is None:
            continue
        if row["project"] not in projects:
            projects[row["project"]] = {"slug": row["project"], "milestones": _nodes([])}
            cities[row["city"]]["projects"]["nodes"].append(projects[row["project"]])
        if row["milestone"] is not None:
            projects[row["project"]]["milestones"]["nodes"].append(
                {"key": row["milestone"], "status": row["status"]}
            )
    return _nodes(list(provinces.values()))


async def aggregate(pool: asyncpg.Pool) -> Any:
    rows = await pool.fetch(AGGREGATE_SQL, CURRENCY)
    return {
        "groups": [
            {"key": row["kind"], "count": row["count"], "total": _money(row["total"])}
            for row in rows
        ]
    }


async def search(pool: asyncpg.Pool) -> Any:
    async with pool.acquire() as connection:
        rows = await connection.fetch(SEARCH_SQL, SEARCH_QUERY, SEARCH_PAGE)
        total = await connection.fetchval(SEARCH_COUNT_SQL, SEARCH_QUERY)
    hits = []
    for row in rows:
        key_field = "code" if row["subject_type"] == "province" else "slug"
        typename = SEARCH_TYPES.get(row["subject_type"], "Organization")
        hits.append({"node": {"__typename": typename, key_field: row["key"]}})
    return {"totalCount": total, "hits": hits}


ANSWERS: dict[str, Callable[[asyncpg.Pool], Awaitable[Any]]] = {
    "list": list_page,
    "detail": detail,
    "deep": deep,
    "aggregate": aggregate,
    "search": search,
}


def _route(name: str, answer: Callable[[asyncpg.Pool], Awaitable[Any]]) -> Route:
    async def endpoint(request: Request) -> Response:
        data = await answer(request.app.state.pool)
        return Response(orjson.dumps({"data": {"q": data}}), media_type="application/json")

    return Route(f"/{name}", endpoint, methods=["GET", "POST"])


async def _keep(_connection: asyncpg.Connection) -> None:
    """No reset query when a connection goes back to the pool: the routes change no session
    state, and asyncpg's default (`SELECT pg_advisory_unlock_all(); …`) would be counted as
    a statement of every request."""


def create_app() -> Starlette:
    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        dsn = os.environ["DATABASE_URL"].replace("postgresql+asyncpg://", "postgresql://")
        async with asyncpg.create_pool(dsn, min_size=2, max_size=10, reset=_keep) as pool:
            app.state.pool = pool
            yield

    return Starlette(
        routes=[_route(name, answer) for name, answer in ANSWERS.items()], lifespan=lifespan
    )
