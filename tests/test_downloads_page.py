"""`/downloads/`: an HTML page for a browser (the files, the whole zip, the data dictionary,
in English or Thai), the JSON index for programs; and the page in Chromium at 1280 px and
390 px, screenshots in artifacts/screenshots/."""

from __future__ import annotations

import re

from playwright.async_api import Browser

from db import exports
from tests.browser import browser, open_page, shot
from tests.graphql import GraphQLClient

__all__ = ["browser"]  # the fixture, imported so pytest finds it here

PAGE = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}


async def test_a_browser_gets_the_page_and_a_program_the_json_index(
    seeded_client: GraphQLClient,
) -> None:
    http = seeded_client.http
    page = await http.get("/downloads/", headers=PAGE)
    assert page.headers["content-type"].startswith("text/html")
    html = page.text
    for name, _ in [(exports.filename(e, f), f) for e, f in exports.files()]:
        assert f'href="/downloads/{name}"' in html, name
    assert 'href="/downloads/smartcity-thailand.zip"' in html
    assert 'href="/downloads/datapackage.json"' in html
    assert "ODbL-1.0" in html
    assert "kongvut" in html  # the attribution
    assert "frictionless validate datapackage.json" in html
    # The dictionary: each column with its type and the GraphQL field it carries.
    assert "<code>certification_round</code>" in html
    assert "<code>City.certificationRound</code>" in html
    assert "Certification round, e.g." in html
    assert "รอบที่ได้รับการรับรอง" in html  # its Thai description, beside the English
    thai = (await http.get("/downloads/?lang=th", headers=PAGE)).text
    assert "<h1>ดาวน์โหลดข้อมูล</h1>" in thai
    assert re.search(r'<html lang="th">', thai)

    for accept in ({}, {"Accept": "application/json"}):
        listing = (await http.get("/downloads/", headers=accept)).json()
        assert listing["datapackage"] == "/downloads/datapackage.json"
        assert len(listing["files"]) == len(exports.files())
        cities = next(f for f in listing["files"] if f["url"] == "/downloads/smartcity-cities.csv")
        assert cities["rows"] == 32
        assert cities["bytes"] == len((await http.get(cities["url"])).content)
        assert listing["whole"]["url"] == "/downloads/smartcity-thailand.zip"


async def test_the_page_fits_a_desktop_and_a_phone_and_its_tables_scroll_in_their_box(
    browser: Browser, site: str, backend: str
) -> None:
    watched = await open_page(browser, site, "/downloads/?lang=th", width=1280)
    page = watched.page
    assert (await page.title()) == "ดาวน์โหลดข้อมูล"
    await page.locator("#dictionary-cities summary").click()
    dictionary = page.locator("#dictionary-cities .table-scroll")
    await dictionary.get_by_text("City.certificationRound").wait_for()
    for width, label in ((1280, "desktop"), (390, "phone")):
        await page.set_viewport_size({"width": width, "height": 844})
        # Nothing scrolls sideways but a table's own box.
        assert await page.evaluate("() => document.documentElement.scrollWidth") <= width
        await shot(page, backend, f"downloads-{label}")
    inner, outer = await dictionary.evaluate("e => [e.scrollWidth, e.clientWidth]")
    assert inner > outer  # wider than a phone, the dictionary scrolls inside its box
    # But every file's link is in view on a phone, none behind a sideways scroll.
    links = page.locator("table.files a[download]")
    assert await links.count() == len(exports.files())
    for link in await links.all():
        box = await link.bounding_box()
        assert box is not None
        assert box["x"] + box["width"] <= 390, await link.get_attribute("href")
    watched.check()  # no console errors (a CSP violation is one), failed or foreign requests
