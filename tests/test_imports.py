"""Spreadsheet imports through HTTP (and the command line) on a real database: a download
uploaded again changes nothing, edits land atomically and audited, and a file with many
different bad rows reports each of them and writes nothing."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import httpx
import openpyxl
import pytest
from sqlalchemy.engine import URL
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import col, select

from db import keys
from db.engine import session_factory
from db.entities import ENTITIES, Editing
from db.enums import KeyRole
from db.imports import XLSX_MEDIA_TYPE as XLSX
from db.tables import AuditEntry, Change, City, Project
from tests.databases import count_rows


async def upload(
    http: httpx.AsyncClient,
    key: str | None,
    name: str,
    content: bytes,
    **params: str,
) -> httpx.Response:
    headers = {} if key is None else {"Authorization": f"Bearer {key}"}
    return await http.post(
        "/imports", params={"name": name, **params}, content=content, headers=headers
    )


async def download(http: httpx.AsyncClient, name: str) -> list[dict[str, str]]:
    response = await http.get(f"/downloads/{name}")
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def as_csv(rows: list[dict[str, str]], header: list[str] | None = None) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header or list(rows[0]), lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode()


def as_xlsx(rows: list[dict[str, str]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    header = list(rows[0])
    sheet.append(header)
    for row in rows:
        sheet.append([row[column] or None for column in header])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


EDITABLE = [entity.plural for entity in ENTITIES if entity.editing is not Editing.NONE]


@pytest.mark.parametrize("format_", ["csv", "xlsx"])
@pytest.mark.parametrize("entity", EDITABLE)
async def test_a_download_uploaded_again_changes_nothing(
    seeded_http: httpx.AsyncClient,
    role_keys: dict[KeyRole, str],
    seeded_engine: AsyncEngine,
    entity: str,
    format_: str,
) -> None:
    name = f"smartcity-{entity}.{format_}"
    original = (await seeded_http.get(f"/downloads/{name}")).content
    as_text = (await seeded_http.get(f"/downloads/smartcity-{entity}.csv")).content
    changes = await count_rows(seeded_engine, Change)
    response = await upload(seeded_http, role_keys[KeyRole.EDITOR], name, original)
    report = response.json()
    assert response.status_code == 200, report["tasks"][0]["errors"][:5]
    assert report["valid"] is True
    assert report["applied"] is True
    stats = report["stats"]
    assert stats["rows"] == stats["unchanged"] > 0
    assert (stats["created"], stats["updated"], stats["errors"]) == (0, 0, 0)
    assert await count_rows(seeded_engine, Change) == changes
    assert await count_rows(seeded_engine, AuditEntry) == 0
    assert (await seeded_http.get(f"/downloads/smartcity-{entity}.csv")).content == as_text


async def test_the_spreadsheet_download_keeps_every_cell_as_text(
    seeded_http: httpx.AsyncClient,
) -> None:
    """So that Excel leaves a partial date such as `2021-08` (or a timestamp) as it is."""
    response = await seeded_http.get("/downloads/smartcity-cities.xlsx")
    assert response.headers["content-type"].startswith(XLSX)
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = book["cities"]
    values = [cell for row in sheet.iter_rows(min_row=2) for cell in row if cell.value]
    assert values
    assert {cell.data_type for cell in values} == {"s"}
    assert {cell.number_format for cell in values} == {"@"}
    csv_rows = await download(seeded_http, "smartcity-cities.csv")
    header = [cell.value for cell in sheet[1]]
    assert header == list(csv_rows[0])
    first = {h: (c.value or "") for h, c in zip(header, sheet[2], strict=True)}
    assert first == csv_rows[0]


async def test_an_edited_spreadsheet_applies_atomically_and_is_audited(
    seeded_http: httpx.AsyncClient, role_keys: dict[KeyRole, str], seeded_engine: AsyncEngine
) -> None:
    rows = await download(seeded_http, "smartcity-cities.csv")
    by_slug = {row["slug"]: row for row in rows}
    by_slug["phuket"]["certification_round"] = "2021-R9"
    new = dict(by_slug["phuket"]) | {
        "id": "",
        "slug": "imported-area",
        "name_en": "Imported Area",
        "dimensions": "ECONOMY;MOBILITY",
        "sources": "posttoday-708162",
        "updated_at": "",
    }
    content = as_xlsx([*rows, new])
    dry = await upload(
        seeded_http, role_keys[KeyRole.EDITOR], "cities.xlsx", content, dryRun="true"
    )
    report = dry.json()
    assert dry.status_code == 200, report
    assert (report["dryRun"], report["applied"]) == (True, False)
    assert (report["stats"]["created"], report["stats"]["updated"]) == (1, 1)
    assert await count_rows(seeded_engine, City, col(City.slug) == "imported-area") == 0

    applied = await upload(
        seeded_http, role_keys[KeyRole.EDITOR], "cities.xlsx", content, reason="quarterly update"
    )
    report = applied.json()
    assert applied.status_code == 200, report
    assert report["applied"] is True
    outcomes = {row["key"]: row["outcome"] for row in report["tasks"][0]["rows"]}
    assert outcomes["imported-area"] == "CREATED"
    assert outcomes["phuket"] == "UPDATED"
    assert outcomes["mae-moh"] == "UNCHANGED"
    after = {row["slug"]: row for row in await download(seeded_http, "smartcity-cities.csv")}
    assert after["phuket"]["certification_round"] == "2021-R9"
    assert after["imported-area"]["dimensions"] == "ECONOMY;MOBILITY"
    async with session_factory(seeded_engine)() as session:
        entries = (await session.exec(select(AuditEntry).order_by(col(AuditEntry.id)))).all()
    assert [(e.subject_key, e.action, e.channel) for e in entries] == [
        ("phuket", "UPDATE", "IMPORT"),
        ("imported-area", "CREATE", "IMPORT"),
    ]
    assert {e.reason for e in entries} == {"quarterly update"}
    assert {e.actor_name for e in entries} == {"editor desk"}
    # The same file again changes nothing: each of its rows is what is stored.
    again = await upload(seeded_http, role_keys[KeyRole.EDITOR], "cities.xlsx", content)
    assert again.status_code == 200
    assert again.json()["stats"]["unchanged"] == len(rows) + 1
    # Another edit of the row as first downloaded is stale now: refused, nothing written.
    by_slug["phuket"]["certification_round"] = "2021-R8"
    stale = await upload(seeded_http, role_keys[KeyRole.EDITOR], "cities.csv", as_csv(rows))
    assert stale.status_code == 422
    [error] = stale.json()["tasks"][0]["errors"]
    assert (error["code"], error["fieldName"], error["rowNumber"]) == (
        "CONFLICT",
        "updated_at",
        2 + rows.index(by_slug["phuket"]),
    )
    now = {row["slug"]: row for row in await download(seeded_http, "smartcity-cities.csv")}
    assert now["phuket"]["certification_round"] == "2021-R9"
    assert await count_rows(seeded_engine, AuditEntry) == 2


@pytest.mark.parametrize("role", [None, KeyRole.READER])
async def test_only_editors_import(
    seeded_http: httpx.AsyncClient, role_keys: dict[KeyRole, str], role: KeyRole | None
) -> None:
    original = (await seeded_http.get("/downloads/smartcity-cities.csv")).content
    response = await upload(
        seeded_http, None if role is None else role_keys[role], "smartcity-cities.csv", original
    )
    assert response.status_code == 403
    assert response.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_every_bad_row_is_reported_and_nothing_written(
    seeded_http: httpx.AsyncClient, role_keys: dict[KeyRole, str], seeded_engine: AsyncEngine
) -> None:
    rows = await download(seeded_http, "smartcity-projects.csv")
    header = list(rows[0])
    good = {row["slug"]: row for row in rows}
    first = rows[0]
    fresh = dict(first) | {"id": "", "updated_at": ""}

    def new(slug: str, **changes: str) -> dict[str, str]:
        return fresh | {"slug": slug} | changes

    bad = [
        new("bad-slug-!", sources="posttoday-708162"),  # 2 INVALID slug
        new("no-province", province="TH-99"),  # 3 UNKNOWN_REFERENCE
        new("no-city", city="atlantis"),  # 4 UNKNOWN_REFERENCE
        new("no-dimension", dimensions="MOBILITY;TELEPATHY"),  # 5 UNKNOWN_REFERENCE
        new("no-source", sources=""),  # 6 SOURCE_REQUIRED
        new("unknown-source", sources="not-a-source"),  # 7 UNKNOWN_REFERENCE
        new("bad-budget", budget="12,5 million"),  # 8 INVALID
        new("bad-start", start_on="2024-13-01"),  # 9 INVALID
        new("bad-end", end_on="next year"),  # 10 INVALID
        new("bad-status", status="HALF_DONE"),  # 11 INVALID
        new("bad-certainty", certainty="SURE"),  # 12 INVALID
        new("no-certainty", certainty=""),  # 13 REQUIRED
        new("no-title-province", province=""),  # 14 REQUIRED
        new("bad-headline", is_headline="perhaps"),  # 15 INVALID
        new("unknown-operator", operator="acme-unknown"),  # 16 UNKNOWN_REFERENCE
        new("twice", sources="posttoday-708162"),  # 17 fine by itself...
        new("twice", sources="posttoday-708162"),  # 18 DUPLICATE
        new(""),  # 19 REQUIRED slug
        new("wrong-id", id="Q2l0eTpub3doZXJl"),  # 20 INVALID id
        new("bad-updated", updated_at="yesterday"),  # 21 INVALID updated_at
        new("deleted-since", updated_at="2024-01-01T00:00:00+00:00"),  # 22 CONFLICT
        good[rows[1]["slug"]] | {"title_en": "Changed", "updated_at": ""},  # 23 REQUIRED
        good[rows[2]["slug"]]
        | {"title_en": "Changed", "updated_at": "2020-01-01T00:00:00+00:00"},  # 24 CONFLICT
        new("city-elsewhere", city="phuket", province="TH-10"),  # 25 INVALID (agree)
        new("long-title", title_en="ก" * 501),  # 26 INVALID: longer than its column
        new("huge-budget", budget="1e30"),  # 27 INVALID: more whole digits than kept
        new("fine-budget", budget="10.125"),  # 28 INVALID: more decimals than kept
        good[rows[3]["slug"]]
        | {"title_en": "Changed", "updated_at": "2024-01-01T00:00:00"},  # 29 INVALID: no zone
        new("extra"),  # 30 one cell too many, added below
    ]
    projects = await count_rows(seeded_engine, Project)
    changes = await count_rows(seeded_engine, Change)
    content = as_csv(bad, header).decode("utf-8")
    content = content.rstrip("\r\n") + ",surplus\r\n"
    response = await upload(
        seeded_http, role_keys[KeyRole.EDITOR], "smartcity-projects.csv", content.encode()
    )
    assert response.status_code == 422
    report = response.json()
    assert report["valid"] is False
    assert report["applied"] is False
    assert report["stats"]["rows"] == len(bad)
    errors = report["tasks"][0]["errors"]
    found = {(e.get("rowNumber"), e["code"], e.get("fieldName")) for e in errors}
    expected = {
        (2, "INVALID", "slug"),
        (3, "UNKNOWN_REFERENCE", "province"),
        (4, "UNKNOWN_REFERENCE", "city"),
        (5, "UNKNOWN_REFERENCE", "dimensions"),
        (6, "SOURCE_REQUIRED", "sources"),
        (7, "UNKNOWN_REFERENCE", "sources"),
        (8, "INVALID", "budget"),
        (9, "INVALID", "start_on"),
        (10, "INVALID", "end_on"),
        (11, "INVALID", "status"),
        (12, "INVALID", "certainty"),
        (13, "INVALID", "certainty"),
        (14, "INVALID", "province"),
        (15, "INVALID", "is_headline"),
        (16, "UNKNOWN_REFERENCE", "operator"),
        (18, "DUPLICATE", "slug"),
        (19, "REQUIRED", "slug"),
        (20, "INVALID", "id"),
        (21, "INVALID", "updated_at"),
        (22, "CONFLICT", "updated_at"),
        (23, "REQUIRED", "updated_at"),
        (24, "CONFLICT", "updated_at"),
        (25, "INVALID", None),
        (26, "INVALID", "title_en"),
        (27, "INVALID", "budget"),
        (28, "INVALID", "budget"),
        (29, "INVALID", "updated_at"),
        (30, "UNKNOWN_FIELD", None),
    }
    assert found == expected, sorted(found ^ expected, key=str)
    assert len({e["rowNumber"] for e in errors}) >= 20
    for error in errors:
        assert error["message"]
        assert error["type"]
    assert await count_rows(seeded_engine, Project) == projects
    assert await count_rows(seeded_engine, Change) == changes
    assert await count_rows(seeded_engine, AuditEntry) == 0


async def test_a_file_with_a_renamed_column_names_the_new_one_and_writes_nothing(
    seeded_http: httpx.AsyncClient, role_keys: dict[KeyRole, str], seeded_engine: AsyncEngine
) -> None:
    # A download from before the rename: `round` where the file now has `certification_round`.
    rows = await download(seeded_http, "smartcity-cities.csv")
    old = [
        {("round" if name == "certification_round" else name): value for name, value in row.items()}
        for row in rows
    ]
    old[0]["round"] = "2021-R7"
    changes = await count_rows(seeded_engine, Change)

    response = await upload(seeded_http, role_keys[KeyRole.EDITOR], "cities.csv", as_csv(old))

    assert response.status_code == 422
    [error] = response.json()["tasks"][0]["errors"]
    assert (error["type"], error["code"], error["fieldName"]) == (
        "extra-label",
        "UNKNOWN_FIELD",
        "round",
    )
    assert "'certification_round'" in error["message"]
    assert await count_rows(seeded_engine, Change) == changes


async def test_a_file_that_is_no_table_is_reported(
    seeded_http: httpx.AsyncClient, role_keys: dict[KeyRole, str]
) -> None:
    cases = {
        "cities.xlsx": b"PK\x03\x04 not really a zip",
        "cities.csv": "slug,name_en\nphuket,Phuket\n".encode("utf-16"),
        "notes.csv": b"a,b\n1,2\n",
        "smartcity-provinces.csv": (
            await seeded_http.get("/downloads/smartcity-provinces.csv")
        ).content,
        "nul.csv": b"slug,name_en\nphuket,Phu\x00ket\n",
        "huge-cell.csv": b"slug,name_en\nphuket," + b"x" * 200_000 + b"\n",
        "bomb.xlsx": _zip_bomb(),
    }
    codes = {}
    for name, content in cases.items():
        response = await upload(seeded_http, role_keys[KeyRole.EDITOR], name, content)
        assert response.status_code == 422
        [error] = response.json()["tasks"][0]["errors"]
        codes[name] = (error["type"], error["code"])
    assert codes == {
        "cities.xlsx": ("format-error", "INVALID"),
        "cities.csv": ("encoding-error", "INVALID"),
        "notes.csv": ("table-error", "INVALID"),
        "smartcity-provinces.csv": ("table-error", "NOT_EDITABLE"),
        "nul.csv": ("format-error", "INVALID"),
        "huge-cell.csv": ("format-error", "INVALID"),
        "bomb.xlsx": ("format-error", "INVALID"),
    }
    bomb = await upload(seeded_http, role_keys[KeyRole.EDITOR], "bomb.xlsx", _zip_bomb())
    assert "unpacks to 120 MB, more than 100 MB" in bomb.text


def _zip_bomb() -> bytes:
    """A workbook-shaped zip of 120 MB of zeros in a few hundred KB."""
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive,
        archive.open("xl/worksheets/sheet1.xml", "w") as sheet,
    ):
        for _ in range(120):
            sheet.write(bytes(2**20))
    return buffer.getvalue()


def test_the_command_line_imports_and_seed_never_destroys_edits_unasked(
    seeded_database_url: URL, tmp_path: Path
) -> None:
    env = {**os.environ, "DATABASE_URL": seeded_database_url.render_as_string(hide_password=False)}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "api.cli", *args],
            env=env,
            capture_output=True,
            text=True,
            check=False,
            cwd=tmp_path,
        )

    exported = run("export", "--output", str(tmp_path / "all.zip"))
    assert exported.returncode == 0, exported.stderr
    with zipfile.ZipFile(tmp_path / "all.zip") as archive:
        text = archive.read("smartcity-projects.csv").decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    original = rows[0]["title_en"]
    rows[0]["title_en"] = "Retitled by the office"
    edited = tmp_path / "smartcity-projects.csv"
    edited.write_bytes(as_csv(rows))

    dry = run("import", str(edited), "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert dry.stdout.strip() == (
        f"valid (dry run, nothing written): would be 0 created, 1 updated, "
        f"{len(rows) - 1} unchanged"
    )
    assert "check" in dry.stderr  # the progress bar
    applied = run("import", str(edited), "--reason", "office update", "--json")
    assert applied.returncode == 0, applied.stderr
    assert json.loads(applied.stdout)["applied"] is True

    refused = run("seed")
    assert refused.returncode == 1
    assert "holds 1 edit made since the fixtures were last loaded" in refused.stderr
    assert "  project: 1 updated" in refused.stderr
    assert f"update Project {rows[0]['slug']} by " in refused.stderr
    assert "smartcity seed --replace" in refused.stderr
    assert run("seed").returncode == 1  # still refused: nothing was written

    replaced = run("seed", "--replace")
    assert replaced.returncode == 0, replaced.stderr
    assert replaced.stdout.splitlines() == ["fixtures loaded: updated 1", "  project: 1 updated"]
    assert run("seed").stdout.strip() == "fixtures loaded: no changes"

    bad = tmp_path / "bad.csv"
    rows[0]["title_en"] = original  # as the fixtures have it again: unchanged
    rows[1]["province"] = "TH-99"
    bad.write_bytes(as_csv(rows))
    failed = run("import", str(bad))
    assert failed.returncode == 1
    assert failed.stdout.splitlines()[-2:] == [
        "bad.csv: row 3, province: UNKNOWN_REFERENCE no Province 'TH-99'",
        "1 problem: nothing was written",
    ]


async def test_an_import_is_charged_to_the_key_and_refused_over_budget(
    seeded_http: httpx.AsyncClient, seeded_engine: AsyncEngine
) -> None:
    async with session_factory(seeded_engine)() as session:
        editor, _ = await keys.issue(session, "small desk", budget=15, role=KeyRole.EDITOR)
    content = (
        await seeded_http.get("/downloads/smartcity-cities.csv")
    ).content  # 33 lines: 10 points
    first = await upload(seeded_http, editor, "smartcity-cities.csv", content, dryRun="true")
    assert first.status_code == 200
    assert (first.headers["x-ratelimit-limit"], first.headers["x-ratelimit-remaining"]) == (
        "15",
        "5",
    )
    second = await upload(seeded_http, editor, "smartcity-cities.csv", content, dryRun="true")
    assert second.status_code == 429
    assert second.json()["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
    assert int(second.headers["retry-after"]) > 0
