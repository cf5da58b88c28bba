"""The entity registry: every table is accounted for, and everything that should know an entity
does, checked through the real stack. Generated from `db.entities`, so a new entity is covered
by its registry entry alone."""

from __future__ import annotations

import csv
import json
from typing import Any

import pytest
import yaml
from sqlalchemy import func
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import SQLModel, col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from db import exports, hooks
from db.engine import session_factory
from db.entities import ENTITIES, INTERNAL, Entity, Fixture, references, table_of
from db.enums import ChangeOperation
from db.fixtures import DEFAULT_FIXTURES, LOAD_ORDER, WORKED_OUT
from db.ids import global_id
from db.tables import Change, Citation, Record, SearchDocument
from tests.graphql import GraphQLClient

NODES = [entity for entity in ENTITIES if entity.node]
SEARCHABLE = [entity for entity in ENTITIES if entity.search is not None]
# Every link and side table, with the entity it belongs to.
PARTS = [
    (entity, part)
    for entity in ENTITIES
    for part in [*(link.model for link in entity.links), *(side.model for side in entity.sides)]
]
# Every table the fixtures fill, with the fixture it is filled from.
FIXTURES = [(entity.model, entity.fixture) for entity in ENTITIES] + [
    (side.model, side.fixture) for entity in ENTITIES for side in entity.sides
]
PROBE = "probe"  # the natural key of a record a test adds; short enough for every key column
JSON = {"Accept": "application/json"}


def _name(value: Any) -> str:
    if isinstance(value, Entity):
        return value.plural
    if isinstance(value, Fixture):
        return value.file if value.section is None else f"{value.file}:{value.section}"
    return table_of(value).name


def test_every_table_is_an_entity_a_part_of_one_or_internal() -> None:
    kinds = {
        "entity": [entity.table for entity in ENTITIES],
        "link or side": [table_of(part).name for _, part in PARTS],
        "internal": [table_of(model).name for model in INTERNAL],
    }
    named = [table for tables in kinds.values() for table in tables]
    assert len(named) == len(set(named)), f"a table is named twice: {kinds}"
    assert set(SQLModel.metadata.tables) == set(named)


@pytest.mark.parametrize("entity", ENTITIES, ids=_name)
def test_every_reference_leads_to_an_entity(entity: Entity) -> None:
    known = {other.table for other in ENTITIES}
    assert set(references(entity.model).values()) <= known
    for link in entity.links:
        parent, target, _ = link.ends(entity)
        assert set(references(link.model)) == {parent, target}
    for side in entity.sides:
        assert entity.column_to(side.model) in references(side.model)


@pytest.mark.parametrize(("model", "fixture"), FIXTURES, ids=_name)
def test_every_column_is_filled_from_the_fixtures(model: type[Record], fixture: Fixture) -> None:
    """Each column comes from a fixture field of its name, or of its name without `_id` for
    a foreign key, or is the record's place in the file, or is worked out by the loader; no
    field is left unused."""
    fields = set(fixture.model.model_fields)
    foreign = {column.removesuffix("_id"): column for column in references(model)}
    links = {link.name for entity in ENTITIES if entity.model is model for link in entity.links}
    filled = {foreign.get(name, name) for name in fields - links - {"sources"}}
    if fixture.numbered:
        filled.add(fixture.numbered)
    if model in WORKED_OUT:
        filled |= WORKED_OUT[model].columns
    columns = {column.name for column in table_of(model).columns} - {"id", "updated_at"}
    assert filled == columns


def test_the_fixtures_load_every_table_after_those_it_refers_to() -> None:
    loaded: list[str] = []
    for table in LOAD_ORDER:
        referred = {key.column.table.name for key in table_of(table.model).foreign_keys}
        for link in table.links:
            referred |= {key.column.table.name for key in table_of(link.model).foreign_keys}
        assert referred - {table.name} <= set(loaded), f"{table.name} loads too early"
        loaded.append(table.name)
    assert sorted(loaded) == sorted(table_of(model).name for model, _ in FIXTURES)


def _records_in_file(fixture: Fixture) -> int:
    """How many records the fixture file holds, read without the loader."""
    path = DEFAULT_FIXTURES / fixture.file
    if path.suffix == ".csv":
        with path.open(encoding="utf-8", newline="") as stream:
            return sum(1 for _ in csv.DictReader(stream))
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    return len(document[fixture.section] if fixture.section else document)


@pytest.mark.parametrize(("model", "fixture"), FIXTURES, ids=_name)
async def test_the_seed_loads_every_record_of_every_fixture(
    seeded_engine: AsyncEngine, model: type[Record], fixture: Fixture
) -> None:
    table = table_of(model)
    async with session_factory(seeded_engine)() as session:
        rows = (await session.exec(select(func.count()).select_from(table))).one()
        cited = (
            await session.exec(
                select(func.count(func.distinct(col(Citation.subject_id)))).where(
                    col(Citation.subject_type) == table.name
                )
            )
        ).one()
    assert rows == _records_in_file(fixture) > 0
    assert cited == (rows if fixture.cited else 0)


def _probe(entity: Entity) -> str | int:
    """The natural key of a record a test adds: `PROBE`, or a number for a numbered entity."""
    key_type = table_of(entity.model).c[entity.key].type.python_type
    return 9_999 if key_type is int else PROBE


async def _insert_copy(session: AsyncSession, entity: Entity, **values: Any) -> Record:
    """A new row of `entity` with the natural key `PROBE`: a copy of a seeded one, so every
    required column and reference holds something real."""
    original = (await session.exec(select(entity.model).limit(1))).first()
    assert original is not None, f"the fixtures hold no {entity.table} to copy"
    copied = {column: getattr(original, column) for column in entity.columns}
    # A place in a numbered list may be unique too (a coverage note's): the copy goes last.
    numbered = {} if entity.fixture.numbered is None else {entity.fixture.numbered: 9_999}
    row = entity.model(**(copied | numbered | {entity.key: _probe(entity)} | values))
    session.add(row)
    await session.commit()
    await session.refresh(row)
    return row


async def _changes_after(session: AsyncSession, sequence: int) -> list[tuple[str, str, str]]:
    changes = await session.exec(
        select(Change).where(col(Change.id) > sequence).order_by(col(Change.id))
    )
    return [(c.subject_type, c.subject_key, c.operation) for c in changes]


async def _latest_change(session: AsyncSession) -> int:
    return (await session.exec(select(func.max(col(Change.id))))).one() or 0


async def _etag(client: GraphQLClient) -> str:
    response = await client.http.get("/graphql", params={"query": "{ __typename }"}, headers=JSON)
    etag: str = response.headers["etag"]
    return etag


@pytest.mark.parametrize("entity", ENTITIES, ids=_name)
async def test_a_new_record_is_in_the_feed_moves_the_data_version_and_a_node_is_found(
    seeded_client: GraphQLClient, seeded_engine: AsyncEngine, entity: Entity
) -> None:
    before = await _etag(seeded_client)
    async with session_factory(seeded_engine)() as session:
        latest = await _latest_change(session)
        await _insert_copy(session, entity)
        assert await _changes_after(session, latest) == [
            (entity.type_name, str(_probe(entity)), ChangeOperation.CREATE)
        ]
    assert await _etag(seeded_client) != before
    if not entity.node:
        return
    node_id = global_id(entity.type_name, PROBE)
    data = await seeded_client.data("query ($id: ID!) { node(id: $id) { id } }", {"id": node_id})
    assert data["node"] == {"id": node_id}


@pytest.mark.parametrize(("entity", "part"), PARTS, ids=_name)
async def test_a_changed_link_or_side_row_is_an_update_of_its_record(
    seeded_client: GraphQLClient,
    seeded_engine: AsyncEngine,
    entity: Entity,
    part: type[SQLModel],
) -> None:
    column = entity.column_to(part)
    before = await _etag(seeded_client)
    async with session_factory(seeded_engine)() as session:
        row = (await session.exec(select(part).limit(1))).first()
        assert row is not None, f"the fixtures hold no {table_of(part).name} row"
        parent = await session.get(entity.model, getattr(row, column))
        assert parent is not None
        key = str(getattr(parent, entity.key))
        latest = await _latest_change(session)
        await session.delete(row)
        await session.commit()
        changes = await _changes_after(session, latest)
    assert changes == [(entity.type_name, key, ChangeOperation.UPDATE)]
    assert await _etag(seeded_client) != before


async def test_installing_the_hooks_again_records_each_change_once(
    seeded_engine: AsyncEngine,
) -> None:
    """`hooks.install` runs wherever a process starts (and for every app a test builds):
    installing again must not write a change or a search document twice."""
    entity = SEARCHABLE[0]
    hooks.install()
    hooks.install()
    async with session_factory(seeded_engine)() as session:
        latest = await _latest_change(session)
        row = await _insert_copy(session, entity)
        assert len(await _changes_after(session, latest)) == 1
        documents = await session.exec(
            select(func.count()).where(
                col(SearchDocument.subject_type) == entity.table,
                col(SearchDocument.subject_id) == row.id,
            )
        )
        assert documents.one() == 1


@pytest.mark.parametrize("entity", ENTITIES, ids=_name)
async def test_every_entity_has_downloads_with_english_and_thai_titles(
    seeded_client: GraphQLClient, seeded_engine: AsyncEngine, entity: Entity
) -> None:
    async with session_factory(seeded_engine)() as session:
        rows = (await session.exec(select(func.count()).select_from(table_of(entity.model)))).one()
    name = f"smartcity-{entity.plural.replace('_', '-')}"
    jsonl = await seeded_client.http.get(f"/downloads/{name}.jsonl")
    assert jsonl.status_code == 200
    records = [json.loads(line) for line in jsonl.text.splitlines()]
    assert len(records) == rows
    assert list(records[0]) == exports.header(entity)
    geojson = await seeded_client.http.get(f"/downloads/{name}.geojson")
    assert geojson.status_code == (200 if entity.mapped else 404)

    catalog = (await seeded_client.http.get("/catalog.jsonld")).json()
    [dataset] = [d for d in catalog["dcat:dataset"] if d["dct:identifier"] == entity.plural]
    titles = {title["@language"]: title["@value"] for title in dataset["dct:title"]}
    assert titles == {"en": entity.title_en, "th": entity.title_th}
    assert titles["en"].isascii()
    assert any("\u0e00" <= char <= "\u0e7f" for char in titles["th"])  # written in Thai


SEARCH = """query ($q: String!) {
  search(query: $q, first: 100) { hits { node { ... on Node { id } } } } }"""


@pytest.mark.parametrize("entity", SEARCHABLE, ids=_name)
async def test_a_new_searchable_record_is_found(
    seeded_client: GraphQLClient, seeded_engine: AsyncEngine, entity: Entity
) -> None:
    assert entity.search is not None
    names = {entity.search.name_en: "Registry Probe", entity.search.name_th: "ทะเบียนทดลอง"}
    async with session_factory(seeded_engine)() as session:
        row = await _insert_copy(session, entity, **names)
        documents = (
            await session.exec(
                select(SearchDocument.key).where(
                    col(SearchDocument.subject_type) == entity.table,
                    col(SearchDocument.subject_id) == row.id,
                )
            )
        ).all()
    assert documents == [PROBE]
    node = {"node": {"id": global_id(entity.type_name, PROBE)}}
    for query in ("registry probe", "ทะเบียนทดลอง"):
        data = await seeded_client.data(SEARCH, {"q": query})
        assert node in data["search"]["hits"], query
