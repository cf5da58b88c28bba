"""The programme page (`/`) in Chromium."""

from __future__ import annotations

from playwright.async_api import Browser, Page, expect

from tests.browser import browser, open_page, shot

__all__ = ["browser"]  # the fixture, used by name


async def _charts_ready(page: Page) -> None:
    # A locator, not wait_for_function: the page's CSP rightly refuses string evaluation.
    await expect(page.locator('[data-chart][data-ready="true"]')).to_have_count(4)


async def test_the_programme_page_draws_its_charts_from_the_data(
    browser: Browser, site: str, backend: str
) -> None:
    watched = await open_page(browser, site, "/")
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
    await shot(page, backend, "programme-en")
    watched.check()


async def test_the_programme_page_in_thai_on_a_phone(
    browser: Browser, site: str, backend: str
) -> None:
    watched = await open_page(browser, site, "/?lang=th", width=390, height=844)
    page = watched.page
    await _charts_ready(page)
    assert "โครงการเมืองอัจฉริยะโดยสรุป" in await page.inner_text("h1")
    assert "ล้านบาท" in await page.inner_text("#investment")
    # Nothing wider than the phone's screen.
    assert await page.evaluate("document.documentElement.scrollWidth") <= 390
    await shot(page, backend, "programme-th-phone")
    watched.check()


async def test_a_chart_opens_its_query_in_the_explorer(browser: Browser, site: str) -> None:
    watched = await open_page(browser, site, "/")
    page = watched.page
    await _charts_ready(page)  # leaving earlier would abort the charts' own requests
    await page.locator("#progress .open-query").click()
    await page.wait_for_url("**/graphql?query=*")
    await page.locator(".graphiql-execute-button").click()
    response = page.locator(".graphiql-response")
    await response.get_by_text("96.67").first.wait_for()  # real data, not an error naming the field
    assert '"errors"' not in await response.inner_text()
    watched.check()
