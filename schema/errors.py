"""Errors clients can act on: a clear message and a stable `extensions.code`, never a trace."""

from __future__ import annotations

import logging
from typing import Any

from graphql import GraphQLError
from strawberry.extensions import MaskErrors

logger = logging.getLogger("smartcity.errors")


class ApiError(GraphQLError):
    """An error we raise on purpose; `code` is part of the API contract."""

    code = "BAD_USER_INPUT"

    def __init__(self, message: str, **extensions: Any) -> None:
        super().__init__(message, extensions={"code": self.code, **extensions})


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


class ErrorCodes(MaskErrors):
    """Give every error a code; replace unexpected ones with a generic message.

    Our own `ApiError`s and graphql-core's parse and validation errors are the client's to
    read. Anything else is a bug: it is logged here with its traceback and reaches the client
    only as `INTERNAL_SERVER_ERROR`.
    """

    def __init__(self) -> None:
        super().__init__(should_mask_error=self._is_unexpected, error_message="Internal error.")

    @staticmethod
    def _is_unexpected(error: GraphQLError) -> bool:
        original = error.original_error
        return original is not None and not isinstance(original, GraphQLError)

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        request_id = getattr(self.execution_context.context, "request_id", None)
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
