"""The change feed: ordered, resumable, tombstones for deletions; a mirror stays exact."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from db.engine import session_factory
from db.fixtures import load_fixtures
from db.tables import (
    Citation,
    City,
    CityDimension,
    Dimension,
    Investment,
    Milestone,
    Observation,
    Project,
    Province,
    Record,
)
from schema.node import encode_id
from tests import factories
from tests.factories import row_id
from tests.graphql import GraphQLClient, pages

FEED = """query ($after: String, $since: DateTime) {
  changes(first: 100, after: $after, since: $since) {
    totalCount
    nodes { sequence operation typeName key id changedAt }
    pageInfo { hasNextPage endCursor } } }"""

# What a partner mirrors of each type: its fields, and how to list them all.
FIELDS = {
    "Province": (
        "code nameTh nameEn region updatedAt ascnMembership { cohort joined } sources { key }"
    ),
    "City": (
        "slug nameTh nameEn status certificationRound certifiedOn proposedOn cityType updatedAt "
        "province { code } operator { slug } dimensions { code } sources { key }"
    ),
    "Dimension": "code nameEn nameTh updatedAt sources { key }",
    "Organization": "slug nameEn nameTh kind updatedAt sources { key }",
    "Project": (
        "slug titleTh titleEn status startOn endOn updatedAt budget { amount } city { slug } "
        "dimensions { code } sources { key }"
    ),
    "Investment": "key amount { amount currency } kind stage asOf updatedAt city { slug }",
    "Milestone": "key titleEn status dueOn metOn updatedAt project { slug } sources { key }",
    "Observation": "key indicator value valueText asOf updatedAt city { slug } sources { key }",
    "Source": "key url publisher title publishedOn updatedAt",
    "ProgrammePhase": "key targetAreas targetProvinces updatedAt provinces { code }",
}
LISTS = {
    "Province": "provinces",
    "City": "cities",
    "Organization": "organizations",
    "Project": "projects",
    "Investment": "investments",
    "Milestone": "milestones",
    "Observation": "observations",
    "Source": "sources",
}


async def _feed(
    client: GraphQLClient, after: str | None
) -> tuple[list[dict[str, Any]], str | None]:
    """Every change after `after`, and the cursor to resume from."""
    changes: list[dict[str, Any]] = []
    async for page in pages(client, FEED, "changes", {"after": after}):
        changes += page["nodes"]
    return changes, page["pageInfo"]["endCursor"]


async def _snapshot(client: GraphQLClient) -> dict[str, dict[str, Any]]:
    """Every published record, by global ID, as a partner would download it."""
    mirror: dict[str, dict[str, Any]] = {}
    for type_name, field in LISTS.items():
        query = f"""query ($after: String) {{ list: {field}(first: 100, after: $after) {{
            nodes {{ id {FIELDS[type_name]} }} pageInfo {{ hasNextPage endCursor }} }} }}"""
        async for page in pages(client, query, "list"):
            for node in page["nodes"]:
                mirror[node["id"]] = node
    data = await client.data(
        f"""{{ dimensions {{ id {FIELDS["Dimension"]} }}
              programme {{ phases {{ id {FIELDS["ProgrammePhase"]} }} }} }}"""
    )
    for node in [*data["dimensions"], *data["programme"]["phases"]]:
        mirror[node["id"]] = node
    return mirror


async def _apply(
    client: GraphQLClient, mirror: dict[str, dict[str, Any]], changes: list[dict[str, Any]]
) -> None:
    for change in changes:
        if change["operation"] == "DELETE":
            mirror.pop(change["id"], None)
            continue
        fields = FIELDS[change["typeName"]]
        body = await client.post(
            f"""query ($id: ID!) {{ node(id: $id) {{
                  ... on {change["typeName"]} {{ id {fields} }} }} }}""",
            {"id": change["id"]},
        )
        if body["data"]["node"] is None:  # deleted again later in the feed: NOT_FOUND now
            assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"
            mirror.pop(change["id"], None)
        else:
            mirror[change["id"]] = body["data"]["node"]


async def _random_edits(session: AsyncSession, rng: random.Random, count: int) -> None:
    """Edits, link changes, creations and deletions of randomly chosen real records."""
    cities = list((await session.exec(select(City))).all())
    provinces = list((await session.exec(select(Province))).all())
    dimensions = list((await session.exec(select(Dimension))).all())
    for step in range(count):
        action = rng.choice(
            ["rename", "delete-leaf", "link", "unlink", "uncite", "create", "budget"]
        )
        if action == "rename":
            city = rng.choice(cities)
            city.name_en = f"Renamed {step}"
            session.add(city)
        elif action == "delete-leaf":
            leaves: list[Record] = [
                *(await session.exec(select(Investment))).all(),
                *(await session.exec(select(Milestone))).all(),
                *(await session.exec(select(Observation))).all(),
            ]
            await session.delete(rng.choice(leaves))
        elif action == "link":
            city = rng.choice(cities)
            dimension = rng.choice(dimensions)
            exists = await session.get(CityDimension, (city.id, dimension.id))
            if exists is None:
                session.add(CityDimension(city_id=row_id(city), dimension_id=row_id(dimension)))
        elif action == "unlink":
            links = (await session.exec(select(CityDimension))).all()
            if links:
                await session.delete(rng.choice(links))
        elif action == "uncite":
            citations = (
                await session.exec(select(Citation).where(col(Citation.subject_type) == "project"))
            ).all()
            if citations:
                await session.delete(rng.choice(citations))
        elif action == "create":
            cities.append(await factories.city(session, province=rng.choice(provinces)))
        else:
            projects = (await session.exec(select(Project))).all()
            project = rng.choice(projects)
            project.budget = Decimal(rng.randrange(1, 10**9)) / 100
            session.add(project)
        await session.commit()


async def test_a_mirror_from_snapshot_and_feed_equals_the_source(
    seeded_client: GraphQLClient, seeded_engine: AsyncEngine
) -> None:
    _, cursor = await _feed(seeded_client, None)  # where the partner starts reading
    mirror = await _snapshot(seeded_client)
    rng = random.Random(20261122)
    async with session_factory(seeded_engine)() as session:
        await _random_edits(session, rng, 25)
        await load_fixtures(session)  # a reload puts fixture records back, drops the others
        await session.commit()
        await _random_edits(session, rng, 25)

    changes, cursor = await _feed(seeded_client, cursor)
    assert {"CREATE", "UPDATE", "DELETE"} <= {change["operation"] for change in changes}
    await _apply(seeded_client, mirror, changes)
    assert mirror == await _snapshot(seeded_client)
    # Resuming from the last cursor finds nothing new.
    assert (await _feed(seeded_client, cursor))[0] == []


async def test_changes_come_in_order_with_tombstones(
    client: GraphQLClient, session: AsyncSession
) -> None:
    place = await factories.province(session, code="TH-50")
    city = await factories.city(session, province=place, slug="temp")
    city.name_en = "Renamed"
    session.add(city)
    await session.commit()
    await session.delete(city)
    await session.commit()
    changes, _ = await _feed(client, None)
    assert [(c["operation"], c["typeName"], c["key"]) for c in changes] == [
        ("CREATE", "Province", "TH-50"),
        ("CREATE", "City", "temp"),
        ("UPDATE", "City", "temp"),
        ("DELETE", "City", "temp"),
    ]
    sequences = [c["sequence"] for c in changes]
    assert sequences == sorted(sequences)
    assert changes[-1]["id"] == encode_id("City", "temp")  # a tombstone keeps the ID
    data = await client.data("{ changes(first: 10) { nodes { key node { id } } } }")
    assert [n["node"] for n in data["changes"]["nodes"]][-1] is None


async def test_link_changes_update_the_parent(client: GraphQLClient, session: AsyncSession) -> None:
    place = await factories.province(session)
    mobility = await factories.dimension(session, "MOBILITY")
    city = await factories.city(session, province=place, slug="c")
    before = city.updated_at
    _, cursor = await _feed(client, None)
    session.add(CityDimension(city_id=row_id(city), dimension_id=row_id(mobility)))
    await session.commit()
    changes, _ = await _feed(client, cursor)
    assert [(c["operation"], c["key"]) for c in changes] == [("UPDATE", "c")]
    await session.refresh(city)
    assert city.updated_at > before


async def test_the_feed_resumes_and_filters_by_time(
    client: GraphQLClient, session: AsyncSession
) -> None:
    place = await factories.province(session)
    for n in range(5):
        await factories.city(session, province=place, slug=f"c{n}")
    first = (await client.data("{ changes(first: 2) { nodes { key } pageInfo { endCursor } } }"))[
        "changes"
    ]
    assert [n["key"] for n in first["nodes"]][1] == "c0"
    rest = await client.data(FEED, {"after": first["pageInfo"]["endCursor"]})
    assert [n["key"] for n in rest["changes"]["nodes"]] == ["c1", "c2", "c3", "c4"]
    future = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    empty = (await client.data(FEED, {"since": future}))["changes"]
    assert empty["totalCount"] == 0
    assert empty["nodes"] == []
    errors = await client.errors(FEED, {"after": "bm9wZQ"})
    assert errors[0]["extensions"]["code"] == "INVALID_CURSOR"
    errors = await client.errors("{ changes(first: 0) { totalCount } }")
    assert errors[0]["extensions"]["code"] == "INVALID_PAGINATION"
