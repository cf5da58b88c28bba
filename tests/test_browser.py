"""The explorer and the programme page in a real browser (Debian's Chromium, via Playwright).

Screenshots land in artifacts/screenshots/ for people to look at.
"""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.async_api import Browser, Page, async_playwright, expect

SCREENSHOTS = Path(__file__).resolve().parent.parent / "artifacts" / "screenshots"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# This machine has no internet: keep Chromium from reaching out on its own.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        await browser.close()


@dataclass
class Watched:
    """A page with everything that went wrong on it recorded."""

    page: Page
    base: str
    errors: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)

    def check(self) -> None:
        assert self.errors == [], self.errors
        assert self.failed == [], self.failed
        assert self.foreign == [], self.foreign


async def _open(
    browser: Browser, base: str, path: str, width: int = 1280, height: int = 900
) -> Watched:
    page = await browser.new_page(viewport={"width": width, "height": height})
    watched = Watched(page, base)
    page.on(
        "console",
        lambda message: watched.errors.append(message.text) if message.type == "error" else None,
    )
    page.on("pageerror", lambda error: watched.errors.append(str(error)))
    page.on("requestfailed", lambda request: watched.failed.append(request.url))
    page.on(
        "request",
        lambda request: (
            None if request.url.startswith((base, "data:")) else watched.foreign.append(request.url)
        ),
    )
    await page.goto(base + path)
    return watched


async def _charts_ready(page: Page) -> None:
    # A locator, not wait_for_function: the page's CSP rightly refuses string evaluation.
    await expect(page.locator('[data-chart][data-ready="true"]')).to_have_count(4)


async def _shot(page: Page, backend: str, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=str(SCREENSHOTS / f"{backend}-{name}.png"), full_page=True)


async def test_the_explorer_runs_a_ready_question(
    browser: Browser, site: str, backend: str
) -> None:
    watched = await _open(browser, site, "/graphql?example=progress-leaders")
    page = watched.page
    await page.locator(".graphiql-execute-button").click()
    response = page.locator(".graphiql-response")
    await response.get_by_text("96.67").first.wait_for()
    assert "แม่เมาะเมืองน่าอยู่" in await response.inner_text()
    # The Explorer plugin lists the schema's root fields to tick.
    assert await page.locator(".graphiql-explorer-root").get_by_text("cityRanking").count() >= 1
    assert "query=" in page.url  # the address bar is a shareable link to the query
    await _shot(page, backend, "explorer")
    watched.check()


async def test_a_shared_link_opens_its_query(browser: Browser, site: str) -> None:
    watched = await _open(
        browser,
        site,
        "/graphql?query=%7B%20city(slug%3A%20%22samyan%22)%20%7B%20nameTh%20%7D%20%7D",
    )
    page = watched.page
    await page.locator(".graphiql-execute-button").click()
    await page.locator(".graphiql-response").get_by_text("สามย่านสมาร์ทซิตี้").wait_for()
    watched.check()


async def test_the_programme_page_draws_its_charts_from_the_data(
    browser: Browser, site: str, backend: str
) -> None:
    watched = await _open(browser, site, "/")
    page = watched.page
    await _charts_ready(page)
    text = await page.inner_text("main")
    assert "27.57% complete" in text  # programme-wide progress, from the API
    assert "6,842.97 million baht" in text  # programme-wide investment, from the API
    assert "Post Today" in text  # each figure names its source
    assert "Data as of 2024-04-23" in text
    progress = await page.locator("#progress [data-table]").text_content() or ""
    assert "96.67" in progress
    assert "89.38" in progress
    assert "85.03" in progress
    # Every canvas has been drawn on.
    for canvas in await page.locator("canvas").all():
        assert await canvas.evaluate("c => c.toDataURL().length") > 5000
    await _shot(page, backend, "programme-en")
    watched.check()


async def test_the_programme_page_in_thai_on_a_phone(
    browser: Browser, site: str, backend: str
) -> None:
    watched = await _open(browser, site, "/?lang=th", width=390, height=844)
    page = watched.page
    await _charts_ready(page)
    assert "โครงการเมืองอัจฉริยะโดยสรุป" in await page.inner_text("h1")
    assert "ล้านบาท" in await page.inner_text("#investment")
    # Nothing wider than the phone's screen.
    assert await page.evaluate("document.documentElement.scrollWidth") <= 390
    await _shot(page, backend, "programme-th-phone")
    watched.check()


async def test_a_chart_opens_its_query_in_the_explorer(browser: Browser, site: str) -> None:
    watched = await _open(browser, site, "/")
    page = watched.page
    await _charts_ready(page)  # leaving earlier would abort the charts' own requests
    await page.locator("#progress .open-query").click()
    await page.wait_for_url("**/graphql?query=*")
    await page.locator(".graphiql-execute-button").click()
    response = page.locator(".graphiql-response")
    await response.get_by_text("96.67").first.wait_for()  # real data, not an error naming the field
    assert '"errors"' not in await response.inner_text()
    watched.check()
