"""The root search field."""

from __future__ import annotations

from typing import Annotated

import strawberry

from schema.computed import COMPUTED, Searched
from schema.context import Info
from schema.pagination import MAX_PAGE_SIZE
from schema.search.types import SEARCHED, SearchMatch, SearchResults, run_search


@strawberry.type
class SearchQueries:
    @strawberry.field(
        description=(
            "Find areas, provinces, projects and organisations by name, in Thai or English "
            "(ค้นหา). A Thai substring such as `แม่เมาะ` finds its records although Thai has "
            "no spaces between words; case and accents do not matter. Exact names rank "
            "first, then names that start with the query, then names that contain it."
        ),
        metadata={COMPUTED: Searched(lambda: SEARCHED, lambda: SearchMatch)},
    )
    async def search(
        self,
        info: Info,
        query: Annotated[str, strawberry.argument(description="What to look for.")],
        first: Annotated[
            int, strawberry.argument(description=f"How many results (1 to {MAX_PAGE_SIZE}).")
        ] = 20,
    ) -> SearchResults:
        return await run_search(info, query, first)
