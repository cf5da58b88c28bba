"""The fixture loader: idempotent, stable IDs, all-or-nothing, only sourced records."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from db.engine import session_factory
from db.fixtures import DEFAULT_FIXTURES, FixtureError, load_fixtures
from db.tables import Citation, City, Province, Record, Source
from tests.graphql import GraphQLClient


async def fixture_ids(session: AsyncSession, model: type[City], key_column: str) -> dict[str, int]:
    """Natural key → row id, to show that IDs stay stable across loads."""
    rows = (await session.exec(select(getattr(model, key_column), col(model.id)))).all()
    return {str(key): row_id for key, row_id in rows if row_id is not None}


async def test_loading_twice_changes_nothing_and_keeps_ids(seeded_engine: AsyncEngine) -> None:
    async with session_factory(seeded_engine)() as session:
        ids_before = await fixture_ids(session, City, "slug")
        stamps_before = dict((await session.exec(select(City.slug, City.updated_at))).all())
        changes = await load_fixtures(session)
        await session.commit()
        assert changes.total == 0, changes
        assert await fixture_ids(session, City, "slug") == ids_before
        stamps_after = dict((await session.exec(select(City.slug, City.updated_at))).all())
        assert stamps_after == stamps_before


async def test_an_edited_fixture_updates_only_that_record(
    seeded_engine: AsyncEngine, tmp_path: Path
) -> None:
    fixtures = tmp_path / "fixtures"
    shutil.copytree(DEFAULT_FIXTURES, fixtures)
    cities = fixtures / "cities.yaml"
    cities.write_text(
        cities.read_text(encoding="utf-8").replace(
            'certification_round: "2021-R1"', 'certification_round: "2021-R9"', 1
        ),
        encoding="utf-8",
    )
    async with session_factory(seeded_engine)() as session:
        ids_before = await fixture_ids(session, City, "slug")
        changes = await load_fixtures(session, fixtures)
        await session.commit()
        assert changes.updated == {"city": 1}
        assert changes.total == 1
        assert await fixture_ids(session, City, "slug") == ids_before
        rounds = (
            await session.exec(select(City.certification_round).where(City.slug == "phuket"))
        ).one()
        assert rounds == "2021-R9"


@pytest.mark.parametrize(
    ("needle", "replacement", "message"),
    [
        ("province: TH-52", "province: TH-99", "unknown province 'TH-99'"),
        ("status: CERTIFIED", "status: FAMOUS", "status"),
        ('certified_on: "2021-08-13"', 'certified_on: "13/08/2021"', "certified_on"),
        ('certified_on: "2021-08-13"', 'certified_on: "2021-02-29"', "is no day"),
        ("sources: [optnews-17453", "sources: [no-such-source", "unknown source"),
    ],
)
async def test_a_bad_fixture_is_refused_and_nothing_changes(
    seeded_engine: AsyncEngine, tmp_path: Path, needle: str, replacement: str, message: str
) -> None:
    fixtures = tmp_path / "fixtures"
    shutil.copytree(DEFAULT_FIXTURES, fixtures)
    cities = fixtures / "cities.yaml"
    text = cities.read_text(encoding="utf-8")
    assert needle in text
    # A valid edit beside the bad one: it must not land either.
    text = text.replace('certification_round: "2021-R1"', 'certification_round: "2021-R9"', 1)
    cities.write_text(text.replace(needle, replacement, 1), encoding="utf-8")

    async def state() -> tuple[dict[str, int], dict[str, Any]]:
        async with session_factory(seeded_engine)() as session:
            ids = await fixture_ids(session, City, "slug")
            stamps = dict((await session.exec(select(City.slug, City.updated_at))).all())
            rounds = dict((await session.exec(select(City.slug, City.certification_round))).all())
        return ids, {"stamps": stamps, "rounds": rounds}

    before = await state()
    assert before[1]["rounds"]["phuket"] == "2021-R1"
    async with session_factory(seeded_engine)() as session:
        with pytest.raises(FixtureError, match=message):
            await load_fixtures(session, fixtures)
    assert await state() == before  # seen from a new session, after the failed load


async def test_decimals_written_as_yaml_floats_are_refused(
    seeded_engine: AsyncEngine, tmp_path: Path
) -> None:
    fixtures = tmp_path / "fixtures"
    shutil.copytree(DEFAULT_FIXTURES, fixtures)
    observations = fixtures / "observations.yaml"
    text = observations.read_text(encoding="utf-8")
    assert 'value: "27.57"' in text
    observations.write_text(text.replace('value: "27.57"', "value: 27.57"), encoding="utf-8")
    async with session_factory(seeded_engine)() as session:
        with pytest.raises(FixtureError, match="quoted strings"):
            await load_fixtures(session, fixtures)


async def test_every_record_cites_a_source(seeded_engine: AsyncEngine) -> None:
    async with session_factory(seeded_engine)() as session:
        cited = set((await session.exec(select(Citation.subject_type, Citation.subject_id))).all())
        for model in Record.__subclasses__():
            if not hasattr(model, "__table__") or model in (Source,):
                continue
            table = str(model.__tablename__)
            if table in ("coverage_note", "search_document"):
                continue  # our own note on gaps, and derived search text: not sourced facts
            ids = (await session.exec(select(col(model.id)))).all()
            uncited = [row_id for row_id in ids if (table, row_id) not in cited]
            assert uncited == [], f"{table} rows without a source: {uncited}"


async def test_all_77_provinces_with_code_names_region_and_point(
    seeded_engine: AsyncEngine,
) -> None:
    async with session_factory(seeded_engine)() as session:
        provinces = (await session.exec(select(Province))).all()
        assert len(provinces) == 77
        assert len({p.code for p in provinces}) == 77
        for p in provinces:
            assert p.code.startswith("TH-")
            assert p.name_th
            assert p.name_en
            assert p.region
            assert p.latitude is not None
            assert p.longitude is not None
        total = (await session.exec(select(func.count()).select_from(City))).one()
        # Every area named in shared/data/smart-city-announcements.csv, and the two areas
        # known only from the proposals screened in April 2024 (Mae Hia, Takhli).
        assert total == 32


async def test_programme_figures_of_april_2024_with_their_source(
    seeded_client: GraphQLClient,
) -> None:
    data = await seeded_client.data(
        """{ programme {
              progress: figures(indicator: "PROGRESS_PERCENT") { value unit asOf sources { url } }
              investment: figures(indicator: "TOTAL_INVESTMENT") { value unit asOf }
              certified: figures(indicator: "CERTIFIED_CITIES") { value asOf }
        } }"""
    )
    programme = data["programme"]
    assert programme["progress"] == [
        {
            "value": "27.57",
            "unit": "percent",
            "asOf": "2024-04-23",
            "sources": [{"url": "http://www.posttoday.com/smart-city/708162"}],
        }
    ]
    assert programme["investment"] == [{"value": "6842970000", "unit": "THB", "asOf": "2024-04-23"}]
    assert {"value": "30", "asOf": "2024-04-23"} in programme["certified"]


async def test_the_three_progress_leaders_of_april_2024(seeded_client: GraphQLClient) -> None:
    query = """query ($slug: String!) {
        city(slug: $slug) { latestProgress { value asOf } } }"""
    expected = {
        "mae-moh": "96.67",
        "khlong-phadung-krung-kasem": "89.38",
        "samyan": "85.03",
    }
    for slug, value in expected.items():
        data = await seeded_client.data(query, {"slug": slug})
        assert data["city"]["latestProgress"] == {"value": value, "asOf": "2024-04-23"}
    # ... and they lead: no other area has a higher latest progress figure.
    ranking = await seeded_client.data(
        "{ cityRanking(first: 3) { entries { rank city { slug } } } }"
    )
    assert [(e["rank"], e["city"]["slug"]) for e in ranking["cityRanking"]["entries"]] == [
        (1, "mae-moh"),
        (2, "khlong-phadung-krung-kasem"),
        (3, "samyan"),
    ]
