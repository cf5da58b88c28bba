"""Edits over GraphQL, through HTTP on a real database: roles, each kind of mutation, stale
and unsourced edits, and the change feed and audit entries they leave."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import col, select
from strawberry.utils.str_converters import to_camel_case

from db import edits, exports
from db.engine import session_factory
from db.entities import ENTITIES, Editing, Entity
from db.enums import KeyRole
from db.fixtures import BY_MODEL
from db.ids import global_id
from db.tables import AuditEntry, Change, City
from schema.edits.inputs import graphql_type, record_field
from schema.limits import WRITE_FETCHES, points
from tests.databases import count_rows


async def post(
    http: httpx.AsyncClient,
    query: str,
    variables: dict[str, Any] | None = None,
    key: str | None = None,
) -> httpx.Response:
    headers = {} if key is None else {"Authorization": f"Bearer {key}"}
    return await http.post(
        "/graphql", json={"query": query, "variables": variables or {}}, headers=headers
    )


async def mutate(
    http: httpx.AsyncClient, key: str, query: str, variables: dict[str, Any]
) -> dict[str, Any]:
    """The payload of a mutation that ran (it may hold user errors)."""
    response = await post(http, query, variables, key)
    body = response.json()
    assert response.status_code == 200, body
    assert "errors" not in body, body
    [payload] = body["data"].values()
    assert isinstance(payload, dict)
    return payload


CREATE_CITY = """
mutation($input: CreateCityInput!) {
  createCity(input: $input) {
    city { id slug nameEn status province { code } dimensions { code } updatedAt
           sources { key } locationPrecision }
    userErrors { field message code }
    clientMutationId
  }
}"""

NEW_CITY = {
    "slug": "test-new-area",
    "nameTh": "พื้นที่ทดสอบ",
    "nameEn": "Test Area",
    "province": "TH-50",
    "status": "PROPOSED",
    "certainty": "REPORTED",
    "dimensions": ["MOBILITY", "ENVIRONMENT"],
    "sources": ["posttoday-708162"],
    "reason": "a proposal reported in the press",
    "clientMutationId": "m1",
}

UPDATE_CITY = """
mutation($input: UpdateCityInput!) {
  updateCity(input: $input) {
    city { id nameEn status updatedAt sources { key } }
    userErrors { field message code }
  }
}"""

DELETE_CITY = """
mutation($input: DeleteCityInput!) {
  deleteCity(input: $input) { deletedId userErrors { field message code } }
}"""

AREA = "query($slug: String!) { city(slug: $slug) { id nameEn status updatedAt } }"


async def area(http: httpx.AsyncClient, slug: str) -> dict[str, Any]:
    response = await post(http, AREA, {"slug": slug})
    city: dict[str, Any] = response.json()["data"]["city"]
    return city


@pytest.mark.parametrize("role", [None, KeyRole.READER])
async def test_a_write_without_the_editor_role_is_forbidden(
    seeded_http: httpx.AsyncClient,
    role_keys: dict[KeyRole, str],
    role: KeyRole | None,
    seeded_engine: AsyncEngine,
) -> None:
    before = await count_rows(seeded_engine, City)
    response = await post(
        seeded_http, CREATE_CITY, {"input": NEW_CITY}, None if role is None else role_keys[role]
    )
    assert response.status_code == 403, response.text
    [error] = response.json()["errors"]
    assert error["extensions"]["code"] == "FORBIDDEN"
    assert error["extensions"]["role"] == "EDITOR"
    assert await count_rows(seeded_engine, City) == before
    assert await count_rows(seeded_engine, AuditEntry) == 0


async def test_an_editor_creates_an_area_which_is_audited_and_in_the_feed(
    seeded_http: httpx.AsyncClient, role_keys: dict[KeyRole, str], seeded_engine: AsyncEngine
) -> None:
    version_before = (await seeded_http.get("/graphql?query={__typename}")).headers["etag"]
    response = await post(seeded_http, CREATE_CITY, {"input": NEW_CITY}, role_keys[KeyRole.EDITOR])
    body = response.json()
    payload = body["data"]["createCity"]
    assert payload["userErrors"] == []
    assert payload["clientMutationId"] == "m1"
    city = payload["city"]
    assert city["slug"] == "test-new-area"
    assert city["province"] == {"code": "TH-50"}
    assert {d["code"] for d in city["dimensions"]} == {"MOBILITY", "ENVIRONMENT"}
    assert city["sources"] == [{"key": "posttoday-708162"}]
    assert city["locationPrecision"] == "PROVINCE"  # no point of its own given
    # A write is charged as ten points, and reported as every request is.
    assert body["extensions"]["cost"]["requestedQueryCost"] == points(WRITE_FETCHES)
    # The new area is read back through the API, found by search, and moved the data version.
    assert (await area(seeded_http, "test-new-area"))["id"] == city["id"]
    found = await post(
        seeded_http, '{ search(query: "พื้นที่ทดสอบ") { hits { node { ... on City { slug } } } } }'
    )
    assert {"node": {"slug": "test-new-area"}} in found.json()["data"]["search"]["hits"]
    assert (await seeded_http.get("/graphql?query={__typename}")).headers["etag"] != version_before
    async with session_factory(seeded_engine)() as session:
        [change] = (
            await session.exec(select(Change).where(col(Change.subject_key) == "test-new-area"))
        ).all()
        [entry] = (await session.exec(select(AuditEntry))).all()
    assert (change.subject_type, change.operation) == ("City", "CREATE")
    assert entry.actor_name == "editor desk"
    assert entry.actor_key_id is not None
    assert (entry.action, entry.channel) == ("CREATE", "GRAPHQL")
    assert (entry.subject_type, entry.subject_key) == ("City", "test-new-area")
    assert entry.before is None
    assert entry.after is not None
    assert entry.after["name_en"] == "Test Area"
    assert entry.after["dimensions"] == ["ENVIRONMENT", "MOBILITY"]
    assert entry.reason == "a proposal reported in the press"


async def test_every_problem_of_a_create_is_reported_and_nothing_written(
    seeded_http: httpx.AsyncClient, role_keys: dict[KeyRole, str], seeded_engine: AsyncEngine
) -> None:
    bad = NEW_CITY | {
        "slug": "Not A Slug",
        "province": "TH-99",
        "dimensions": ["MOBILITY", "TELEPATHY"],
        "sources": [],
    }
    changes = await count_rows(seeded_engine, Change)
    response = await post(seeded_http, CREATE_CITY, {"input": bad}, role_keys[KeyRole.EDITOR])
    payload = response.json()["data"]["createCity"]
    assert payload["city"] is None
    found = {(tuple(e["field"] or ()), e["code"]) for e in payload["userErrors"]}
    assert found == {
        (("input", "slug"), "INVALID"),
        (("input", "province"), "UNKNOWN_REFERENCE"),
        (("input", "dimensions"), "UNKNOWN_REFERENCE"),
        (("input", "sources"), "SOURCE_REQUIRED"),
    }
    assert await count_rows(seeded_engine, Change) == changes
    assert await count_rows(seeded_engine, AuditEntry) == 0


async def test_a_value_its_column_cannot_hold_is_refused_not_cut(
    seeded_http: httpx.AsyncClient, role_keys: dict[KeyRole, str], seeded_engine: AsyncEngine
) -> None:
    too_long = NEW_CITY | {"nameEn": "x" * 301, "certificationRound": "r" * 5_000}
    payload = await mutate(seeded_http, role_keys[KeyRole.EDITOR], CREATE_CITY, {"input": too_long})
    assert {(tuple(e["field"]), e["code"]) for e in payload["userErrors"]} == {
        (("input", "nameEn"), "INVALID"),
        (("input", "certificationRound"), "INVALID"),
    }
    assert await count_rows(seeded_engine, City, col(City.slug) == NEW_CITY["slug"]) == 0


async def test_a_long_list_of_unknown_keys_is_reported_not_crashed_on(
    seeded_http: httpx.AsyncClient, role_keys: dict[KeyRole, str]
) -> None:
    many = NEW_CITY | {"sources": [f"s{i}" for i in range(40_000)]}
    payload = await mutate(seeded_http, role_keys[KeyRole.EDITOR], CREATE_CITY, {"input": many})
    assert [(e["field"], e["code"]) for e in payload["userErrors"]] == [
        (["input", "sources"], "UNKNOWN_REFERENCE")
    ] * 40_000


async def test_an_update_changes_only_what_it_names_and_adds_its_sources(
    seeded_http: httpx.AsyncClient, role_keys: dict[KeyRole, str], seeded_engine: AsyncEngine
) -> None:
    before = await area(seeded_http, "phuket")
    payload = await mutate(
        seeded_http,
        role_keys[KeyRole.EDITOR],
        UPDATE_CITY,
        {
            "input": {
                "id": before["id"],
                "expectedUpdatedAt": before["updatedAt"],
                "nameEn": "Phuket Smart City (renamed)",
                "sources": ["posttoday-708162"],
                "reason": "the office's new name",
            }
        },
    )
    assert payload["userErrors"] == []
    city = payload["city"]
    assert city["id"] == before["id"]  # global IDs never change
    assert city["nameEn"] == "Phuket Smart City (renamed)"
    assert city["status"] == before["status"]
    assert city["updatedAt"] > before["updatedAt"]
    cited = [source["key"] for source in city["sources"]]
    assert "posttoday-708162" in cited
    assert "optnews-17453" in cited  # what it cited before, it still cites
    async with session_factory(seeded_engine)() as session:
        [entry] = (await session.exec(select(AuditEntry))).all()
        [change] = (
            await session.exec(
                select(Change)
                .where(col(Change.subject_key) == "phuket")
                .order_by(col(Change.id).desc())
            )
        ).all()[:1]
    assert change.operation == "UPDATE"
    assert entry.action == "UPDATE"
    assert entry.before is not None
    assert entry.after is not None
    assert entry.before["name_en"] == "Phuket Smart City"
    assert entry.after["name_en"] == "Phuket Smart City (renamed)"
    assert entry.reason == "the office's new name"


async def test_a_stale_update_is_a_conflict_and_writes_nothing(
    seeded_http: httpx.AsyncClient, role_keys: dict[KeyRole, str], seeded_engine: AsyncEngine
) -> None:
    read = await area(seeded_http, "phuket")
    first = {
        "id": read["id"],
        "expectedUpdatedAt": read["updatedAt"],
        "status": "RENEWED",
        "sources": ["posttoday-708162"],
    }
    assert (await mutate(seeded_http, role_keys[KeyRole.EDITOR], UPDATE_CITY, {"input": first}))[
        "userErrors"
    ] == []
    audited = await count_rows(seeded_engine, AuditEntry)
    changes = await count_rows(seeded_engine, Change)
    # A second editor, still looking at the version both read.
    second = first | {"status": "LAPSED"}
    payload = await mutate(seeded_http, role_keys[KeyRole.ADMIN], UPDATE_CITY, {"input": second})
    assert payload["city"] is None
    [error] = payload["userErrors"]
    assert (error["code"], error["field"]) == ("CONFLICT", ["input", "expectedUpdatedAt"])
    assert (await area(seeded_http, "phuket"))["status"] == "RENEWED"
    assert await count_rows(seeded_engine, AuditEntry) == audited
    assert await count_rows(seeded_engine, Change) == changes


async def test_of_two_simultaneous_edits_of_one_version_one_lands(
    seeded_http: httpx.AsyncClient, role_keys: dict[KeyRole, str]
) -> None:
    read = await area(seeded_http, "khon-kaen")
    edits = [
        {
            "id": read["id"],
            "expectedUpdatedAt": read["updatedAt"],
            "nameEn": name,
            "sources": ["posttoday-708162"],
        }
        for name in ("Khon Kaen A", "Khon Kaen B")
    ]
    payloads = await asyncio.gather(
        *(
            mutate(seeded_http, role_keys[KeyRole.EDITOR], UPDATE_CITY, {"input": edit})
            for edit in edits
        )
    )
    codes = sorted(tuple(e["code"] for e in payload["userErrors"]) for payload in payloads)
    assert codes == [(), ("CONFLICT",)]
    [landed] = [p["city"]["nameEn"] for p in payloads if p["city"] is not None]
    assert (await area(seeded_http, "khon-kaen"))["nameEn"] == landed


async def test_an_update_must_cite_a_source_and_name_the_right_record(
    seeded_http: httpx.AsyncClient, role_keys: dict[KeyRole, str]
) -> None:
    read = await area(seeded_http, "phuket")
    unsourced = {"id": read["id"], "expectedUpdatedAt": read["updatedAt"], "sources": []}
    payload = await mutate(
        seeded_http, role_keys[KeyRole.EDITOR], UPDATE_CITY, {"input": unsourced}
    )
    assert [(e["code"], e["field"]) for e in payload["userErrors"]] == [
        ("SOURCE_REQUIRED", ["input", "sources"])
    ]
    wrong = unsourced | {"sources": ["posttoday-708162"], "id": "Q2l0eTpub3doZXJl"}  # City:nowhere
    payload = await mutate(seeded_http, role_keys[KeyRole.EDITOR], UPDATE_CITY, {"input": wrong})
    assert [e["code"] for e in payload["userErrors"]] == ["NOT_FOUND"]
    a_project = wrong | {"id": global_id("Project", "phuket-smart-city")}
    payload = await mutate(
        seeded_http, role_keys[KeyRole.EDITOR], UPDATE_CITY, {"input": a_project}
    )
    assert [(e["code"], e["field"]) for e in payload["userErrors"]] == [
        ("INVALID", ["input", "id"])
    ]


async def test_a_delete_is_refused_while_records_refer_to_it_and_leaves_a_tombstone(
    seeded_http: httpx.AsyncClient, role_keys: dict[KeyRole, str], seeded_engine: AsyncEngine
) -> None:
    used = await area(seeded_http, "phuket")  # its projects and investments refer to it
    payload = await mutate(
        seeded_http,
        role_keys[KeyRole.EDITOR],
        DELETE_CITY,
        {"input": {"id": used["id"], "expectedUpdatedAt": used["updatedAt"]}},
    )
    assert payload["deletedId"] is None
    assert {e["code"] for e in payload["userErrors"]} == {"IN_USE"}
    assert await area(seeded_http, "phuket")

    created = await mutate(seeded_http, role_keys[KeyRole.EDITOR], CREATE_CITY, {"input": NEW_CITY})
    new = created["city"]
    payload = await mutate(
        seeded_http,
        role_keys[KeyRole.EDITOR],
        DELETE_CITY,
        {"input": {"id": new["id"], "expectedUpdatedAt": new["updatedAt"], "reason": "a test"}},
    )
    assert payload == {"deletedId": new["id"], "userErrors": []}
    assert (await post(seeded_http, AREA, {"slug": "test-new-area"})).json()["errors"][0][
        "extensions"
    ]["code"] == "NOT_FOUND"
    async with session_factory(seeded_engine)() as session:
        feed = (
            await session.exec(
                select(Change.operation)
                .where(col(Change.subject_key) == "test-new-area")
                .order_by(col(Change.id))
            )
        ).all()
        entries = (await session.exec(select(AuditEntry).order_by(col(AuditEntry.id)))).all()
    assert feed == ["CREATE", "DELETE"]  # the deletion as a tombstone
    assert [e.action for e in entries] == ["CREATE", "DELETE"]
    assert entries[1].after is None
    assert entries[1].before is not None
    assert entries[1].before["slug"] == "test-new-area"


APPEND = """
mutation($input: AppendObservationInput!) {
  appendObservation(input: $input) {
    observation { key value supersedes { key } }
    userErrors { field message code }
  }
}"""

CORRECTION = {
    "key": "mae-moh-progress-2024-04-23-corrected",
    "indicator": "PROGRESS_PERCENT",
    "city": "mae-moh",
    "value": "95.5",
    "unit": "percent",
    "asOf": "2024-04-23",
    "certainty": "REPORTED",
    "supersedes": "mae-moh-progress-2024-04-23",
    "sources": ["posttoday-708162"],
}

PROGRESS = """query($id: ID!) {
  city(slug: "mae-moh") { latestProgress { value } }
  observation: node(id: $id) { ... on Observation { supersededBy { key } } }
}"""
CORRECTED = {"id": global_id("Observation", "mae-moh-progress-2024-04-23")}


async def test_a_correction_is_a_new_observation_that_supersedes_the_old(
    seeded_http: httpx.AsyncClient, role_keys: dict[KeyRole, str]
) -> None:
    before = (await post(seeded_http, PROGRESS, CORRECTED)).json()["data"]
    assert before == {
        "city": {"latestProgress": {"value": "96.67"}},
        "observation": {"supersededBy": None},
    }
    payload = await mutate(seeded_http, role_keys[KeyRole.EDITOR], APPEND, {"input": CORRECTION})
    assert payload == {
        "observation": {
            "key": "mae-moh-progress-2024-04-23-corrected",
            "value": "95.5",
            "supersedes": {"key": "mae-moh-progress-2024-04-23"},
        },
        "userErrors": [],
    }
    after = (await post(seeded_http, PROGRESS, CORRECTED)).json()["data"]
    assert after == {
        "city": {"latestProgress": {"value": "95.5"}},
        "observation": {"supersededBy": {"key": "mae-moh-progress-2024-04-23-corrected"}},
    }
    # The corrected figure is corrected once; a later correction corrects the correction.
    again = CORRECTION | {"key": "mae-moh-progress-2024-04-23-again"}
    payload = await mutate(seeded_http, role_keys[KeyRole.EDITOR], APPEND, {"input": again})
    assert [(e["code"], e["field"]) for e in payload["userErrors"]] == [
        ("SUPERSEDED", ["input", "supersedes"])
    ]
    other = again | {"indicator": "TSCCI_SCORE"}
    payload = await mutate(seeded_http, role_keys[KeyRole.EDITOR], APPEND, {"input": other})
    assert {e["code"] for e in payload["userErrors"]} == {"SUPERSEDED"}


async def test_observations_can_only_be_appended(
    seeded_http: httpx.AsyncClient, role_keys: dict[KeyRole, str]
) -> None:
    schema = (await post(seeded_http, '{ __type(name: "Mutation") { fields { name } } }')).json()
    names = {field["name"] for field in schema["data"]["__type"]["fields"]}
    assert "appendObservation" in names
    assert not {"updateObservation", "deleteObservation", "createProvince"} & names
    assert {"createCity", "updateProject", "deleteSource", "createInvestment"} <= names


AUDIT = """query($subject: ID, $actor: String) {
  auditLog(subject: $subject, actor: $actor, first: 10) {
    totalCount
    nodes { action channel actorName actorKey typeName key id reason before after
            node { id } }
  }
}"""


async def test_only_admins_read_the_audit_trail_filtered_by_record_and_actor(
    seeded_http: httpx.AsyncClient, role_keys: dict[KeyRole, str]
) -> None:
    created = await mutate(seeded_http, role_keys[KeyRole.EDITOR], CREATE_CITY, {"input": NEW_CITY})
    read = await area(seeded_http, "phuket")
    update = {
        "id": read["id"],
        "expectedUpdatedAt": read["updatedAt"],
        "certificationRound": "2021-R2",
        "sources": ["posttoday-708162"],
    }
    await mutate(seeded_http, role_keys[KeyRole.ADMIN], UPDATE_CITY, {"input": update})
    admin = role_keys[KeyRole.ADMIN]
    everything = (await post(seeded_http, AUDIT, key=admin)).json()["data"]["auditLog"]
    assert everything["totalCount"] == 2
    # The same request from anyone else, after the admin's: refused, never answered from a
    # cache the admin's answer could have filled.
    for role in (None, KeyRole.READER, KeyRole.EDITOR):
        response = await post(seeded_http, AUDIT, key=None if role is None else role_keys[role])
        assert response.status_code == 403
        assert response.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"
        assert "data" not in response.json() or response.json()["data"] is None
    by_editor = (await post(seeded_http, AUDIT, {"actor": "editor desk"}, admin)).json()["data"]
    [entry] = by_editor["auditLog"]["nodes"]
    assert entry["typeName"] == "City"
    assert entry["key"] == "test-new-area"
    assert entry["id"] == created["city"]["id"]
    assert entry["node"] == {"id": created["city"]["id"]}
    assert entry["actorKey"] == role_keys[KeyRole.EDITOR][4:12]
    assert entry["action"] == "CREATE"
    assert entry["channel"] == "GRAPHQL"
    assert entry["before"] is None
    assert entry["after"]["province"] == "TH-50"
    of_phuket = (await post(seeded_http, AUDIT, {"subject": read["id"]}, admin)).json()["data"]
    [entry] = of_phuket["auditLog"]["nodes"]
    assert (entry["before"]["certification_round"], entry["after"]["certification_round"]) == (
        "2021-R1",
        "2021-R2",
    )
    assert entry["actorName"] == "admin desk"
    # Over GET too, an admin's answer is for the admin alone: no shared cache may keep it.
    response = await seeded_http.get(
        "/graphql",
        params={"query": AUDIT},
        headers={"Authorization": f"Bearer {admin}", "Accept": "application/json"},
    )
    assert response.status_code == 200
    assert response.headers["cache-control"] == "private, no-store"
    assert "etag" not in response.headers
    # The trail cannot be written: no mutation names it.
    schema = (await post(seeded_http, '{ __type(name: "Mutation") { fields { name } } }')).json()
    assert not [f for f in schema["data"]["__type"]["fields"] if "audit" in f["name"].lower()]


async def test_a_mutation_over_get_is_refused(
    seeded_http: httpx.AsyncClient, role_keys: dict[KeyRole, str], seeded_engine: AsyncEngine
) -> None:
    before = await count_rows(seeded_engine, City)
    response = await seeded_http.get(
        "/graphql",
        params={"query": CREATE_CITY, "variables": '{"input": {}}'},
        headers={
            "Authorization": f"Bearer {role_keys[KeyRole.EDITOR]}",
            "Accept": "application/json",
        },
    )
    assert response.status_code == 405
    assert response.json()["errors"][0]["extensions"]["code"]
    assert await count_rows(seeded_engine, City) == before


FULLY_EDITABLE = [entity for entity in ENTITIES if entity.editing is Editing.FULL]


def _text_field(entity: Entity) -> str:
    """A plain text field of the entity to change: words rather than keys or dates."""
    table = BY_MODEL[entity.model]
    texts = [
        name
        for name, field in entity.fixture.model.model_fields.items()
        if graphql_type(field)[0] is str and name not in table.foreign and name != entity.key
    ]
    worded = [name for name in texts if name.startswith(("title", "name", "label", "note"))]
    return (worded or texts)[0]


@pytest.mark.parametrize("entity", FULLY_EDITABLE, ids=lambda entity: entity.type_name)
async def test_every_editable_record_is_created_updated_and_deleted(
    seeded_http: httpx.AsyncClient, role_keys: dict[KeyRole, str], entity: Entity
) -> None:
    name = entity.type_name
    download = await seeded_http.get(f"/downloads/{exports.filename(entity, 'jsonl')}")
    template = json.loads(download.text.splitlines()[0])
    fields = edits.fixture_form(entity, template, template)
    fields[entity.key] = "TEST_NEW" if entity.key == "code" else "test-new-record"
    create = {to_camel_case(field): value for field, value in fields.items()}
    record = record_field(entity)
    camel = to_camel_case(record)
    created = await mutate(
        seeded_http,
        role_keys[KeyRole.EDITOR],
        f"mutation($input: Create{name}Input!) {{ create{name}(input: $input) {{ "
        f"{camel} {{ id updatedAt }} userErrors {{ field message code }} }} }}",
        {"input": create},
    )
    assert created["userErrors"] == []
    new = created[camel]
    text = _text_field(entity)
    change = {"id": new["id"], "expectedUpdatedAt": new["updatedAt"], to_camel_case(text): "Edited"}
    if entity.cited:
        change["sources"] = ["posttoday-708162"]
    updated = await mutate(
        seeded_http,
        role_keys[KeyRole.EDITOR],
        f"mutation($input: Update{name}Input!) {{ update{name}(input: $input) {{ "
        f"{camel} {{ id updatedAt }} userErrors {{ field message code }} }} }}",
        {"input": change},
    )
    assert updated["userErrors"] == []
    assert updated[camel]["id"] == new["id"]
    deleted = await mutate(
        seeded_http,
        role_keys[KeyRole.EDITOR],
        f"mutation($input: Delete{name}Input!) {{ delete{name}(input: $input) {{ "
        "deletedId userErrors { field message code } } }",
        {"input": {"id": new["id"], "expectedUpdatedAt": updated[camel]["updatedAt"]}},
    )
    assert deleted == {"deletedId": new["id"], "userErrors": []}
    trail = await post(seeded_http, AUDIT, {"subject": new["id"]}, role_keys[KeyRole.ADMIN])
    entries = trail.json()["data"]["auditLog"]["nodes"]
    assert [entry["action"] for entry in entries] == ["CREATE", "UPDATE", "DELETE"]
    assert entries[1]["after"][text] == "Edited"
    assert entries[2]["after"] is None
    assert entries[2]["node"] is None
