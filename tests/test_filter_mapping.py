"""Every field of every filter and sort input is mapped: checked when the schema is built, and,
through HTTP on the real data, a text condition no record meets selects no record."""

from __future__ import annotations

import operator
from enum import Enum
from typing import Any, ClassVar

import pytest
import strawberry
from sqlmodel import col
from strawberry.schema.config import StrawberryConfig

from db.tables import City
from schema.build import SmartCitySchema, build_schema
from schema.cities.filters import CityFilter
from schema.filter_mapping import UnmappedFieldError, mapping_problems
from schema.filters import (
    Columns,
    EntityFilter,
    OperatorFilter,
    Operators,
    OrderDirection,
    Relations,
    SortKey,
    StringFilter,
)
from schema.scalars import SCALARS
from tests.graphql import GraphQLClient

NO_MATCH = "no-such-value-5f0c"


def test_every_filter_and_sort_input_of_the_schema_is_mapped() -> None:
    found = mapping_problems(build_schema())

    assert {name: problems for name, problems in found.items() if problems} == {}
    # The walk reaches every kind of input (so an empty walk cannot pass): the entity filters,
    # the sort keys, the operator filters and one enum filter per enum filtered on.
    entities = {name for name in found if name.endswith("Filter") and "EnumFilter" not in name}
    assert {"CityFilter", "ProvinceFilter", "DimensionFilter", "InvestmentFilter"} <= entities
    assert {"StringFilter", "IntFilter", "DecimalFilter", "DateFilter", "DateTimeFilter"} <= set(
        found
    )
    assert len([name for name in found if name.endswith("Order")]) >= 8
    assert len([name for name in found if name.endswith("EnumFilter")]) >= 11
    assert len(found) >= 33


# A throwaway schema with one mistake of each kind.


@strawberry.input
class RoundAgainCityFilter(CityFilter):
    """The experiment that found the silent case: a field added, its mapping forgotten."""

    round_again: StringFilter | None = strawberry.UNSET


@strawberry.input
class TypoFilter(EntityFilter):
    slug: StringFilter | None = strawberry.UNSET
    ascn_member: bool | None = strawberry.UNSET

    COLUMNS: ClassVar[Columns] = {"slgu": col(City.slug), "ascn_member": col(City.province_id)}
    RELATIONS: ClassVar[Relations] = {}


@strawberry.enum
class RoundOrderField(Enum):
    SLUG = "SLUG"
    ROUND = "ROUND"


@strawberry.input
class RoundOrder(SortKey):
    field: RoundOrderField
    direction: OrderDirection = OrderDirection.ASC

    COLUMNS: ClassVar[dict[RoundOrderField, Any]] = {RoundOrderField.SLUG: col(City.slug)}


@strawberry.input
class CountFilter(OperatorFilter):
    eq: int | None = strawberry.UNSET
    gt: int | None = strawberry.UNSET

    OPERATORS: ClassVar[Operators] = {"eq": operator.eq}


@strawberry.input
class LooseFilter:
    slug: StringFilter | None = strawberry.UNSET


@strawberry.type
class BrokenQuery:
    @strawberry.field
    def cities(
        self,
        where: RoundAgainCityFilter | None = None,
        typo: TypoFilter | None = None,
        order_by: list[RoundOrder] | None = None,
        count: CountFilter | None = None,
        loose: LooseFilter | None = None,
    ) -> int:
        return 0


def test_an_unmapped_field_stops_the_schema_from_being_built() -> None:
    with pytest.raises(UnmappedFieldError) as raised:
        SmartCitySchema(query=BrokenQuery, config=StrawberryConfig(scalar_map=SCALARS))

    lines = str(raised.value).splitlines()
    assert lines[0] == "Filter and sort inputs are not mapped:"
    assert sorted(lines[1:]) == sorted(
        [
            "RoundAgainCityFilter.roundAgain is not mapped to a column or relation",
            "TypoFilter.slug is not mapped to a column or relation",
            "TypoFilter: slgu is mapped but not declared",
            "TypoFilter.ascnMember is mapped to a column but is not an operator filter",
            "RoundOrderField.ROUND is not mapped to a column",
            "CountFilter.gt is not mapped to an operator",
            "LooseFilter is not an EntityFilter, OperatorFilter or SortKey, so it maps nothing",
        ]
    )


# Through HTTP, walking the schema's introspection: for every root connection with a filter,
# each text field of the filter and each text field of its relations' filters, one level down
# (`{province: {name: …}}`); relations of relations are left out.

_INTROSPECTION = """{ __schema {
  queryType { fields { name args { name type { name } } type { ofType { name } } } }
  types { name inputFields { name type { name } } } } }"""


def _text_fields(types: dict[str, Any], filter_type: str) -> list[str]:
    return [
        field["name"]
        for field in types[filter_type]["inputFields"]
        if field["type"]["name"] == "StringFilter"
    ]


def _is_entity_filter(types: dict[str, Any], name: str | None) -> bool:
    """Entity filters are the inputs that combine with `and`."""
    fields = types.get(name or "", {}).get("inputFields") or []
    return any(field["name"] == "and" for field in fields)


def _relations(types: dict[str, Any], filter_type: str) -> list[tuple[str, str]]:
    """Each relation field of an entity filter, with the related record's filter type."""
    return [
        (field["name"], field["type"]["name"])
        for field in types[filter_type]["inputFields"]
        if field["name"] != "not" and _is_entity_filter(types, field["type"]["name"])
    ]


def _conditions_no_record_meets(types: dict[str, Any], filter_type: str) -> list[dict[str, Any]]:
    miss = {"eq": NO_MATCH}
    direct = [{field: miss} for field in _text_fields(types, filter_type)]
    nested = [
        {relation: {field: miss}}
        for relation, related in _relations(types, filter_type)
        for field in _text_fields(types, related)
    ]
    return direct + nested


async def _total(client: GraphQLClient, root: str, filter_type: str, filter_: Any) -> int:
    query = f"query ($filter: {filter_type}) {{ {root}(filter: $filter) {{ totalCount }} }}"
    total: int = (await client.data(query, {"filter": filter_}))[root]["totalCount"]
    return total


async def test_a_text_condition_no_record_meets_selects_none(
    seeded_client: GraphQLClient,
) -> None:
    schema = (await seeded_client.data(_INTROSPECTION))["__schema"]
    types = {graphql_type["name"]: graphql_type for graphql_type in schema["types"]}
    roots, selecting = [], []
    checked = 0
    for root in schema["queryType"]["fields"]:
        filters = [arg["type"]["name"] for arg in root["args"] if arg["name"] == "filter"]
        returned = (root["type"]["ofType"] or {}).get("name") or ""
        if not filters or not returned.endswith("Connection"):
            continue
        roots.append(root["name"])
        # The real data holds records of each kind, so a condition that selects none did work.
        assert await _total(seeded_client, root["name"], filters[0], None) > 0, root["name"]
        for condition in _conditions_no_record_meets(types, filters[0]):
            checked += 1
            if await _total(seeded_client, root["name"], filters[0], condition) != 0:
                selecting.append((root["name"], condition))

    assert selecting == []
    assert {"provinces", "cities", "projects", "investments", "sources"} <= set(roots)
    assert len(roots) >= 8
    assert checked >= 50
