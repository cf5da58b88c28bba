"""The root `Mutation`: for each entity editors may change (`db.entities.Editing`), create,
update and delete, or only append for a history; Relay-style inputs and payloads.

Each mutation runs in its own transaction (`db.edits`), with its audit entry and its
change-feed entry. What the input gets wrong comes back in the payload's `userErrors`, every
problem at once, with nothing written; only an editor's or admin's key may run a mutation at
all (`schema.limits` refuses others with FORBIDDEN before anything runs).
"""

from __future__ import annotations

import dataclasses
import inspect
from collections.abc import Awaitable, Callable
from typing import Annotated, Any

import strawberry
from sqlmodel.ext.asyncio.session import AsyncSession
from strawberry.utils.str_converters import to_camel_case

from db import edits
from db.audit import Actor
from db.edits import Edit, Problem, Refused
from db.entities import ENTITIES, Editing, Entity
from db.enums import ProblemCode
from schema.context import Info
from schema.edits.inputs import (
    UserError,
    a,
    create_input,
    delete_input,
    graphql_type,
    payload_type,
    record_field,
    update_input,
)
from schema.errors import InvalidIdError
from schema.node import decode_id, encode_id
from schema.nodes import load_node

# The input's own fields, not the record's.
_ABOUT_THE_EDIT = {"id", "expected_updated_at", "reason", "client_mutation_id"}


def _field_path(field: str | None) -> list[str] | None:
    if field is None:
        return None
    name = "expected_updated_at" if field == "updated_at" else field
    return ["input", to_camel_case(name)]


def _user_errors(problems: list[Problem]) -> list[UserError]:
    return [
        UserError(field=_field_path(problem.field), message=problem.message, code=problem.code)
        for problem in problems
    ]


def _given(data: Any) -> dict[str, Any]:
    """The record's fields an input gives (omitted ones are absent)."""
    return {
        field.name: getattr(data, field.name)
        for field in dataclasses.fields(data)
        if field.name not in _ABOUT_THE_EDIT and getattr(data, field.name) is not strawberry.UNSET
    }


def _key(entity: Entity, global_id: str) -> str:
    try:
        type_name, key = decode_id(global_id)
    except InvalidIdError as error:
        raise Refused([Problem(ProblemCode.INVALID, error.message, "id")]) from None
    if type_name != entity.type_name:
        raise Refused(
            [Problem(ProblemCode.INVALID, f"{global_id!r} is not a {entity.type_name}'s ID", "id")]
        )
    return key


async def _write(
    info: Info, run: Callable[[AsyncSession, Actor], Awaitable[Edit]]
) -> tuple[Edit | None, list[UserError]]:
    """Run an edit in a transaction of its own: committed, or with its problems and nothing
    written."""
    context = info.context
    # `schema.limits` lets only editors' keys run a mutation, and those have both.
    assert context.writes is not None
    assert context.actor is not None
    async with context.writes() as session:
        try:
            edit = await run(session, context.actor)
        except Refused as refused:
            await session.rollback()
            return None, _user_errors(refused.problems)
        await session.commit()
    context.forget_loaded()  # later fields read the record as it now is
    return edit, []


def _signature(input_type: type, payload: type) -> inspect.Signature:
    positional = inspect.Parameter.POSITIONAL_OR_KEYWORD
    return inspect.Signature(
        [
            inspect.Parameter("self", positional),
            inspect.Parameter("info", positional, annotation=Info),
            inspect.Parameter(
                "input",
                positional,
                annotation=Annotated[
                    input_type, strawberry.argument(description="The edit, and why it is made.")
                ],
            ),
        ],
        return_annotation=payload,
    )


Run = Callable[[Any, AsyncSession, Actor], Awaitable[Edit]]  # (input, session, actor)


def _mutation(entity: Entity, verb: str, input_type: type, run: Run, description: str) -> Any:
    """The `{verb}{Type}` mutation: `run` makes the edit from the input; the payload gives
    the record as it now is (or, for a deletion, its ID), or the problems."""
    deletes = verb == "delete"
    payload = payload_type(
        f"{verb.title()}{entity.type_name}Payload",
        f"The result of `{verb}{entity.type_name}`.",
        entity,
        deleted=deletes,
    )

    async def resolve(self: Any, info: Info, input: Any) -> Any:
        edit, errors = await _write(info, lambda session, actor: run(input, session, actor))
        answer: dict[str, Any] = {}
        if deletes:
            answer["deleted_id"] = None if edit is None else encode_id(entity.type_name, edit.key)
        elif edit is not None:
            answer[record_field(entity)] = await load_node(info, entity.type_name, edit.key)
        return payload(**answer, user_errors=errors, client_mutation_id=input.client_mutation_id)

    resolve.__signature__ = _signature(input_type, payload)  # type: ignore[attr-defined]
    return strawberry.mutation(resolver=resolve, description=description)


def _create(entity: Entity, verb: str) -> Any:
    async def run(input: Any, session: AsyncSession, actor: Actor) -> Edit:
        fields = dict.fromkeys(_nullable_required(entity)) | _given(input)
        return await edits.create(session, entity, fields, actor, input.reason)

    description = (
        f"Add {a(entity.type_name)} (editors): "
        + ("it must cite at least one source, and its " if entity.cited else "its ")
        + "key must be new."
    )
    if entity.editing is Editing.APPEND:
        description += (
            " A correction names the observation it supersedes, which then no longer counts "
            "as the latest figure."
        )
    return _mutation(entity, verb, create_input(entity, verb), run, description)


def _nullable_required(entity: Entity) -> list[str]:
    """Fields the fixtures must give, possibly as null: omitted from an input, they are null."""
    return [
        name
        for name, field in entity.fixture.model.model_fields.items()
        if field.is_required() and graphql_type(field)[1]
    ]


def _update(entity: Entity) -> Any:
    async def run(input: Any, session: AsyncSession, actor: Actor) -> Edit:
        changes = _given(input)
        cite = changes.pop("sources", [])
        uncite = changes.pop("remove_sources", None) or ()
        key = _key(entity, input.id)
        return await edits.update(
            session,
            entity,
            key,
            input.expected_updated_at,
            changes,
            cite,
            actor,
            uncite=uncite,
            reason=input.reason,
        )

    description = (
        f"Change {a(entity.type_name)} (editors), based on the version read "
        "(`expectedUpdatedAt`)"
        + (": the sources the change rests on are added to its own." if entity.cited else ".")
    )
    return _mutation(entity, "update", update_input(entity), run, description)


def _delete(entity: Entity) -> Any:
    async def run(input: Any, session: AsyncSession, actor: Actor) -> Edit:
        key = _key(entity, input.id)
        return await edits.remove(
            session, entity, key, input.expected_updated_at, actor, input.reason
        )

    description = (
        f"Delete {a(entity.type_name)} (editors), based on the version read; refused while "
        "other records refer to it. The change feed keeps a tombstone."
    )
    return _mutation(entity, "delete", delete_input(entity), run, description)


def _mutations() -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for entity in ENTITIES:
        name = record_field(entity)
        if entity.editing is Editing.FULL:
            fields[f"create_{name}"] = _create(entity, "create")
            fields[f"update_{name}"] = _update(entity)
            fields[f"delete_{name}"] = _delete(entity)
        elif entity.editing is Editing.APPEND:
            fields[f"append_{name}"] = _create(entity, "append")
    return fields


Mutation = strawberry.type(
    type("Mutation", (), _mutations()),
    description=(
        "Edits, for keys with the editor or admin role (แก้ไขข้อมูล): each cites its sources, "
        "is audited, appears in the change feed and moves the data version."
    ),
)
