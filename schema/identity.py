"""What identifies a build of the schema: its SDL, and that text's SHA-256."""

from __future__ import annotations

import hashlib
import weakref

from strawberry import Schema

_digests: weakref.WeakKeyDictionary[Schema, str] = weakref.WeakKeyDictionary()


def sdl(schema: Schema) -> str:
    """The schema as SDL, as `schema/schema.graphql` holds it (with a final newline)."""
    return schema.as_str() + "\n"


def digest(schema: Schema) -> str:
    """The SHA-256 of the schema's SDL, worked out once per schema."""
    if schema not in _digests:
        _digests[schema] = hashlib.sha256(sdl(schema).encode()).hexdigest()
    return _digests[schema]
