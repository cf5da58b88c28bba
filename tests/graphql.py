"""A small GraphQL-over-HTTP client for tests."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncEngine

from api.app import create_app
from api.assets import Assets
from api.settings import Settings


@asynccontextmanager
async def app_client(
    engine: AsyncEngine, assets: Assets | None = None, **settings: Any
) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client for a new app on `engine`, in process; `settings` override the defaults
    (and `assets`, the browser assets)."""
    app = create_app(settings=Settings(**settings), engine=engine, assets=assets)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http


async def pages(
    client: GraphQLClient,
    query: str,
    field: str,
    variables: dict[str, Any] | None = None,
    *,
    backward: bool = False,
) -> AsyncIterator[dict[str, Any]]:
    """Each page of the connection at `field`, following its cursors forward (`after`,
    starting from `variables`) or backward (`before`) until there is no page left."""
    variables = dict(variables or {})
    cursor, more, next_cursor = (
        ("before", "hasPreviousPage", "startCursor")
        if backward
        else ("after", "hasNextPage", "endCursor")
    )
    while True:
        page: dict[str, Any] = (await client.data(query, variables))[field]
        yield page
        if not page["pageInfo"][more]:
            return
        variables[cursor] = page["pageInfo"][next_cursor]


class GraphQLError(AssertionError):
    pass


class GraphQLClient:
    def __init__(self, http: httpx.AsyncClient) -> None:
        self.http = http

    async def post(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """The whole response body of a POST to /graphql."""
        response = await self.http.post(
            "/graphql", json={"query": query, "variables": variables or {}}
        )
        body: dict[str, Any] = response.json()
        return body

    async def data(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """The `data` of a query that must succeed without errors."""
        body = await self.post(query, variables)
        if body.get("errors"):
            raise GraphQLError(body["errors"])
        data: dict[str, Any] = body["data"]
        return data

    async def errors(
        self, query: str, variables: dict[str, Any] | None = None
    ) -> list[dict[str, Any]]:
        """The `errors` of a query that must fail."""
        body = await self.post(query, variables)
        assert body.get("errors"), f"expected errors, got {body}"
        errors: list[dict[str, Any]] = body["errors"]
        return errors
