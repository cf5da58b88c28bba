"""Builds the executable schema."""

from __future__ import annotations

import strawberry
from graphql import GraphQLError
from strawberry.schema.config import StrawberryConfig
from strawberry.types import ExecutionContext

from schema.errors import ErrorCodes
from schema.queries import Query
from schema.scalars import SCALARS


class SmartCitySchema(strawberry.Schema):
    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        # Strawberry logs every error with a traceback. `ErrorCodes` already logs the
        # unexpected ones that way; the rest (a wrong slug, a bad cursor) are the client's to
        # fix and would only flood the log of a public endpoint.
        return


def build_schema() -> strawberry.Schema:
    return SmartCitySchema(
        query=Query, extensions=[ErrorCodes], config=StrawberryConfig(scalar_map=SCALARS)
    )
