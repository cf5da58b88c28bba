"""The whole-dataset zip: the same data gives the same bytes, and it is a valid Frictionless
Data Package."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import select

from db import exports
from db.access import Db
from db.engine import session_factory
from db.enums import CityStatus
from db.tables import City
from tests.graphql import GraphQLClient

ARCHIVE = "/downloads/smartcity-thailand.zip"
FRICTIONLESS = str(Path(sys.executable).parent / "frictionless")


def _zip_time(when: datetime) -> tuple[int, ...]:
    """`when` as a zip stores it: UTC, to the even second below."""
    *day_and_time, second = when.astimezone(UTC).timetuple()[:6]
    return (*day_and_time, second - second % 2)


def _member(archive: bytes, name: str) -> bytes:
    return zipfile.ZipFile(io.BytesIO(archive)).read(name)


def _stamps(archive: bytes) -> set[tuple[int, ...]]:
    """The time of every member of the zip, and of every member of each workbook in it."""
    outer = zipfile.ZipFile(io.BytesIO(archive))
    stamps: set[tuple[int, ...]] = {info.date_time for info in outer.infolist()}
    for name in outer.namelist():
        if name.endswith(".xlsx"):
            workbook = zipfile.ZipFile(io.BytesIO(outer.read(name)))
            stamps |= {info.date_time for info in workbook.infolist()}
    return stamps


async def test_the_archive_is_the_same_bytes_until_the_data_changes(
    seeded_client: GraphQLClient, seeded_engine: AsyncEngine
) -> None:
    first = (await seeded_client.http.get(ARCHIVE)).content
    async with session_factory(seeded_engine)() as session:
        changed = await exports.last_change(Db(session))
    assert changed > exports.ZIP_EPOCH  # seeding is a change like any other
    # Every member, and each part of each workbook, is stamped with the data's last change,
    # never the clock: so a second build, whenever it runs, cannot differ by a timestamp.
    assert _stamps(first) == {_zip_time(changed)}
    workbook = zipfile.ZipFile(io.BytesIO(_member(first, "smartcity-cities.xlsx")))
    core = workbook.read("docProps/core.xml").decode()
    assert core.count(changed.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")) == 2
    assert (await seeded_client.http.get(ARCHIVE)).content == first

    async with session_factory(seeded_engine)() as session:
        city = (await session.exec(select(City).where(City.slug == "mae-moh"))).one()
        city.name_en = "Mae Moh Liveable City"
        await session.commit()
        edited = await exports.last_change(Db(session))
    assert edited > changed
    second = (await seeded_client.http.get(ARCHIVE)).content
    assert second != first
    assert _stamps(second) == {_zip_time(edited)}
    assert (await seeded_client.http.get(ARCHIVE)).content == second
    manifest = json.loads(_member(second, "manifest.json"))
    assert datetime.fromisoformat(manifest["last_change"]) == edited


def _validate(folder: Path) -> tuple[int, dict[str, Any]]:
    """`frictionless validate` on the package in `folder`, as a partner would run it."""
    done = subprocess.run(
        [FRICTIONLESS, "validate", "--json", "datapackage.json"],
        cwd=folder,
        capture_output=True,
        text=True,
        check=False,
    )
    report: dict[str, Any] = json.loads(done.stdout)
    return done.returncode, report


def _errors(report: dict[str, Any]) -> list[tuple[str, str]]:
    """Each error of a report as (its type, its message)."""
    return [
        (error["type"], error["message"]) for task in report["tasks"] for error in task["errors"]
    ]


async def _extracted(client: GraphQLClient, folder: Path) -> dict[str, Any]:
    """The app's whole-dataset zip, extracted into `folder`; its descriptor."""
    response = await client.http.get(ARCHIVE)
    zipfile.ZipFile(io.BytesIO(response.content)).extractall(folder)
    descriptor: dict[str, Any] = json.loads((folder / "datapackage.json").read_text())
    return descriptor


async def test_the_archive_is_a_valid_data_package_described_in_english_and_thai(
    seeded_client: GraphQLClient, tmp_path: Path
) -> None:
    package = await _extracted(seeded_client, tmp_path)
    status, report = _validate(tmp_path)
    assert (status, report["valid"], _errors(report)) == (0, True, [])
    assert package["profile"] == "tabular-data-package"
    assert package["licenses"][0]["name"] == "ODbL-1.0"
    assert package["data_version"] > 0
    assert [r["path"] for r in package["resources"]] == [
        exports.filename(entity, "csv") for entity in exports.ENTITIES
    ]
    for resource in package["resources"]:
        assert all(resource[words] for words in ("title", "title_th", "description_th"))
        for field in resource["schema"]["fields"]:
            words = ("title", "description", "title_th", "description_th")
            assert all(field[word] for word in words), (resource["name"], field)
    cities = next(r for r in package["resources"] if r["name"] == "cities")
    schema = cities["schema"]
    fields = {field["name"]: field for field in schema["fields"]}
    assert schema["primaryKey"] == ["slug"]
    assert {"fields": ["province"], "reference": {"resource": "provinces", "fields": ["code"]}} in (
        schema["foreignKeys"]
    )
    assert fields["certification_round"]["graphql"] == "City.certificationRound"
    assert fields["certification_round"]["description"].startswith("Certification round")
    assert fields["latitude"]["graphql"] == "City.location.latitude"
    assert fields["status"]["constraints"]["enum"] == [status.value for status in CityStatus]
    assert fields["status"]["constraints"]["required"] is True
    assert fields["slug"]["constraints"] == {"maxLength": 80, "required": True, "unique": True}
    assert fields["certified_on"]["type"] == "string"  # `2021`, `2021-08` and `2021-08-05`
    assert "pattern" in fields["certified_on"]["constraints"]
    assert "joined by `;`" in fields["dimensions"]["description"]
    # A list of keys declares no foreign key: Table Schema has no way to say one.
    assert all(key["fields"] != ["dimensions"] for key in schema["foreignKeys"])

    # Served on its own, the descriptor is the zip's, byte for byte in what it says.
    alone = await seeded_client.http.get("/downloads/datapackage.json")
    assert alone.json() == package


async def test_validation_reports_a_dangling_key_and_a_value_outside_its_enum(
    seeded_client: GraphQLClient, tmp_path: Path
) -> None:
    package = await _extracted(seeded_client, tmp_path)
    cities = tmp_path / "smartcity-cities.csv"
    rows = list(csv.DictReader(io.StringIO(cities.read_text(encoding="utf-8-sig"))))
    rows[0]["province"] = "TH-99"  # no such province
    rows[1]["status"] = "ABOLISHED"  # no such status
    with cities.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\r\n")
        writer.writeheader()
        writer.writerows(rows)
    # The edited file's size and checksum no longer match: describe it as it now is, so
    # only the two values themselves are at fault.
    resource = next(r for r in package["resources"] if r["name"] == "cities")
    del resource["bytes"], resource["hash"]
    (tmp_path / "datapackage.json").write_text(json.dumps(package))
    status, report = _validate(tmp_path)
    assert (status, report["valid"]) == (1, False)
    errors = _errors(report)
    assert {kind for kind, _ in errors} == {"foreign-key", "constraint-error"}, errors
    assert any("TH-99" in message for _, message in errors)
    assert any("ABOLISHED" in message for _, message in errors)
