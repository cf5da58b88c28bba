"""The Starlette application factory, served by uvicorn (`uvicorn --factory api.app:create_app`)."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL

from api.middleware import DatabaseSessionMiddleware
from api.settings import Settings
from db.access import Db
from db.engine import create_engine, session_factory
from schema.build import build_schema
from schema.context import Context

logger = logging.getLogger("smartcity")


class SmartCityGraphQL(GraphQL[Context, None]):
    """Strawberry's ASGI app, with our typed context built on the request's session."""

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket
    ) -> Context:
        return Context(db=Db(request.state.session))


def create_app(settings: Settings | None = None, engine: AsyncEngine | None = None) -> Starlette:
    """Build the app. Tests pass their own engine; otherwise `DATABASE_URL` decides."""
    settings = settings or Settings()
    engine = engine or create_engine(settings.database_url)
    graphql = SmartCityGraphQL(build_schema(), graphql_ide="graphiql")

    async def health(_request: Request) -> JSONResponse:
        """Liveness and readiness: 200 only when the database answers."""
        try:
            async with engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
        except (SQLAlchemyError, OSError):
            logger.exception("health check: database unreachable")
            return JSONResponse({"status": "error", "database": "unreachable"}, status_code=503)
        return JSONResponse({"status": "ok", "database": engine.dialect.name})

    async def home(_request: Request) -> RedirectResponse:
        return RedirectResponse("/graphql")

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        yield
        await engine.dispose()

    return Starlette(
        routes=[
            Route("/", home),
            Route("/health", health),
            Route("/graphql", graphql, methods=["GET", "POST"]),
        ],
        middleware=[Middleware(DatabaseSessionMiddleware, sessions=session_factory(engine))],
        lifespan=lifespan,
    )
