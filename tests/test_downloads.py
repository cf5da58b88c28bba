"""Bulk downloads, the whole-dataset archive and flat-memory streaming (the DCAT catalog that
describes them: tests/test_catalog.py)."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import subprocess
import sys
import tracemalloc
import zipfile
from decimal import Decimal
from pathlib import Path

from sqlalchemy import insert
from sqlalchemy.engine import URL
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from db import exports
from db.access import Db
from db.engine import session_factory
from db.enums import Certainty
from db.ids import global_id
from db.tables import Observation
from db.types import utcnow
from tests.graphql import GraphQLClient

LICENSE = '<https://opendatacommons.org/licenses/odbl/1-0/>; rel="license"'


async def test_csv_downloads_open_in_excel_with_thai(seeded_client: GraphQLClient) -> None:
    response = await seeded_client.http.get("/downloads/smartcity-cities.csv")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"] == 'attachment; filename="smartcity-cities.csv"'
    assert LICENSE in response.headers["link"]
    assert response.content.startswith(b"\xef\xbb\xbf")  # the byte-order mark
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 32  # the 30 announced areas and the two known from their proposals
    mae_moh = next(row for row in rows if row["slug"] == "mae-moh")
    assert mae_moh["name_th"] == "แม่เมาะเมืองน่าอยู่"
    assert mae_moh["province"] == "TH-52"
    assert (mae_moh["latitude"], mae_moh["longitude"]) == ("18.2899489", "99.4958526")  # Lampang's
    assert mae_moh["location_precision"] == "PROVINCE"
    assert mae_moh["id"] == global_id("City", "mae-moh")
    assert "posttoday-708162" in mae_moh["sources"].split(";")


async def test_province_rows_carry_their_ascn_membership(seeded_client: GraphQLClient) -> None:
    response = await seeded_client.http.get("/downloads/smartcity-provinces.csv")
    rows = {
        row["code"]: row
        for row in csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")))
    }
    assert len(rows) == 77
    members = {code: (row["ascn_cohort"], row["ascn_joined"]) for code, row in rows.items()}
    assert members["TH-83"] == ("PILOT_2018", "2018-04")
    assert members["TH-50"] == ("ADDED_LATER", "2023-07")
    assert members["TH-52"] == ("", "")  # Lampang is no member
    assert sum(1 for cohort, _ in members.values() if cohort) == 6


async def test_json_lines_keep_exact_numbers_and_sources(seeded_client: GraphQLClient) -> None:
    response = await seeded_client.http.get("/downloads/smartcity-observations.jsonl")
    assert response.headers["content-type"] == "application/jsonl; charset=utf-8"
    records = [json.loads(line) for line in response.text.splitlines()]
    total = next(r for r in records if r["indicator"] == "TOTAL_INVESTMENT")
    assert total["value"] == "6842970000.0000"
    assert Decimal(total["value"]) == Decimal("6842970000")
    assert total["sources"] == ["posttoday-708162"]


async def test_geojson_for_provinces_and_cities(seeded_client: GraphQLClient) -> None:
    provinces = (await seeded_client.http.get("/downloads/smartcity-provinces.geojson")).json()
    assert provinces["type"] == "FeatureCollection"
    assert provinces["license"] == exports.LICENCE_URL
    assert "kongvut" in provinces["attribution"]
    bangkok = next(f for f in provinces["features"] if f["properties"]["code"] == "TH-10")
    assert bangkok["geometry"] == {"type": "Point", "coordinates": [100.5017651, 13.7563309]}
    cities = await seeded_client.http.get("/downloads/smartcity-cities.geojson")
    assert cities.headers["content-type"] == "application/geo+json"
    features = cities.json()["features"]
    assert len(features) == 32
    markers = {f["properties"]["code"]: f["geometry"] for f in provinces["features"]}
    # No source gives an area's own point yet: each area is placed at its province's marker,
    # and says so.
    for feature in features:
        properties = feature["properties"]
        assert feature["geometry"] == markers[properties["province"]], properties["slug"]
        assert properties["location_precision"] == "PROVINCE"


async def test_the_archive_has_every_file_a_manifest_and_the_licence(
    seeded_client: GraphQLClient, seeded_engine: AsyncEngine
) -> None:
    response = await seeded_client.http.get("/downloads/smartcity-thailand.zip")
    assert response.headers["content-type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    manifest = json.loads(archive.read("manifest.json"))
    assert manifest["license"] == "ODbL-1.0"
    assert "Countries States Cities Database" in manifest["attribution"]
    assert "ODbL" in archive.read("LICENSE-provinces.md").decode()
    assert {f["name"] for f in manifest["files"]} == {
        exports.filename(entity, format_) for entity, format_ in exports.files()
    }
    async with session_factory(seeded_engine)() as session:
        db = Db(session)
        for entry in manifest["files"]:
            content = archive.read(entry["name"])
            assert hashlib.sha256(content).hexdigest() == entry["sha256"]
            assert len(content) == entry["bytes"]
            entity = exports.BY_NAME[entry["entity"]]
            assert entry["rows"] == await db.count(select(entity.model))
            if entry["format"] == "csv":
                assert content.decode("utf-8-sig").count("\r\n") == entry["rows"] + 1


async def test_downloads_are_cacheable_and_unknown_files_404(seeded_client: GraphQLClient) -> None:
    first = await seeded_client.http.get("/downloads/smartcity-provinces.csv")
    again = await seeded_client.http.get(
        "/downloads/smartcity-provinces.csv", headers={"If-None-Match": first.headers["etag"]}
    )
    assert again.status_code == 304
    assert (await seeded_client.http.get("/downloads/secrets.csv")).status_code == 404
    listing = (await seeded_client.http.get("/downloads/")).json()
    assert listing["license"] == exports.LICENCE_URL
    assert len(listing["files"]) == len(exports.files())


async def _export_peak(session: AsyncSession, rows: int) -> tuple[int, int]:
    """Add `rows` synthetic observations; stream the CSV; return (rows written, peak bytes)."""
    await session.exec(
        insert(Observation),
        params=[
            {
                "key": f"synthetic-{rows}-{n}",
                "indicator": "SYNTHETIC",
                "value": Decimal(n) / 7,
                "unit": "synthetic",
                "certainty": Certainty.UNCERTAIN,
                "updated_at": utcnow(),
            }
            for n in range(rows)
        ],
    )
    await session.commit()
    tracemalloc.start()
    written = 0
    async for chunk in exports.csv_chunks(Db(session), exports.BY_NAME["observations"]):
        written += chunk.count(b"\n")
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return written - 1, peak


async def test_exports_stream_in_flat_memory(session: AsyncSession) -> None:
    small_rows, small_peak = await _export_peak(session, 2_000)
    large_rows, large_peak = await _export_peak(session, 18_000)  # ten times the rows in all
    assert (small_rows, large_rows) == (2_000, 20_000)
    assert large_peak < small_peak * 1.5, (small_peak, large_peak)
    print(f"peak memory exporting 2,000 rows: {small_peak} B; 20,000 rows: {large_peak} B")


def _export(database_url: URL, output: Path) -> subprocess.CompletedProcess[str]:
    """`smartcity export --output OUTPUT` on `database_url`."""
    env = {"DATABASE_URL": database_url.render_as_string(hide_password=False)}
    return subprocess.run(
        [sys.executable, "-m", "api.cli", "export", "--output", str(output)],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=True,
    )


async def test_the_export_command_writes_the_archive_the_api_serves(
    tmp_path: Path, seeded_database_url: URL, seeded_client: GraphQLClient
) -> None:
    output = tmp_path / "dataset.zip"
    done = _export(seeded_database_url, output)
    assert "wrote" in done.stdout
    assert "100%" in done.stderr  # the progress bar
    assert "manifest.json" in zipfile.ZipFile(output).namelist()
    # The same Data Package, byte for byte, as `/downloads/` serves from the same data.
    served = await seeded_client.http.get("/downloads/smartcity-thailand.zip")
    assert output.read_bytes() == served.content


async def test_coverage_notes_download_with_key_english_and_thai(
    seeded_client: GraphQLClient,
) -> None:
    response = await seeded_client.http.get("/downloads/smartcity-coverage-notes.csv")
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert list(rows[0]) == ["key", "position", "text_en", "text_th", "updated_at"]
    assert [row["position"] for row in rows] == [str(n) for n in range(1, 13)]
    assert rows[0]["key"] == "round-1-areas"
    assert rows[0]["text_en"].startswith("Round 1 (2021) certified 15 areas.")
    assert rows[0]["text_th"].startswith("รอบที่ 1 (ค.ศ. 2021) รับรอง 15 พื้นที่")
    assert all(row["key"] and row["text_th"] for row in rows)
