"""The extensions that guard execution: text a database cannot hold is refused, and the
limits are applied and each request's cost charged to its client."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from contextvars import ContextVar
from typing import Any

from graphql import DocumentNode
from strawberry import Schema
from strawberry.extensions import SchemaExtension

from schema.budget import Allowance
from schema.context import Context
from schema.document_cache import Prepared, ValidDocuments, string_literals
from schema.errors import InvalidArgumentError
from schema.limits import (
    Analysis,
    ForbiddenError,
    RateLimitedError,
    actual_nodes,
    analyse,
    check,
    permit,
    points,
)

NUL = "\x00"
# A UTF-16 surrogate left alone (JSON allows `"\ud800"`) is no character: no database can
# encode it, and no record contains it.
LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _texts(literals: list[str], variables: Any) -> Iterator[str]:
    """Every string the request passes: literals in the document, and the variables'."""
    yield from literals
    pending = [variables]
    while pending:
        value = pending.pop()
        if isinstance(value, str):
            yield value
        elif isinstance(value, dict):
            pending.extend([*value.keys(), *value.values()])
        elif isinstance(value, list):
            pending.extend(value)


class RefuseNulCharacters(SchemaExtension):
    """PostgreSQL cannot hold U+0000 in text, no database can encode a lone surrogate, and no
    record contains either: a request passing one gets a coded error on every database alike,
    never an internal one."""

    def __init__(self, documents: ValidDocuments) -> None:
        super().__init__()
        self.documents = documents

    async def on_execute(self) -> AsyncIterator[None]:
        execution = self.execution_context
        assert execution.graphql_document is not None
        prepared = self.documents.running(execution)
        literals = prepared.literals() if prepared else string_literals(execution.graphql_document)
        refusal = text_refusal(literals, execution.variables)
        if refusal is not None:
            raise InvalidArgumentError(refusal)
        yield


def text_refusal(literals: list[str], variables: Any) -> str | None:
    """Why the request's text cannot be served, if it cannot."""
    for text in _texts(literals, variables):
        if NUL in text:
            return "text must not contain the NUL character (U+0000)"
        if LONE_SURROGATE.search(text):
            return (
                "text must not contain a lone UTF-16 surrogate (U+D800 to U+DFFF): "
                "send characters outside the Basic Multilingual Plane as a pair"
            )
    return None


class RequestLimits(SchemaExtension):
    """Refuse an over-limit or over-budget request before it runs; report its cost after.

    The cost follows Shopify's `extensions.cost` and GitHub's `X-RateLimit-*` headers. A
    request refused before it runs (it does not parse or validate, or is over a limit) still
    costs one point, so a flood of garbage draws on its sender's budget too.
    """

    def __init__(self, documents: ValidDocuments) -> None:
        super().__init__()
        self.documents = documents
        # This operation's own: the operations of a batch share their context.
        self.cost: dict[str, Any] = {}

    async def on_operation(self) -> AsyncIterator[None]:
        try:
            yield
        finally:  # also when a limit was refused by raising
            if not self.cost:  # it never ran
                await _spend(self.execution_context.context, points(0))

    async def on_execute(self) -> AsyncIterator[None]:
        execution = self.execution_context
        context: Context = execution.context
        document = execution.graphql_document
        assert document is not None

        analysis = analysis_of(
            execution.schema,
            self.documents.running(execution),
            document,
            execution.operation_name,
            execution.variables,
        )
        check(analysis)
        if analysis.role is not None:
            # Its answer depends on who asks: kept by no cache of ours, and by no shared one.
            context.cacheable = False
            context.response.headers["Cache-Control"] = "private, no-store"
            try:
                permit(analysis, context.role)
            except ForbiddenError:
                context.response.status_code = 403
                raise
        allowance, self.cost = await charge(context, analysis)
        if not allowance.allowed:
            context.response.status_code = 429
            context.response.headers["Retry-After"] = str(allowance.retry_after)
            raise RateLimitedError(
                f"this request costs {analysis.cost} points and {allowance.remaining} are left "
                f"until {allowance.reset_at} (epoch seconds); retry after "
                f"{allowance.retry_after} s, or use an API key for a larger budget",
                retryAfter=allowance.retry_after,
            )
        if context.persist_query is not None:
            await context.persist_query()
        yield
        settle(self.cost, getattr(execution.result, "data", None))

    def get_results(self) -> dict[str, Any]:
        return {"cost": self.cost} if self.cost else {}


ANALYSIS = "analysis"  # what `analysis_of` keeps with a prepared document (`Prepared.noted`)


def analysis_of(
    schema: Schema,
    prepared: Prepared | None,
    document: DocumentNode,
    operation_name: str | None,
    variables: dict[str, Any] | None,
) -> Analysis:
    """The operation's analysis: kept with its prepared document, per variables."""

    def analysed() -> Analysis:
        return analyse(schema._schema, document, operation_name, variables)

    if prepared is None:
        return analysed()
    return prepared.worked_out(ANALYSIS, operation_name, variables, analysed)


# An operation the fast path (`schema.fast_path`) charged and then handed to the full path,
# which takes this charge instead of charging again. A context variable, not a field of the
# request's `Context`: the operations of a batch run side by side, each in its own task.
_charged: ContextVar[Allowance | None] = ContextVar("charged", default=None)


def hand_over(allowance: Allowance) -> None:
    """The full path is to answer an operation the fast path has charged `allowance` for."""
    _charged.set(allowance)


async def charge(context: Context, analysis: Analysis) -> tuple[Allowance, dict[str, Any]]:
    """Charge the operation's cost to its client, once, and report it in the response's
    headers; the cost as `extensions.cost` reports it."""
    allowance = _charged.get() or await _spend(context, analysis.cost)
    _charged.set(None)
    cost = {
        "requestedQueryCost": analysis.cost,
        "requestedNodes": analysis.nodes,
        "throttleStatus": {
            "maximumAvailable": allowance.limit,
            "currentlyAvailable": allowance.remaining,
            "resetAt": allowance.reset_at,
        },
    }
    return allowance, cost


def settle(cost: dict[str, Any], data: Any) -> None:
    # What it really fetched: each object returned in a list could have needed a page.
    cost["actualQueryCost"] = points(actual_nodes(data))


async def _spend(context: Context, cost: int) -> Allowance:
    allowance = await context.budget.spend(cost)
    for name, value in allowance.headers("graphql").items():
        context.response.headers[name] = value
    return allowance
