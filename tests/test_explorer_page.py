"""The explorer (`/graphql` in a browser) in Chromium."""

from __future__ import annotations

from playwright.async_api import Browser

from tests.browser import browser, open_page, shot

__all__ = ["browser"]  # the fixture, used by name


async def test_the_explorer_runs_a_ready_question(
    browser: Browser, site: str, backend: str
) -> None:
    watched = await open_page(browser, site, "/graphql?example=progress-leaders")
    page = watched.page
    await page.locator(".graphiql-execute-button").click()
    response = page.locator(".graphiql-response")
    await response.get_by_text("96.67").first.wait_for()
    assert "แม่เมาะเมืองน่าอยู่" in await response.inner_text()
    # The Explorer plugin lists the schema's root fields to tick.
    assert await page.locator(".graphiql-explorer-root").get_by_text("cityRanking").count() >= 1
    assert "query=" in page.url  # the address bar is a shareable link to the query
    await shot(page, backend, "explorer")
    watched.check()


async def test_a_shared_link_opens_its_query(browser: Browser, site: str) -> None:
    watched = await open_page(
        browser,
        site,
        "/graphql?query=%7B%20city(slug%3A%20%22samyan%22)%20%7B%20nameTh%20%7D%20%7D",
    )
    page = watched.page
    await page.locator(".graphiql-execute-button").click()
    await page.locator(".graphiql-response").get_by_text("สามย่านสมาร์ทซิตี้").wait_for()
    watched.check()
