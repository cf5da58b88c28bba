"""Answers to repeated queries, from a cache keyed by the data version.

An answer depends only on the schema, the document, the operation chosen, the variables and
the published data: no field reads a header or the clock, and a language is asked for with an
argument. The exceptions are the operations only some clients may run (mutations, the audit
trail): `RequestLimits` marks them, and they are never cached. So a repeat of the same
request at the same data version gets the same answer, and the cache keys on all of that.
Any edit moves the data version (see `db.changes`), so a request after an edit never meets
an entry from before it.

The cache answers in `on_execute`, after `RequestLimits` has checked the limits and charged
the cost: a cached answer is charged, reported and refused exactly as a fresh one is.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import AsyncIterator
from typing import Any

from graphql import ExecutionResult as GraphQLExecutionResult
from strawberry import Schema
from strawberry.extensions import SchemaExtension
from strawberry.types import ExecutionResult

from db.changes import data_version
from db.engine import is_unavailable
from schema import identity
from schema.context import Context


def result_key(
    schema: Schema,
    version: int,
    query: str,
    operation_name: str | None,
    variables: dict[str, Any] | None,
) -> str:
    """Everything an answer depends on. Variables are keyed in a canonical order, so the
    same values sent in another order share the entry."""
    request = json.dumps([version, operation_name, variables or {}, query], sort_keys=True)
    digest = hashlib.sha256(request.encode()).hexdigest()
    # The schema's own digest first: answers from a build of another schema (a process of
    # an older release sharing Redis) are never taken for this one's.
    return f"{identity.digest(schema)[:16]}:{digest}"


class CachedResults(SchemaExtension):
    """Answer a repeated query from the request's `ResultStore`, and keep each successful,
    complete answer for the next one. Does nothing when the context has no store."""

    async def on_execute(self) -> AsyncIterator[None]:
        execution = self.execution_context
        context: Context = execution.context
        store = context.results
        if store is None or execution.query is None or not context.cacheable:
            yield
            return
        try:
            version = await data_version(context.db)
        except Exception as error:
            if not is_unavailable(error):
                raise
            # The database is down: execution meets it too, and reports it at the field
            # that needed it, as it would without the cache.
            yield
            return
        key = result_key(
            execution.schema,
            version,
            execution.query,
            execution.operation_name,
            execution.variables,
        )
        cached = await store.get(key)
        if cached is not None:
            # Strawberry runs no resolver for a result an extension has already set.
            execution.result = GraphQLExecutionResult(data=cached)
        yield
        if cached is not None:
            return
        result = execution.result
        # Only whole answers: no error (a bad argument, a database gone, a timeout's
        # cancellation never reaches here), and data to give.
        if (
            isinstance(result, GraphQLExecutionResult | ExecutionResult)
            and not result.errors
            and isinstance(result.data, dict)
            and not context.unavailable
        ):
            await store.put(key, result.data)
