"""Builds the executable schema."""

import strawberry
from strawberry.schema.config import StrawberryConfig

from schema.errors import ErrorCodes
from schema.queries import Query
from schema.scalars import SCALARS


def build_schema() -> strawberry.Schema:
    return strawberry.Schema(
        query=Query, extensions=[ErrorCodes], config=StrawberryConfig(scalar_map=SCALARS)
    )
