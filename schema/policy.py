"""The schema change policy: what changed since the last release, and whether it may.

Clients build against the schema, so a change that can break one (a field removed, a type
narrowed, a required argument added) must be announced: CHANGELOG.md's `## Unreleased`
section names it by its schema coordinate (`City.slug`, `Query.city(slug:)`), and a
removal must have been `@deprecated(reason:)` in the last release, so clients had a release
to move off it. graphql-core's own comparison classifies the changes, as graphql-inspector
does; its "dangerous" changes (an enum value or an optional argument added) are reported,
not refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from graphql import (
    BreakingChangeType,
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLSchema,
    build_schema,
    find_breaking_changes,
    find_dangerous_changes,
)

# Changes that take away what clients may select or send: allowed only after a deprecation.
REMOVALS = {
    BreakingChangeType.FIELD_REMOVED,
    BreakingChangeType.VALUE_REMOVED_FROM_ENUM,
    BreakingChangeType.ARG_REMOVED,
}
_COORDINATE = re.compile(r"[A-Za-z_]\w*(?:\.\w+(?:\(\w+:\))?)?")
_PROSE = {"A", "An", "Argument", "Enum", "Field", "Input", "Interface", "Type", "Union"}


@dataclass(frozen=True)
class SchemaChange:
    kind: str  # graphql-core's name for it, e.g. FIELD_REMOVED
    description: str
    coordinate: str  # e.g. `City.slug`, `Query.city(slug:)`, `CityStatus.LAPSED`
    breaking: bool


def coordinate(description: str) -> str:
    """The schema coordinate a graphql-core change description names."""
    tokens: list[str] = _COORDINATE.findall(description)
    for token in tokens:
        if token not in _PROSE and (token[0].isupper() or "." in token):
            return token
    return ""


def changes(old_sdl: str, new_sdl: str) -> list[SchemaChange]:
    old, new = build_schema(old_sdl), build_schema(new_sdl)
    found = [
        SchemaChange(change.type.name, change.description, coordinate(change.description), True)
        for change in find_breaking_changes(old, new)
        # A built-in scalar no field uses any more is left out of the SDL: no client notices.
        if not change.description.startswith("Standard scalar")
    ]
    found += [
        SchemaChange(change.type.name, change.description, coordinate(change.description), False)
        for change in find_dangerous_changes(old, new)
    ]
    return found


def _unreleased(changelog: str) -> str:
    """The text of CHANGELOG.md's `## Unreleased` section."""
    match = re.search(r"^## Unreleased\s*$(.*?)(?=^## |\Z)", changelog, re.M | re.S)
    return match.group(1) if match else ""


def _deprecated(schema: GraphQLSchema, where: str) -> bool:
    """Whether the field, argument or enum value at a coordinate is deprecated."""
    type_name, _, rest = where.partition(".")
    named = schema.get_type(type_name)
    member, _, argument = rest.partition("(")
    if isinstance(named, GraphQLEnumType):
        value = named.values.get(member)
        return value is not None and value.deprecation_reason is not None
    if isinstance(named, GraphQLObjectType | GraphQLInterfaceType | GraphQLInputObjectType):
        field = named.fields.get(member)
        if field is None:
            return False
        if argument:
            arg = getattr(field, "args", {}).get(argument.removesuffix(":)"))
            return arg is not None and arg.deprecation_reason is not None
        return field.deprecation_reason is not None
    return False


def refusals(old_sdl: str, new_sdl: str, changelog: str) -> list[str]:
    """Why the new schema may not replace the old one yet; empty when it may."""
    announced = _unreleased(changelog)
    old = build_schema(old_sdl)
    problems = []
    for change in changes(old_sdl, new_sdl):
        if not change.breaking:
            continue
        if f"`{change.coordinate}`" not in announced:
            problems.append(
                f"{change.description} This breaks clients: record `{change.coordinate}` "
                "under `## Unreleased` in CHANGELOG.md, with its deprecation period."
            )
        if change.kind in {kind.name for kind in REMOVALS} and not _deprecated(
            old, change.coordinate
        ):
            problems.append(
                f"{change.description} Deprecate it first (`@deprecated(reason:)`) and "
                "remove it only in a release after the one that deprecates it."
            )
    return problems
