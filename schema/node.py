"""Relay global object identification: opaque IDs built from stable natural keys.

An ID is base64url("City:samyan"): the type name and the record's natural key (a province code,
a city slug, …), so it survives a re-import of the data, unlike a database row id.
"""

from __future__ import annotations

import base64
import binascii

import strawberry

from db.ids import global_id
from schema.errors import InvalidIdError


def encode_id(type_name: str, key: str) -> strawberry.ID:
    return strawberry.ID(global_id(type_name, key))


def decode_id(global_id: str) -> tuple[str, str]:
    """(type name, natural key) of a global ID, or INVALID_ID."""
    invalid = InvalidIdError(f"{global_id[:60]!r} is not a valid global ID")
    try:
        padded = global_id + "=" * (-len(global_id) % 4)
        type_name, _, key = base64.urlsafe_b64decode(padded).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise invalid from None
    # No natural key holds NUL, and PostgreSQL could not even compare text holding it.
    if not type_name or not key or "\x00" in key:
        raise invalid
    return type_name, key


@strawberry.interface(
    description=(
        "An object with a global ID, fetchable with `node(id:)`. IDs are opaque and stable: "
        "they are built from natural keys and survive re-imports."
    )
)
class Node:
    id: strawberry.ID = strawberry.field(description="The object's opaque, stable global ID.")
