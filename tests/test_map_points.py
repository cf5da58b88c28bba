"""Every smart-city area has a map point: its own where a source gives one, else its
province's marker, and it says which (issue 12, point 5)."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy.ext.asyncio import AsyncEngine

from db.engine import session_factory
from db.fixtures import DEFAULT_FIXTURES, FixtureError, load_fixtures
from tests.graphql import GraphQLClient

AREAS = """{ cities(first: 100) { totalCount nodes { slug locationPrecision
    location { latitude longitude } province { code location { latitude longitude } } } } }"""

# A point for Phuket's area that no source gives: made up for this test's own database only.
SYNTHETIC_POINT = {"latitude": 7.9, "longitude": 98.3}


def _province_markers() -> dict[str, dict[str, float]]:
    """Each province's map point as the province reference data gives it."""
    with (DEFAULT_FIXTURES / "provinces.csv").open(encoding="utf-8", newline="") as stream:
        return {
            row["code"]: {"latitude": float(row["latitude"]), "longitude": float(row["longitude"])}
            for row in csv.DictReader(stream)
        }


async def _areas(client: GraphQLClient) -> dict[str, dict[str, Any]]:
    cities = (await client.data(AREAS))["cities"]
    assert cities["totalCount"] == len(cities["nodes"])
    return {node["slug"]: node for node in cities["nodes"]}


def _fixtures_with(tmp_path: Path, file: str, old: str, new: str) -> Path:
    """A copy of the real fixtures with one edit to `file`."""
    fixtures = tmp_path / "fixtures"
    shutil.copytree(DEFAULT_FIXTURES, fixtures)
    path = fixtures / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return fixtures


async def test_an_area_without_its_own_point_answers_its_provinces_marker(
    seeded_client: GraphQLClient,
) -> None:
    areas = await _areas(seeded_client)
    markers = _province_markers()
    named = yaml.safe_load((DEFAULT_FIXTURES / "cities.yaml").read_text(encoding="utf-8"))
    assert set(areas) == {area["slug"] for area in named}
    for area in areas.values():
        code = area["province"]["code"]
        assert area["locationPrecision"] == "PROVINCE", area["slug"]
        assert area["location"] == markers[code] == area["province"]["location"], area["slug"]
    assert areas["mae-moh"]["location"] == markers["TH-52"]  # Lampang's marker


async def test_an_area_given_its_own_point_answers_it_as_area_precision(
    seeded_engine: AsyncEngine, seeded_client: GraphQLClient, tmp_path: Path
) -> None:
    # The first area of cities.yaml is Phuket's.
    own = _fixtures_with(
        tmp_path,
        "cities.yaml",
        "  latitude: null\n  longitude: null\n",
        f"  latitude: {SYNTHETIC_POINT['latitude']}\n  longitude: {SYNTHETIC_POINT['longitude']}\n",
    )

    async with session_factory(seeded_engine)() as session:
        changes = await load_fixtures(session, own)
        await session.commit()
    assert changes.updated == {"city": 1}

    areas = await _areas(seeded_client)
    assert areas["phuket"]["locationPrecision"] == "AREA"
    assert areas["phuket"]["location"] == SYNTHETIC_POINT
    assert areas["phuket"]["province"]["location"] == _province_markers()["TH-83"]
    assert {a["locationPrecision"] for s, a in areas.items() if s != "phuket"} == {"PROVINCE"}

    # The source's point withdrawn: the area falls back to its province's marker.
    async with session_factory(seeded_engine)() as session:
        changes = await load_fixtures(session)
        await session.commit()
    assert changes.updated == {"city": 1}
    assert (await _areas(seeded_client))["phuket"]["locationPrecision"] == "PROVINCE"


@pytest.mark.parametrize(
    ("file", "old", "new", "message"),
    [
        (
            "cities.yaml",
            "  latitude: null\n",
            "  latitude: 7.88\n",
            "both latitude and longitude, or neither",
        ),
        (
            "provinces.csv",
            "TH-83,83,ภูเก็ต,Phuket,SOUTH,7.88044790,98.39225040,",
            "TH-83,83,ภูเก็ต,Phuket,SOUTH,,,",
            "city phuket: neither the area nor its province TH-83 has a map point",
        ),
    ],
)
async def test_an_area_that_cannot_be_placed_is_refused(
    seeded_engine: AsyncEngine, tmp_path: Path, file: str, old: str, new: str, message: str
) -> None:
    fixtures = _fixtures_with(tmp_path, file, old, new)
    async with session_factory(seeded_engine)() as session:
        with pytest.raises(FixtureError, match=message):
            await load_fixtures(session, fixtures)
