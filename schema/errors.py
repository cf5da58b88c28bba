"""Errors clients can act on: a clear message and a stable `extensions.code`, never a trace."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

from graphql import GraphQLError, Node
from strawberry.exceptions import MissingQueryError
from strawberry.extensions import MaskErrors
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError

from db.engine import is_unavailable

logger = logging.getLogger("smartcity.errors")


class ApiError(GraphQLError):
    """An error we raise on purpose; `code` is part of the API contract."""

    code = "BAD_USER_INPUT"

    def __init__(self, message: str, *, at: Node | None = None, **extensions: Any) -> None:
        """`at` is the place in the document to report, for an error found before execution
        (one found while executing is reported at its path)."""
        super().__init__(message, nodes=at, extensions={"code": self.code, **extensions})


class NotFoundError(ApiError):
    code = "NOT_FOUND"


class InvalidIdError(ApiError):
    code = "INVALID_ID"


class InvalidCursorError(ApiError):
    code = "INVALID_CURSOR"


class InvalidPaginationError(ApiError):
    code = "INVALID_PAGINATION"


class InvalidArgumentError(ApiError):
    code = "BAD_USER_INPUT"


def _code_for_graphql_error(error: GraphQLError) -> str:
    """Codes for errors graphql-core raises before or while coercing input."""
    if error.message.startswith("Syntax Error") and "tokens" in error.message:
        return "TOO_MANY_TOKENS"
    if error.message.startswith("Syntax Error"):
        return "GRAPHQL_PARSE_FAILED"
    if error.path is None and "Variable '$" in error.message:
        return "BAD_USER_INPUT"  # a variable of the wrong type, e.g. an unknown enum value
    if error.path is None:
        return "GRAPHQL_VALIDATION_FAILED"
    return "BAD_USER_INPUT"


# Raised while an operation is prepared, for the HTTP view to answer (no query, a mutation
# over GET, …); and GraphQL errors, which carry their own message and code.
_ANSWERED_BY_STRAWBERRY = (
    GraphQLError,
    MissingQueryError,
    CannotGetOperationTypeError,
    InvalidOperationTypeError,
)


class ErrorCodes(MaskErrors):
    """Give every error a code; replace unexpected ones with a generic message.

    Our own `ApiError`s and graphql-core's parse and validation errors are the client's to
    read. Anything else is a bug: it is logged here with its traceback and reaches the client
    only as `INTERNAL_SERVER_ERROR` — except the database being unreachable, which is no bug:
    the client gets `SERVICE_UNAVAILABLE`, status 503 and `Retry-After`, and it is logged once
    per request, without a traceback (an outage would otherwise flood the log).
    """

    UNAVAILABLE = "SERVICE_UNAVAILABLE"

    @staticmethod
    def unavailable_message(seconds: int) -> str:
        """What a client reads while the database cannot be reached (no host, no driver)."""
        return f"the service cannot reach its database just now; retry after {seconds} s"

    def __init__(self) -> None:
        super().__init__(should_mask_error=self._is_unexpected, error_message="Internal error.")

    def on_operation(self) -> Iterator[None]:
        try:
            yield from super().on_operation()
        except _ANSWERED_BY_STRAWBERRY:
            raise
        except Exception as error:
            # An extension's own hook (charging the budget, storing a persisted query) failed:
            # Strawberry would answer that exception's text as it is, outside the masking.
            wrapped = GraphQLError(str(error), original_error=error)
            raise self.anonymise_error(wrapped) from error

    @staticmethod
    def _is_unexpected(error: GraphQLError) -> bool:
        original = error.original_error
        return original is not None and not isinstance(original, GraphQLError)

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        request_id = getattr(self.execution_context.context, "request_id", None)
        if error.original_error is not None and is_unavailable(error.original_error):
            return self._unavailable(error, request_id)
        logger.error(
            "unexpected error at %s (request %s)",
            error.path,
            request_id,
            exc_info=error.original_error,
        )
        masked = super().anonymise_error(error)
        # The client quotes the request ID; the log line above has the traceback.
        masked.extensions = {"code": "INTERNAL_SERVER_ERROR", "requestId": request_id}
        return masked

    def _unavailable(self, error: GraphQLError, request_id: str | None) -> GraphQLError:
        context = self.execution_context.context
        retry_after: int = context.retry_after_seconds
        if not context.unavailable:  # once per request, batched operations included
            context.unavailable = True
            logger.warning(
                "database unavailable (request %s): %r", request_id, error.original_error
            )
            context.response.status_code = 503
            context.response.headers["Retry-After"] = str(retry_after)
            context.response.headers["Cache-Control"] = "no-store"
        unavailable = super().anonymise_error(error)
        unavailable.message = self.unavailable_message(retry_after)
        unavailable.extensions = {
            "code": self.UNAVAILABLE,
            "requestId": request_id,
            "retryAfter": retry_after,
        }
        return unavailable

    def _process_errors(self, errors: list[GraphQLError]) -> list[GraphQLError]:
        processed = super()._process_errors(errors)
        for error in processed:
            original = error.original_error
            if isinstance(original, ApiError):
                error.extensions = original.extensions
            elif not (error.extensions or {}).get("code"):
                error.extensions = {
                    **(error.extensions or {}),
                    "code": _code_for_graphql_error(error),
                }
        return processed
