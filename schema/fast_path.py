"""The fast path: an operation this process has already prepared, answered without the
per-request machinery of a general GraphQL server.

Once a document has parsed and validated (`schema.document_cache`), what is left of a
request is what the extensions do on every request: refuse unserviceable text, check the
limits, charge the cost, look in the result cache, run the compiled statement (or, where the
compiler leaves the operation to them, the resolvers), report the cost. Here those steps run
in the same order, through the same functions, without Strawberry building an execution
context, six extension generators and their hooks per request. For a compiled query that
machinery, not the database, was most of the time.

Only answers are given here. Whatever would end in an error, or is not prepared yet, goes
the full way (`None`), where the extensions produce exactly the error they always did: the
first request of a document, a refused text or limit, a client over its budget, a database
that fails, a lookup that finds nothing, a resolver's error. Past the charge, the full path is
told (`schema.protection.hand_over`), so that no operation is charged twice. The differential
tests send every query twice, and require the second answer, given here, to equal the
resolvers'; tests/test_fast_path.py compares charges, headers and refusals.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from graphql import OperationType, execute
from strawberry.types import ExecutionResult
from strawberry.utils.await_maybe import await_maybe

from db.changes import data_version
from db.engine import is_unavailable
from schema.compiled import Plan, answer, operation_of, plan_for
from schema.context import Context
from schema.errors import ApiError
from schema.limits import check
from schema.protection import analysis_of, charge, hand_over, settle, text_refusal
from schema.result_cache import result_key

if TYPE_CHECKING:
    from schema.build import SmartCitySchema

logger = logging.getLogger("smartcity.fast_path")
ERRED = "the resolvers' answer held an error"


async def answer_prepared(
    schema: SmartCitySchema,
    context: Context,
    query: str | None,
    operation_name: str | None,
    variables: dict[str, Any] | None,
) -> ExecutionResult | None:
    """The operation's result, or None: the full path answers it."""
    plans = schema.plans
    prepared = schema.documents.get(query)
    if plans is None or prepared is None or query is None or context.persist_query is not None:
        return None
    document = prepared.document
    operation = operation_of(document, operation_name)
    if operation is None or operation.operation is not OperationType.QUERY:
        return None
    # Named as Strawberry names it when the request does not: the caches' keys agree.
    operation_name = operation.name.value if operation.name else None
    # RefuseNulCharacters, then RequestLimits' checks: nothing is charged yet.
    if text_refusal(prepared.literals(), variables) is not None:
        return None
    try:
        analysis = analysis_of(schema, prepared, document, operation_name, variables)
        check(analysis)
    except ApiError:
        return None
    if analysis.role is not None:
        return None  # the answer depends on who asks: the full path checks and answers
    plan = plan_for(
        plans,
        schema,
        document,
        query,
        operation_name,
        variables,
        context.db.sql_dialect,
        analysis.nodes,
    )
    if plan is False and prepared.noted(ERRED, operation_name, variables):
        return None  # the resolvers' answer held an error last time: the full path gives it
    allowance, cost = await charge(context, analysis)
    if not allowance.allowed:
        hand_over(allowance)  # the full path refuses it, with no second charge
        return None
    try:
        data = await _data(schema, context, document, query, operation_name, variables, plan)
    except Exception as error:
        if not is_unavailable(error):
            logger.exception("the fast path failed; the full path answers")
        data = None
    if data is None:
        if plan is False:  # so that an answer that holds an error is not worked out twice
            prepared.note(ERRED, operation_name, variables, True)
            context.forget_loaded()  # the full path executes it again
        hand_over(allowance)
        return None
    settle(cost, data)
    logger.debug("answered on the fast path")
    return ExecutionResult(data=data, errors=None, extensions={"cost": cost})


async def _data(
    schema: SmartCitySchema,
    context: Context,
    document: Any,
    query: str,
    operation_name: str | None,
    variables: dict[str, Any] | None,
    plan: Plan,
) -> dict[str, Any] | None:
    """CachedResults, then CompiledQueries, or else the resolvers: None where the answer
    would hold an error, which the full path then gives."""
    assert schema.plans is not None
    store, key = context.results, None
    if store is not None:
        key = result_key(schema, await data_version(context.db), query, operation_name, variables)
        cached = await store.get(key)
        if cached is not None:
            return cached
    if plan is False:
        # What Strawberry would run, minus its per-request machinery: our extensions hook
        # no resolver, so graphql-core's own execution answers alike.
        result = await await_maybe(
            execute(
                schema._schema,
                document,
                context_value=context,
                variable_values=variables,
                operation_name=operation_name,
            )
        )
        data = None if result.errors else result.data
    else:
        data = await answer(schema.plans, context.db, plan, query, operation_name, variables)
    if data is not None and store is not None and key is not None:
        await store.put(key, data)
    return data
