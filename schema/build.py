"""Builds the executable schema."""

from __future__ import annotations

from typing import Any

import strawberry
from graphql import GraphQLError, NoSchemaIntrospectionCustomRule
from strawberry.extensions import AddValidationRules, MaxTokensLimiter
from strawberry.schema.config import StrawberryConfig
from strawberry.types import ExecutionContext

from schema import enums
from schema.compiled import CompiledQueries, Plans
from schema.document_cache import CachedDocuments, ValidDocuments
from schema.edits.mutations import Mutation
from schema.errors import ErrorCodes
from schema.filter_mapping import check_mapping
from schema.limits import MAX_OPERATIONS, MAX_TOKENS
from schema.protection import RefuseNulCharacters, RequestLimits
from schema.queries import Query
from schema.result_cache import CachedResults
from schema.scalars import SCALARS


class SmartCitySchema(strawberry.Schema):
    """The schema, with the documents it has validated and the plans it has compiled, which
    its extensions and `schema.fast_path` share."""

    def __init__(
        self,
        *args: Any,
        documents: ValidDocuments | None = None,
        plans: Plans | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.documents = documents or ValidDocuments()
        self.plans = plans
        # Here, so that a filter field nothing maps fails at start-up, not silently per request.
        check_mapping(self)

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        # Strawberry logs every error with a traceback. `ErrorCodes` already logs the
        # unexpected ones that way; the rest (a wrong slug, a bad cursor) are the client's to
        # fix and would only flood the log of a public endpoint.
        return


def build_schema(
    *, introspection: bool = True, field_suggestions: bool = True, compiled: bool = True
) -> SmartCitySchema:
    """The schema; introspection and "did you mean" suggestions are on by default (the
    schema is public) and can be turned off, as can compiled queries (`schema.compiled`),
    which leaves every operation to the resolvers."""
    enums.register()
    documents = ValidDocuments()  # this schema's own: validation depends on its rules
    extensions: list[Any] = [
        ErrorCodes,
        lambda: MaxTokensLimiter(max_token_count=MAX_TOKENS),
        lambda: CachedDocuments(documents),
        lambda: RefuseNulCharacters(documents),
        lambda: RequestLimits(documents),
        CachedResults,  # after RequestLimits: a cached answer is checked and charged too
    ]
    plans = Plans() if compiled else None  # this schema's own, like its documents
    if plans is not None:  # last: only what no cache answered
        extensions.append(lambda: CompiledQueries(plans, documents))
    if not introspection:
        extensions.append(lambda: AddValidationRules([NoSchemaIntrospectionCustomRule]))
    return SmartCitySchema(
        documents=documents,
        plans=plans,
        query=Query,
        mutation=Mutation,
        extensions=extensions,
        config=StrawberryConfig(
            scalar_map=SCALARS,
            disable_field_suggestions=not field_suggestions,
            batching_config={"max_operations": MAX_OPERATIONS},
        ),
    )
