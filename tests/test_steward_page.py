"""The stewards' page (`/steward`) in a real browser, against the real server: an editor signs
in with their key, uploads a spreadsheet, reads the dry run's report, and confirms it.

Every state is photographed at 1280 px and at 390 px (artifacts/screenshots/), and at 390 px
nothing may scroll sideways.
"""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator

import httpx
import pytest
from playwright.async_api import Browser, FilePayload, Page, ViewportSize, expect
from sqlalchemy.engine import URL
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import col, select

from api.security import HEADERS
from db import keys
from db.engine import create_engine, session_factory
from db.enums import KeyRole
from db.tables import AuditEntry
from tests.browser import Watched, browser, open_page, shot
from tests.graphql import app_client

__all__ = ["browser"]  # the fixture, imported so pytest finds it here

DESKTOP = ViewportSize(width=1280, height=900)
PHONE = ViewportSize(width=390, height=844)
CITIES = "smartcity-cities.csv"


@pytest.fixture
async def key(seeded_database_url: URL) -> AsyncIterator[dict[KeyRole, str]]:
    """A reader's and an editor's key, in the database the `site` serves."""
    engine = create_engine(seeded_database_url)
    try:
        async with session_factory(engine)() as session:
            issued = {}
            for role in (KeyRole.READER, KeyRole.EDITOR):
                issued[role], _ = await keys.issue(session, f"{role.lower()} desk", role=role)
        yield issued
    finally:
        await engine.dispose()


async def download(site: str, name: str) -> bytes:
    async with httpx.AsyncClient(base_url=site) as http:
        response = await http.get(f"/downloads/{name}")
    assert response.status_code == 200
    return response.content


def rows_of(content: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


def as_csv(rows: list[dict[str, str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode()


async def sign_in(page: Page, key: str) -> None:
    await page.locator("#key").fill(key)
    await page.locator("#sign-in-form button[type=submit]").click()
    await expect(page.locator("#upload")).to_be_visible()


async def choose(page: Page, name: str, content: bytes) -> None:
    await page.locator("#file").set_input_files(
        files=[FilePayload(name=name, mimeType="text/csv", buffer=content)]
    )


async def drop(page: Page, name: str, content: bytes | int) -> None:
    """Drop a file on the page's drop target, as a file dragged from the desktop; an int is
    a file of that many zero bytes."""
    transfer = await page.evaluate_handle(
        """([name, content]) => {
            const transfer = new DataTransfer();
            const body = typeof content === "number" ? new Uint8Array(content) : content;
            transfer.items.add(new File([body], name, { type: "text/csv" }));
            return transfer;
        }""",
        [name, content if isinstance(content, int) else content.decode("utf-8")],
    )
    await page.locator("#drop").dispatch_event("drop", {"dataTransfer": transfer})


async def shots(page: Page, backend: str, name: str) -> None:
    """The page as it is, at 1280 px and at 390 px, where nothing may scroll sideways."""
    await shot(page, backend, f"steward-{name}")
    await page.set_viewport_size(PHONE)
    width = await page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{name}: {width} px wide on a 390 px phone"
    await shot(page, backend, f"steward-{name}-phone")
    await page.set_viewport_size(DESKTOP)


def without_refusals(watched: Watched, *statuses: int) -> None:
    """Chromium logs every 4xx answer to a fetch as a console error; the ones this test
    provokes on purpose are expected, anything else is not."""
    expected = tuple(f"the server responded with a status of {status}" for status in statuses)
    watched.errors = [error for error in watched.errors if not any(e in error for e in expected)]
    watched.check()


async def test_an_unknown_key_and_a_readers_key_are_refused_with_the_servers_message(
    browser: Browser, site: str, backend: str, key: dict[KeyRole, str]
) -> None:
    watched = await open_page(browser, site, "/steward?lang=th")
    page = watched.page
    assert "ปรับปรุงข้อมูลจากตารางข้อมูล" in await page.inner_text("h1")
    await expect(page.locator(".site-nav a[href^='/steward']")).to_have_text("ผู้ดูแลข้อมูล")
    await shots(page, backend, "signed-out-th")
    await page.goto(f"{site}/steward")
    await expect(page.locator("a[href='/downloads/']")).to_be_visible()
    await shots(page, backend, "signed-out")

    await page.locator("#key").fill("sck_not-a-key-anyone-was-given")
    await page.locator("#sign-in-form button[type=submit]").click()
    status = page.locator("#status")
    await expect(status).to_contain_text("unknown or revoked API key")  # the server's words
    await expect(page.locator("#upload")).to_be_hidden()
    assert await page.evaluate("() => sessionStorage.length") == 0

    await sign_in(page, key[KeyRole.READER])
    await expect(page.locator("#key-hint")).to_have_text(key[KeyRole.READER][:12] + "…")
    # Too large a file is refused before it is sent.
    imports: list[str] = []
    page.on(
        "request",
        lambda request: imports.append(request.url) if "/imports" in request.url else None,
    )
    await drop(
        page, "huge.csv", int(await page.locator("main").get_attribute("data-max-bytes") or 0) + 1
    )
    await expect(status).to_contain_text("The file is too large: at most 20 MB")
    assert imports == []
    await choose(page, CITIES, await download(site, CITIES))
    await expect(status).to_contain_text("importing needs the key of an editor")
    await expect(status).to_have_attribute("data-kind", "error")
    await expect(page.locator("#report")).to_be_hidden()
    await shots(page, backend, "reader-refused")
    # The key is in this tab's sessionStorage only: not in the address, not in a cookie.
    assert key[KeyRole.READER] not in page.url
    assert await page.context.cookies() == []
    assert await page.evaluate("() => Object.keys(sessionStorage)") == ["smartcity.stewardKey"]

    await page.locator("#sign-out").click()
    await expect(page.locator("#sign-in")).to_be_visible()
    assert await page.evaluate("() => sessionStorage.length") == 0
    without_refusals(watched, 401, 403)


async def test_a_download_uploaded_unchanged_has_nothing_to_apply(
    browser: Browser, site: str, backend: str, key: dict[KeyRole, str]
) -> None:
    content = await download(site, CITIES)
    watched = await open_page(browser, site, "/steward")
    page = watched.page
    await sign_in(page, key[KeyRole.EDITOR])
    await drop(page, CITIES, content)
    report = page.locator("#report")
    await expect(report).to_have_attribute("data-state", "unchanged")
    await expect(report.locator("#report-title")).to_contain_text("nothing to apply")
    rows = str(len(rows_of(content)))
    await expect(report.locator("[data-stat=rows]")).to_have_text(rows)
    await expect(report.locator("[data-stat=unchanged]")).to_have_text(rows)
    for stat in ("created", "updated", "errors"):
        await expect(report.locator(f"[data-stat={stat}]")).to_have_text("0")
    await expect(page.locator("#errors")).to_be_hidden()
    await expect(page.locator("#changes")).to_be_hidden()
    await expect(page.locator("#apply")).to_be_disabled()
    await shots(page, backend, "unchanged")
    watched.check()


async def test_an_edited_file_is_checked_then_applied_when_confirmed(
    browser: Browser,
    site: str,
    backend: str,
    key: dict[KeyRole, str],
    seeded_database_url: URL,
) -> None:
    rows = rows_of(await download(site, CITIES))
    [phuket] = [row for row in rows if row["slug"] == "phuket"]
    assert phuket["certification_round"] != "2021-R9"
    phuket["certification_round"] = "2021-R9"
    watched = await open_page(browser, site, "/steward")
    page = watched.page
    await sign_in(page, key[KeyRole.EDITOR])
    await page.locator("#reason").fill("round corrected from the gazette")
    await choose(page, "cities-edited.csv", as_csv(rows))
    report = page.locator("#report")
    await expect(report).to_have_attribute("data-state", "ready")
    await expect(report.locator("[data-stat=updated]")).to_have_text("1")
    await expect(report.locator("[data-stat=created]")).to_have_text("0")
    await expect(report.locator("[data-stat=unchanged]")).to_have_text(str(len(rows) - 1))
    change = page.locator("#change-rows tr")
    await expect(change).to_have_count(1)
    await expect(change).to_contain_text("phuket")
    await expect(change).to_contain_text("would be updated")
    apply = page.locator("#apply")
    await expect(apply).to_be_enabled()
    assert await certification_round(site, "phuket") != "2021-R9"  # the dry run wrote nothing
    await shots(page, backend, "ready")

    await apply.click()
    await expect(report).to_have_attribute("data-state", "applied")
    await expect(page.locator("#status")).to_have_text("Done.")
    await expect(report.locator("[data-stat=updated]")).to_have_text("1")
    await expect(change).to_contain_text("updated")
    await expect(apply).to_be_disabled()
    await expect(page.locator("#reason")).to_have_value("")  # the next file needs its own
    await shots(page, backend, "applied")
    assert await certification_round(site, "phuket") == "2021-R9"
    engine = create_engine(seeded_database_url)
    try:
        async with session_factory(engine)() as session:
            entries = (await session.exec(select(AuditEntry).order_by(col(AuditEntry.id)))).all()
    finally:
        await engine.dispose()
    assert [(e.subject_key, e.action, e.channel, e.actor_name, e.reason) for e in entries] == [
        ("phuket", "UPDATE", "IMPORT", "editor desk", "round corrected from the gazette")
    ]
    watched.check()


async def certification_round(site: str, slug: str) -> str | None:
    async with httpx.AsyncClient(base_url=site) as http:
        response = await http.post(
            "/graphql",
            json={
                "query": "query($slug: String!) { city(slug: $slug) { certificationRound } }",
                "variables": {"slug": slug},
            },
        )
    body = response.json()
    assert "errors" not in body, body
    value: str | None = body["data"]["city"]["certificationRound"]
    return value


async def test_bad_rows_are_listed_and_nothing_can_be_applied(
    browser: Browser, site: str, backend: str, key: dict[KeyRole, str]
) -> None:
    rows = rows_of(await download(site, "smartcity-projects.csv"))
    fresh = rows[0] | {"id": "", "updated_at": ""}
    bad = [
        *rows[:3],
        fresh | {"slug": "bad-budget", "budget": "12,5 million"},  # row 5
        fresh | {"slug": "no-city", "city": "atlantis"},  # row 6
        fresh | {"slug": "no-source", "sources": ""},  # row 7
    ]
    watched = await open_page(browser, site, "/steward")
    page = watched.page
    await sign_in(page, key[KeyRole.EDITOR])
    await choose(page, "smartcity-projects.csv", as_csv(bad))
    report = page.locator("#report")
    await expect(report).to_have_attribute("data-state", "invalid")
    await expect(report.locator("#report-title")).to_contain_text("Nothing was written")
    await expect(report.locator("[data-stat=errors]")).to_have_text("3")
    lines = page.locator("#error-rows tr")
    await expect(lines).to_have_count(3)
    found = []
    for line in await lines.all():
        cells = await line.locator("td").all_inner_texts()
        found.append((cells[0], cells[1], cells[3]))
        assert cells[4], "each problem has a message"
    assert sorted(found) == [
        ("5", "budget", "INVALID"),
        ("6", "city", "UNKNOWN_REFERENCE"),
        ("7", "sources", "SOURCE_REQUIRED"),
    ]
    await expect(page.locator("#error-rows")).to_contain_text("12,5 million")  # the cell
    await expect(page.locator("#apply")).to_be_disabled()
    await shots(page, backend, "invalid")
    # On a phone each problem is a labelled card rather than a table too wide.
    await page.set_viewport_size(PHONE)
    assert await page.locator("#errors thead").is_hidden()
    await page.set_viewport_size(DESKTOP)
    without_refusals(watched, 422)


async def test_the_page_has_the_security_headers_and_no_inline_script(
    seeded_engine: AsyncEngine,
) -> None:
    async with app_client(seeded_engine) as http:
        response = await http.get("/steward")
        assert response.status_code == 200
        for name, value in HEADERS.items():
            assert response.headers[name] == value
        page = response.text
        assert "<script>" not in page  # the CSP would refuse it
        [script] = [line for line in page.splitlines() if "<script" in line]
        src = script.split('src="')[1].split('"')[0]
        assert src.startswith("/assets/")
        assert src.endswith("/steward.js")
        served = await http.get(src)
        assert served.status_code == 200
        assert served.headers["content-type"].startswith("text/javascript")
        assert "sessionStorage" in served.text
