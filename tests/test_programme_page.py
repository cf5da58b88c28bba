"""The programme page (`/`): its figures rendered on the server, over HTTP, and the page in
Chromium at a phone's and a desktop's width, in English and in Thai."""

from __future__ import annotations

import codecs
import csv
import io
import logging
import re
import struct
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import Browser, Page, expect
from sqlalchemy.ext.asyncio import AsyncEngine

from db.engine import session_factory
from tests import factories
from tests.browser import browser, open_page, shot
from tests.graphql import GraphQLClient

__all__ = ["browser"]  # the fixture, used by name

HTML = {"Accept": "text/html"}
POST_TODAY = "http://www.posttoday.com/smart-city/708162"
CHART_IDS = ["targets", "progress", "investment", "regions"]
AXES = {
    "en": {
        "targets": ["Phase", "Smart-city areas (number)"],
        "progress": ["Progress (%)", "Area"],
        "investment": ["Smart dimension", "Million baht"],
        "regions": ["Region", "Smart-city areas (number)"],
    },
    "th": {
        "targets": ["ระยะ", "จำนวนพื้นที่ (แห่ง)"],
        "progress": ["ความคืบหน้า (ร้อยละ)", "พื้นที่"],
        "investment": ["มิติเมืองอัจฉริยะ", "ล้านบาท"],
        "regions": ["ภาค", "จำนวนพื้นที่ (แห่ง)"],
    },
}
# Format names, the same in any language.
NAMES = re.compile(r"\b(API|CSV|PNG)\b")


def _read(path: Path) -> bytes:
    return path.read_bytes()


def _csv(body: bytes) -> list[list[str]]:
    assert body.startswith(codecs.BOM_UTF8)  # spreadsheet programs then read it as UTF-8
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


# ---- Over HTTP: what the server sends, before any script runs ----------------------------


async def test_the_page_renders_its_figures_tables_and_sources_on_the_server(
    seeded_client: GraphQLClient,
) -> None:
    english = (await seeded_client.http.get("/", headers=HTML)).text
    assert "Programme-wide: 27.57% complete (as of 23 April 2024)." in english
    assert "Programme-wide investment reported: 6,842.97 million baht" in english
    assert "Data as of 23 April 2024." in english
    progress = english[english.index('id="progress"') : english.index('id="investment"')]
    assert "<caption>Progress of each city</caption>" in progress
    assert 'scope="col" class="number">Progress <span class="unit">(%)</span>' in progress
    assert re.findall(r'class="number">([\d.]+)</td>', progress)[:3] == ["96.67", "89.38", "85.03"]
    # Each source linked, by its title; none is a file of ours.
    assert f'<a href="{POST_TODAY}" rel="noopener">เปิดแผนพัฒนาเมืองอัจฉริยะ' in progress
    links = re.findall(r'<a href="(https?://[^"]+)" rel="noopener">([^<]+)</a>', english)
    assert len(links) >= 8
    assert not [text for _, text in links if re.search(r"\.(json|txt|csv|ya?ml|md)\b|@", text)]
    assert "(no web address known)" in english  # the programme's documents without one
    assert "kongvut/thai-province-data (GitHub): <a" in english  # the regions' scheme

    thai = (await seeded_client.http.get("/?lang=th", headers=HTML)).text
    assert "ภาพรวมทั้งโครงการ: คืบหน้าร้อยละ 27.57 (ณ 23 เมษายน 2567)" in thai
    assert "เงินลงทุนทั้งโครงการที่รายงาน: 6,842.97 ล้านบาท" in thai
    assert "ข้อมูล ณ 23 เมษายน 2567." in thai
    assert "ปีที่ 2 (พ.ศ. 2562\u20132563)" in thai
    assert "เป้าหมาย (ถึง พ.ศ. 2570)" in thai  # a phase with no Thai name of its own


async def test_each_charts_data_downloads_as_csv(seeded_client: GraphQLClient) -> None:
    response = await seeded_client.http.get("/programme/progress.csv")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert 'filename="smartcity-progress-en.csv"' in response.headers["content-disposition"]
    rows = _csv(response.content)
    assert rows[0] == ["Rank", "Area", "Progress (%)", "As of"]
    assert [row[2] for row in rows[1:4]] == ["96.67", "89.38", "85.03"]
    assert rows[1][3] == "2024-04-23"  # dates stay ISO in the data

    thai = _csv((await seeded_client.http.get("/programme/investment.csv?lang=th")).content)
    assert thai[0] == ["มิติ", "จำนวนรายการ (รายการ)", "เงินลงทุนจริง (ล้านบาท)"]
    assert thai[1] == ["ไม่ระบุมิติ", "2", "530"]
    for chart in CHART_IDS:
        assert len(_csv((await seeded_client.http.get(f"/programme/{chart}.csv")).content)) >= 2

    unknown = await seeded_client.http.get("/programme/nothing.csv")
    assert unknown.status_code == 404
    assert unknown.json()["errors"][0]["extensions"]["code"] == "NOT_FOUND"


async def _statements(
    client: GraphQLClient, caplog: pytest.LogCaptureFixture, headers: dict[str, str]
) -> tuple[Any, int]:
    caplog.clear()
    with caplog.at_level(logging.DEBUG, logger="smartcity.sessions"):
        response = await client.http.get("/", headers=headers)
    [request] = [record for record in caplog.records if hasattr(record, "statements")]
    return response, request.__dict__["statements"]


async def test_the_page_is_worked_out_once_per_data_version(
    seeded_client: GraphQLClient, seeded_engine: AsyncEngine, caplog: pytest.LogCaptureFixture
) -> None:
    first, worked_out = await _statements(seeded_client, caplog, HTML)
    again, served = await _statements(seeded_client, caplog, HTML)
    assert worked_out > 1
    assert served == 1  # the data version, nothing else
    assert again.text == first.text
    etag = first.headers["etag"]
    assert again.headers["etag"] == etag
    held, _ = await _statements(seeded_client, caplog, {**HTML, "If-None-Match": etag})
    assert held.status_code == 304
    thai = await seeded_client.http.get("/?lang=th", headers={**HTML, "If-None-Match": etag})
    assert thai.status_code == 200  # another language is another page

    async with session_factory(seeded_engine)() as session:  # a newer programme-wide figure
        await factories.observation(session, value=Decimal("31.5"), as_of="2025-01-01")
    changed, _ = await _statements(seeded_client, caplog, {**HTML, "If-None-Match": etag})
    assert changed.status_code == 200
    assert changed.headers["etag"] != etag
    assert "Programme-wide: 31.5% complete (as of 1 January 2025)." in changed.text


# ---- In Chromium ---------------------------------------------------------------------------


async def _charts_ready(page: Page) -> None:
    # A locator, not wait_for_function: the page's CSP rightly refuses string evaluation.
    await expect(page.locator('[data-chart][data-ready="true"]')).to_have_count(4)


async def _check_drawn_and_laid_out(page: Page, lang: str, width: int) -> None:
    """Axes titled; every bar named; nothing wider than the screen; no text cut off."""
    axes = await page.locator("[data-chart]").evaluate_all(
        """cards => Object.fromEntries(cards.map(card => {
            const chart = Chart.getChart(card.querySelector("canvas"));
            const category = chart.options.indexAxis === "y" ? chart.scales.y : chart.scales.x;
            return [card.id, {
                titles: [chart.options.scales.x.title.text, chart.options.scales.y.title.text],
                named: category.ticks.length === chart.data.labels.length,
                drawn: chart.canvas.toDataURL().length > 5000,
            }];
        }))"""
    )
    assert {chart: drawn["titles"] for chart, drawn in axes.items()} == AXES[lang]
    assert all(drawn["named"] and drawn["drawn"] for drawn in axes.values()), axes
    assert await page.evaluate("document.documentElement.scrollWidth") <= width
    clipped = await page.locator(
        ".card h2, .headline, .card caption, .card th, .card td, .sources li, .meta, .actions > *"
    ).evaluate_all(
        "cells => cells.filter(c => c.scrollWidth > c.clientWidth + 1).map(c => c.textContent)"
    )
    assert clipped == []


async def _check_csv_downloads(page: Page) -> None:
    """Each chart's CSV link (a plain link, no script) gives the numbers of its table."""
    for chart in CHART_IDS:
        async with page.expect_download() as info:
            await page.locator(f"#{chart} .download-csv").click()
        rows = _csv(_read(await (await info.value).path()))
        shown = await page.locator(f"#{chart} tbody tr").evaluate_all(
            """rows => rows.map(row => [...row.cells].map(
                cell => cell.classList.contains("number") ? cell.textContent.trim() : null))"""
        )
        assert len(rows) == len(shown) + 1
        for table_row, csv_row in zip(shown, rows[1:], strict=True):
            for text, value in zip(table_row, csv_row, strict=True):
                if text is not None:
                    assert text.replace(",", "").replace("\u2013", "") == value, chart


async def _check_png_download(page: Page, chart: str, lang: str) -> None:
    canvas = page.locator(f"#{chart} canvas")
    drawn = await canvas.evaluate("c => [c.width, c.height]")
    async with page.expect_download() as info:
        await page.locator(f"#{chart} [data-png]").click()
    download = await info.value
    assert download.suggested_filename == f"smartcity-{chart}-{lang}.png"
    image = _read(await download.path())
    assert image[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", image[16:24])
    assert width > drawn[0]
    assert height > drawn[1]  # the title above and the sources below


async def test_the_programme_page_in_english_on_a_desktop_and_a_phone(
    browser: Browser, site: str, backend: str
) -> None:
    watched = await open_page(browser, site, "/")
    page = watched.page
    await _charts_ready(page)
    text = await page.inner_text("main")
    assert "27.57% complete" in text  # programme-wide progress, from the API
    assert "6,842.97 million baht" in text  # programme-wide investment, from the API
    assert "Post Today" in text  # each figure names its source
    assert "Data as of 23 April 2024" in text
    progress = await page.locator("#progress table").text_content() or ""
    for figure in ("96.67", "89.38", "85.03"):
        assert figure in progress
    await _check_drawn_and_laid_out(page, "en", 1280)
    await _check_csv_downloads(page)
    await _check_png_download(page, "investment", "en")
    await shot(page, backend, "programme-en-1280")
    # The query behind a chart opens in the explorer, and runs.
    await page.locator("#progress .open-query").click()
    await page.wait_for_url("**/graphql?query=*")
    await page.locator(".graphiql-execute-button").click()
    response = page.locator(".graphiql-response")
    await response.get_by_text("96.67").first.wait_for()  # real data, not an error
    assert '"errors"' not in await response.inner_text()
    watched.check()

    phone = await open_page(browser, site, "/", width=390, height=844)
    await _charts_ready(phone.page)
    await _check_drawn_and_laid_out(phone.page, "en", 390)
    await shot(phone.page, backend, "programme-en-390")
    phone.check()

    # Without JavaScript: every figure, table and source is there all the same.
    plain = await open_page(browser, site, "/", width=390, height=844, javascript=False)
    await expect(plain.page.locator("table")).to_have_count(4)
    text = await plain.page.inner_text("main")
    assert "27.57% complete" in text
    assert "6,842.97 million baht" in text
    assert "96.67" in await plain.page.locator("#progress table").inner_text()
    assert await plain.page.locator(f'#progress .sources a[href="{POST_TODAY}"]').count() == 1
    await expect(plain.page.locator("[data-png]").first).to_be_hidden()  # it needs the script
    assert await plain.page.evaluate("document.documentElement.scrollWidth") <= 390
    await shot(plain.page, backend, "programme-en-390-no-javascript")
    plain.check()


async def test_the_programme_page_in_thai_on_a_phone_and_a_desktop(
    browser: Browser, site: str, backend: str
) -> None:
    for width, height in ((390, 844), (1280, 900)):
        watched = await open_page(browser, site, "/?lang=th", width=width, height=height)
        page = watched.page
        await _charts_ready(page)
        assert "โครงการเมืองอัจฉริยะโดยสรุป" in await page.inner_text("h1")
        assert "6,842.97 ล้านบาท" in await page.inner_text("#investment")
        await _check_drawn_and_laid_out(page, "th", width)
        # No English in what this page writes itself (sources' titles are as printed).
        ours = await page.locator(
            "h1, .lede, .card h2, .headline, caption, .card th, .card td, .sources h3, "
            ".meta, .actions"
        ).all_inner_texts()
        ours += await page.locator("canvas").evaluate_all(
            "cs => cs.flatMap(c => Chart.getChart(c).data.datasets.map(d => d.label))"
        )
        english = [text for text in ours if re.search("[A-Za-z]", NAMES.sub("", text))]
        assert english == []
        if width == 390:
            await _check_png_download(page, "progress", "th")
        await shot(page, backend, f"programme-th-{width}")
        watched.check()
