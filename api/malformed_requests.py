"""Requests that are no GraphQL request at all: answered 400 with a JSON error and a code.

Strawberry reads the body as any JSON value and then treats it as an object, so `null`, `42`,
`"x"` or a batch holding `[1]` failed inside it, as did a body that is not UTF-8; and the
refusals it does make are plain text. Here each gets a GraphQL error body with the code
`BAD_REQUEST`, like every other error a client can act on.
"""

from __future__ import annotations

import json
from typing import Any

from cross_web import HTTPException
from starlette.responses import JSONResponse

from api.graphql_http import error_response

# By HTTP status, for the refusals Strawberry itself makes (a missing query, an unsupported
# content type, a mutation over GET, …).
CODES = {400: "BAD_REQUEST", 404: "NOT_FOUND", 405: "METHOD_NOT_ALLOWED"}


def bad_request(reason: str) -> HTTPException:
    return HTTPException(400, reason)


def decode_json(data: str | bytes, what: str = "the body") -> Any:
    """A JSON text, which must be UTF-8 (RFC 8259); `json.loads` would also guess UTF-16 or
    UTF-32 from bytes and raise a bare UnicodeDecodeError for anything else."""
    try:
        text = data.decode() if isinstance(data, bytes) else data
    except UnicodeDecodeError as error:
        raise bad_request(f"{what} is not UTF-8 (byte {error.start})") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise bad_request(f"{what} is not JSON: {error.msg} at character {error.pos}") from None
    except RecursionError:
        raise bad_request(f"{what} is JSON nested too deeply") from None


# The members of a request that Strawberry reads, and what each may hold.
MEMBERS = {
    "query": (str, "a string"),
    "operationName": (str, "a string"),
    "variables": (dict, "an object"),
    "extensions": (dict, "an object"),
}


def check_operation(operation: Any, where: str = "the body") -> None:
    """Refuse what cannot be one GraphQL operation: anything but an object, or an object
    whose members have the wrong types (Strawberry checks them for a single operation only,
    not in a batch)."""
    if not isinstance(operation, dict):
        raise bad_request(
            f'{where} must be a JSON object such as {{"query": "{{ dimensions {{ code }} }}"}}'
            f", got {_kind(operation)}"
        )
    for name, (kind, described) in MEMBERS.items():
        value = operation.get(name)
        if value is not None and not isinstance(value, kind):
            raise bad_request(f"`{name}` in {where} must be {described} or null")


def check_payload(payload: Any) -> None:
    """A POST body is one operation (an object) or a batch of them (an array of objects)."""
    if isinstance(payload, list):
        for position, operation in enumerate(payload):
            check_operation(operation, f"operation {position} of the batch")
    else:
        check_operation(payload)


# Strawberry's words for a mutation sent with GET, which GraphQL over HTTP answers with 405.
MUTATION_OVER_GET = "mutations are not allowed when using GET"


def response_for(error: HTTPException) -> JSONResponse:
    if error.reason == MUTATION_OVER_GET:
        return error_response(
            "a mutation is sent with POST",
            CODES[405],
            status_code=405,
            headers={"Allow": "POST"},
        )
    return error_response(
        error.reason, CODES.get(error.status_code, "BAD_REQUEST"), status_code=error.status_code
    )


KINDS = {bool: "a boolean", int: "a number", float: "a number", str: "a string", list: "an array"}


def _kind(value: Any) -> str:
    return "null" if value is None else KINDS.get(type(value), type(value).__name__)
