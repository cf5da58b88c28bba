"""Every part of the schema is described, and every custom scalar names its specification, so
that clients and code generators need not guess (issue 14).

graphql-schema-linter (pinned in web/package-lock.json) checks the committed SDL as client
tooling sees it; the Python tests check the built schema itself, and that the scalars accept,
refuse and print what their descriptions say.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLSchema,
    specified_scalar_types,
)

from schema.build import build_schema
from schema.enums import DESCRIPTIONS, VALUE_DESCRIPTIONS
from schema.errors import InvalidArgumentError

ROOT = Path(__file__).resolve().parent.parent
COMMITTED = ROOT / "schema" / "schema.graphql"
LINTER = ROOT / "web" / "node_modules" / "graphql-schema-linter" / "lib" / "cli.js"
RULES = (
    "types-have-descriptions",
    "fields-have-descriptions",
    "arguments-have-descriptions",
    "input-object-values-have-descriptions",
    "enum-values-have-descriptions",
    "descriptions-are-capitalized",
)
# One breach of each rule, to show the linter runs every rule it is given.
UNDESCRIBED = """
type Query {
  "lower-case description"
  a(b: Int): Kind
  "Described."
  c(d: Filter): Int
  f: Int
}
enum Kind {
  ONE
}
"Described."
input Filter {
  e: Int
}
"""


def _lint(*arguments: str, stdin: str | None = None) -> list[dict[str, Any]]:
    node = shutil.which("node")
    assert node, "Node.js is needed for the linter (make install needs it too)"
    assert LINTER.exists(), "graphql-schema-linter is missing: run `make install`"
    done = subprocess.run(
        [node, str(LINTER), "--format", "json", "--rules", ",".join(RULES), *arguments],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )
    # The linter only warns, on stderr, about a rule it does not know, and then skips it.
    assert done.stderr == "", done.stderr
    errors: list[dict[str, Any]] = json.loads(done.stdout)["errors"]
    assert done.returncode == (1 if errors else 0), done.stdout
    return errors


def test_graphql_schema_linter_finds_nothing_undescribed_in_the_committed_schema() -> None:
    errors = _lint(str(COMMITTED))
    assert [error["message"] for error in errors] == []


def test_graphql_schema_linter_reports_each_rule_it_runs() -> None:
    errors = _lint("--stdin", stdin=UNDESCRIBED)
    assert {error["rule"] for error in errors} == set(RULES)


@pytest.fixture(scope="module")
def built() -> GraphQLSchema:
    return build_schema()._schema


def _own_types(schema: GraphQLSchema) -> Iterator[GraphQLNamedType]:
    return (kind for name, kind in schema.type_map.items() if not name.startswith("__"))


def _undescribed(schema: GraphQLSchema) -> Iterator[str]:
    """The schema coordinate of every type, field, argument, input field and enum value
    without a description."""
    for kind in _own_types(schema):
        if not kind.description:
            yield kind.name
        if isinstance(kind, GraphQLObjectType | GraphQLInterfaceType):
            for name, field in kind.fields.items():
                if not field.description:
                    yield f"{kind.name}.{name}"
                for argument_name, argument in field.args.items():
                    if not argument.description:
                        yield f"{kind.name}.{name}({argument_name}:)"
        if isinstance(kind, GraphQLInputObjectType):
            for name, input_field in kind.fields.items():
                if not input_field.description:
                    yield f"{kind.name}.{name}"
        if isinstance(kind, GraphQLEnumType):
            for name, value in kind.values.items():
                if not value.description:
                    yield f"{kind.name}.{name}"


def test_every_type_field_argument_and_enum_value_is_described(built: GraphQLSchema) -> None:
    assert list(_undescribed(built)) == []


def test_every_custom_scalar_names_its_specification(built: GraphQLSchema) -> None:
    custom = {
        kind.name: kind.specified_by_url
        for kind in _own_types(built)
        if isinstance(kind, GraphQLScalarType) and kind.name not in specified_scalar_types
    }
    assert set(custom) == {"DateTime", "Decimal", "JSON", "PartialDate"}
    assert {
        name: url for name, url in custom.items() if not (url or "").startswith("https://")
    } == {}


def test_every_value_of_every_domain_enum_is_described() -> None:
    # Also the enums no field uses yet (an API key's role), which the schema does not show.
    assert VALUE_DESCRIPTIONS.keys() == DESCRIPTIONS.keys()
    for enum, descriptions in VALUE_DESCRIPTIONS.items():
        assert list(descriptions) == list(enum), enum.__name__


def test_each_domain_enum_value_has_its_own_enum_s_description(built: GraphQLSchema) -> None:
    # `ChangeOperation.CREATE` and `AuditAction.CREATE` are equal strings, yet mean different
    # things.
    shown = {
        (kind.name, name): value.description
        for kind in _own_types(built)
        if isinstance(kind, GraphQLEnumType)
        for name, value in kind.values.items()
    }
    expected = {
        (enum.__name__, member.name): description
        for enum, descriptions in VALUE_DESCRIPTIONS.items()
        for member, description in descriptions.items()
        if enum.__name__ in built.type_map
    }
    assert {key: shown[key] for key in expected} == expected
    assert shown["ChangeOperation", "CREATE"] != shown["AuditAction", "CREATE"]


def _scalar(schema: GraphQLSchema, name: str) -> GraphQLScalarType:
    kind = schema.type_map[name]
    assert isinstance(kind, GraphQLScalarType)
    return kind


@pytest.mark.parametrize(
    ("given", "read"),
    [
        ("6842970000.00", Decimal("6842970000.00")),
        ("+1", Decimal(1)),
        ("1.", Decimal(1)),
        (".5", Decimal("0.5")),
        ("-1.5e3", Decimal(-1500)),
        ("99999999999999.99", Decimal("99999999999999.99")),
    ],
)
def test_decimal_accepts_what_its_description_says(
    built: GraphQLSchema, given: str, read: Decimal
) -> None:
    assert _scalar(built, "Decimal").parse_value(given) == read


@pytest.mark.parametrize(
    "given", [6842970000, 1.5, "NaN", "Infinity", "1_000", " 1", "๑", "100000000000000"]
)
def test_decimal_refuses_what_its_description_says(built: GraphQLSchema, given: object) -> None:
    with pytest.raises(InvalidArgumentError):
        _scalar(built, "Decimal").parse_value(given)


@pytest.mark.parametrize(
    ("value", "printed"),
    [
        (Decimal("6842970000.00"), "6842970000.00"),
        (Decimal("96.67"), "96.67"),
        (Decimal("1E+2"), "100"),
        (Decimal("-1.5E-3"), "-0.0015"),
    ],
)
def test_decimal_prints_plain_notation(built: GraphQLSchema, value: Decimal, printed: str) -> None:
    assert _scalar(built, "Decimal").serialize(value) == printed


@pytest.mark.parametrize("given", ["2021", "2021-11", "2021-11-07", "2024-02-29"])
def test_partial_date_accepts_and_prints_its_three_forms(built: GraphQLSchema, given: str) -> None:
    scalar = _scalar(built, "PartialDate")
    assert scalar.serialize(scalar.parse_value(given)) == given


@pytest.mark.parametrize(
    "given",
    [2021, "2021/11", "20211107", "2021-1", "2021-13", "2021-11-07T00:00", "๒๐๒๑", "2021-02-31"],
)
def test_partial_date_refuses_other_forms(built: GraphQLSchema, given: object) -> None:
    with pytest.raises(InvalidArgumentError):
        _scalar(built, "PartialDate").parse_value(given)


@pytest.mark.parametrize(
    ("given", "printed"),
    [
        ("2024-05-01T00:00:00Z", "2024-05-01T00:00:00+00:00"),
        ("2024-05-01T07:00:00+07:00", "2024-05-01T00:00:00+00:00"),
        ("2024-05-01 07:00:00+07:00", "2024-05-01T00:00:00+00:00"),
        ("20240501T070000+0700", "2024-05-01T00:00:00+00:00"),
        ("2024-W18-3T07:00+07:00", "2024-05-01T00:00:00+00:00"),
        ("2024-05-01T09:30:15,25Z", "2024-05-01T09:30:15.250000+00:00"),
        ("2024-05-01T09:30:15.1234567Z", "2024-05-01T09:30:15.123456+00:00"),
    ],
)
def test_date_time_accepts_a_zoned_time_and_answers_in_utc(
    built: GraphQLSchema, given: str, printed: str
) -> None:
    scalar = _scalar(built, "DateTime")
    read = scalar.parse_value(given)
    assert isinstance(read, datetime)
    assert scalar.serialize(read) == printed


@pytest.mark.parametrize(
    "given",
    [
        "2024-05-01T07:00:00",
        "2024-05-01",
        "2024-05-01t00:00:00z",
        "2024-05-01T00:00:60Z",
        "2024-05-01T24:00:00Z",
        1714521600,
        "0001-01-01T00:00:00+01:00",
    ],
)
def test_date_time_refuses_what_its_description_says(built: GraphQLSchema, given: object) -> None:
    with pytest.raises(InvalidArgumentError):
        _scalar(built, "DateTime").parse_value(given)
