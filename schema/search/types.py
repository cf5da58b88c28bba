from __future__ import annotations

import asyncio
from enum import Enum
from typing import Annotated, Any, get_args

import strawberry

from db import search
from schema.cities.types import City
from schema.common import load_related
from schema.context import Info
from schema.errors import InvalidArgumentError
from schema.organizations.types import Organization
from schema.pagination import check_page_size
from schema.projects.types import Project
from schema.provinces.types import Province

SearchResult = Annotated[
    City | Province | Project | Organization,
    strawberry.union(
        "SearchResult",
        description="A record search can find: an area, province, project or organisation.",
    ),
]

# The union's members by table, for turning hits into records; `tests/test_registry_schema.py`
# checks that they are exactly the registry's searchable entities.
SEARCHED = {str(node.table.__tablename__): node for node in get_args(get_args(SearchResult)[0])}


@strawberry.enum(description="How a record matched a search, best first.")
class SearchMatch(Enum):
    EXACT_NAME = strawberry.enum_value(
        0,
        description=(
            "The Thai or English name (a project's title) is the query, ignoring case and "
            "Latin accents, hyphens read as spaces."
        ),
    )
    NAME_PREFIX = strawberry.enum_value(
        1,
        description="The Thai or English name begins with the query.",
    )
    NAME_CONTAINS = strawberry.enum_value(
        2,
        description="The Thai or English name contains the query.",
    )
    OTHER_TEXT = strawberry.enum_value(
        3,
        description=(
            "Only another searched text contains it: a slug, a province code or an "
            "organisation's abbreviation."
        ),
    )


@strawberry.type(description="One search result with its place in the ranking.")
class SearchHit:
    rank: int = strawberry.field(description="Its place in the ranking, from 1.")
    match: SearchMatch = strawberry.field(description="How it matched.")
    node: SearchResult = strawberry.field(description="The record found.")


@strawberry.type(description="The best matches of a search (ผลการค้นหา), ranked.")
class SearchResults:
    total_count: int = strawberry.field(description="How many records match in all.")
    hits: list[SearchHit] = strawberry.field(description="The best matches, best first.")


async def _node(info: Info, hit: search.Hit) -> Any:
    return await load_related(info, SEARCHED[hit.subject_type], hit.subject_id)


async def run_search(info: Info, query: str, first: int) -> SearchResults:
    check_page_size("first", first)
    if not search.fold(query):
        raise InvalidArgumentError("the search query is empty")
    hits, total = await search.search(info.context.db, query, first)
    nodes = await asyncio.gather(*(_node(info, hit) for hit in hits))
    return SearchResults(
        total_count=total,
        hits=[
            SearchHit(rank=position, match=SearchMatch(hit.rank), node=node)
            for position, (hit, node) in enumerate(zip(hits, nodes, strict=True), start=1)
        ],
    )
