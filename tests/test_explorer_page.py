"""The explorer (`/graphql` in a browser) in Chromium, on a desktop and a phone, in both
languages; and the links of every page's header, which carry the language."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

import pytest
from graphql import ListValueNode, parse, visit
from graphql.language import Visitor
from playwright.async_api import Browser, ConsoleMessage, Page, expect

from api.questions import CHARTS, EXAMPLES
from tests.browser import browser, open_page, shot
from tests.graphql import GraphQLClient

__all__ = ["browser"]  # the fixture, used by name

DESKTOP = (1280, 900)
PHONE = (390, 844)
TITLES = [re.search(r"query (\w+)", example.query)[1] for example in EXAMPLES]  # type: ignore[index]


def _warnings(page: Page) -> list[str]:
    """Console warnings, which `Watched` leaves aside: ours or a plugin's, they should not be."""
    warnings: list[str] = []

    def record(message: ConsoleMessage) -> None:
        if message.type == "warning":
            warnings.append(message.text)

    page.on("console", record)
    return warnings


async def _tabs(page: Page) -> list[str]:
    return await page.locator(".graphiql-tab .graphiql-tab-button").all_inner_texts()


async def _active_tab(page: Page) -> str:
    return await page.locator(".graphiql-tab-active .graphiql-tab-button").inner_text()


async def _in_view(page: Page, selector: str) -> bool:
    """Whether the element is wholly inside the window and inside every box that clips it."""
    return bool(
        await page.locator(selector).evaluate(
            """(element) => {
                const box = element.getBoundingClientRect();
                if (box.width === 0 || box.left < 0 || box.right > innerWidth
                    || box.top < 0 || box.bottom > innerHeight) return false;
                for (let up = element.parentElement; up; up = up.parentElement) {
                    if (getComputedStyle(up).overflowX === "visible") continue;
                    const clip = up.getBoundingClientRect();
                    if (box.left < clip.left - 1 || box.right > clip.right + 1) return false;
                }
                return true;
            }"""
        )
    )


async def _query(page: Page) -> dict[str, list[str]]:
    return parse_qs(urlparse(page.url).query)


def _latin_words(text: str) -> list[str]:
    return re.findall(r"[A-Za-z]+", text)


def test_no_ready_question_writes_a_list_the_explorer_plugin_cannot_show() -> None:
    """graphiql-explorer has no view for a list value: it logs "arg mismatch between arg and
    selection" on each render of one. A single value stands for a list of one."""
    lists: list[str] = []

    class Lists(Visitor):
        def enter_list_value(self, node: ListValueNode, *_: object) -> None:
            lists.append(node.loc.source.body[node.loc.start : node.loc.end] if node.loc else "")

    for question in [*EXAMPLES, *CHARTS]:  # the programme's charts open here too
        visit(parse(question.query), Lists())
    assert lists == []


@pytest.mark.parametrize("lang", ["en", "th"])
async def test_every_header_link_and_query_link_carries_the_language(
    seeded_client: GraphQLClient, lang: str
) -> None:
    for path in ["/", "/graphql?example=search-thai", "/steward", "/downloads/"]:
        separator = "&" if "?" in path else "?"
        html = (
            await seeded_client.http.get(
                f"{path}{separator}lang={lang}", headers={"Accept": "text/html"}
            )
        ).text
        header = html.split('<header class="site-header">')[1].split("</header>")[0]
        links = [link.replace("&amp;", "&") for link in re.findall(r'href="([^"]+)"', header)]
        assert len(links) == 7, path
        pages = [link for link in links if link.startswith("/")]
        assert [parse_qs(urlparse(link).query)["lang"] for link in pages] == [[lang]] * 5
        # The language switch keeps the page and what its address asked for.
        switch = [parse_qs(link.removeprefix("?")) for link in links if link.startswith("?")]
        assert [asked.pop("lang") for asked in switch] == [["en"], ["th"]]
        kept = parse_qs(urlparse(path).query)
        assert switch == [kept, kept]
        if path == "/":  # each chart's link to its query in the explorer
            queries = re.findall(r'class="open-query" href="([^"]+)"', html)
            assert len(queries) == len(CHARTS)
            for link in queries:
                assert parse_qs(urlparse(link.replace("&amp;", "&")).query)["lang"] == [lang]


async def test_the_explorer_on_a_desktop_in_thai_then_english(
    browser: Browser, site: str, backend: str
) -> None:
    watched = await open_page(browser, site, "/graphql?example=search-thai&lang=th", *DESKTOP)
    page = watched.page
    warnings = _warnings(page)
    response = page.locator(".graphiql-response")

    # A ready question opens in its own tab, among the others, each once and all in sight,
    # and its answer is there without pressing Run.
    await response.get_by_text('"TH-50"').wait_for()
    assert await _tabs(page) == TITLES
    assert await _active_tab(page) == "SearchInThai"
    for index in range(len(TITLES)):
        assert await _in_view(page, f"#graphiql-session-tab-{index}"), TITLES[index]
    assert await page.locator(".graphiql-explorer-root").get_by_text("cityRanking").count() == 1
    assert await _query(page) == {"example": ["search-thai"], "lang": ["th"]}

    # The page's own words are Thai; only the switch to English is not.
    chrome = (
        await page.locator(".site-header").inner_text()
        + await page.locator(".questions").inner_text()
    )
    assert _latin_words(chrome) == ["EN"]
    assert _latin_words(await page.title()) == []
    await shot(page, backend, "explorer-1280-th")

    # A ready question's link switches to its tab in place and answers it; the Explorer
    # plugin shows its `orderBy` without complaint (see the first test).
    await page.evaluate("window.stayed = true")
    await page.locator('.questions a[data-example="certified-by-region"]').click()
    await response.get_by_text('"ภาคกลาง"').wait_for()
    assert await page.evaluate("window.stayed") is True
    assert await _active_tab(page) == "CertifiedCitiesByRegion"
    assert await _query(page) == {"example": ["certified-by-region"], "lang": ["th"]}
    assert await page.locator(".questions a[aria-current]").get_attribute("data-example") == (
        "certified-by-region"
    )
    assert await page.locator(".graphiql-explorer-root").get_by_text("PROVINCE_NAME").count() == 1

    # Every other ready question, shown in the Explorer plugin, answers as well.
    for index, title in enumerate(TITLES):
        await page.locator(f"#graphiql-session-tab-{index}").click()
        assert await _active_tab(page) == title
        await response.get_by_text('"data"').wait_for()

    # Once edited the link is to the query itself, still in Thai; the language switch keeps it.
    await page.locator(f"#graphiql-session-tab-{TITLES.index('ChangedSince')}").click()
    await page.locator(".graphiql-query-editor .CodeMirror").click()
    await page.keyboard.press("Control+End")
    await page.keyboard.type("\n# edited")
    await expect(page).to_have_url(re.compile("edited"))
    shared = await _query(page)
    assert shared["lang"] == ["th"]
    assert shared["query"][0].endswith("# edited")
    assert shared["variables"] == [EXAMPLES[TITLES.index("ChangedSince")].variables]
    assert warnings == []
    watched.check()

    await page.locator('.langs a[data-lang="en"]').click()
    await page.wait_for_url(re.compile(r"lang=en"))
    await page.locator(".graphiql-query-editor").get_by_text("# edited").wait_for()
    assert await _tabs(page) == [*TITLES, "ChangedSince"]  # the shared query in a tab of its own
    assert await _active_tab(page) == "ChangedSince"
    assert await page.locator(".questions-label").inner_text() == "Ask:"
    await shot(page, backend, "explorer-1280-en")
    assert warnings == []
    watched.check()


async def _no_sideways_scroll(page: Page) -> None:
    assert await page.evaluate("document.documentElement.scrollWidth") <= PHONE[0]


async def test_the_explorer_on_a_phone_and_a_shared_link_in_thai(
    browser: Browser, site: str, backend: str
) -> None:
    watched = await open_page(browser, site, "/graphql?example=city-projects", *PHONE)
    page = watched.page
    warnings = _warnings(page)
    response = page.locator(".graphiql-response")

    # The editor has the width, the Explorer plugin starts closed, the answer is below.
    await response.get_by_text('"titleTh"').first.wait_for()
    await _no_sideways_scroll(page)
    assert not await page.locator(".graphiql-explorer-root").is_visible()
    editor = await page.locator(".graphiql-query-editor").bounding_box()
    assert editor
    assert editor["width"] >= 0.9 * PHONE[0]
    answer = await response.bounding_box()
    assert answer
    assert answer["y"] >= editor["y"] + editor["height"]
    assert await _tabs(page) == TITLES
    assert await _active_tab(page) == "CityProjectsAndMilestones"
    assert await _in_view(page, ".graphiql-tab-active")
    assert await _in_view(page, '.questions a[aria-current="true"]')
    await shot(page, backend, "explorer-390-en")

    # Run: the results come into view.
    assert not await _in_view(page, ".graphiql-response .CodeMirror-line >> nth=0")
    await page.locator(".graphiql-execute-button").click()
    await expect(page.locator(".graphiql-response")).to_be_in_viewport(ratio=0.5)
    assert await _in_view(page, ".graphiql-response .CodeMirror-line >> nth=0")

    # The Explorer plugin opens above the editor, no wider than the screen.
    await page.get_by_role("button", name="Show GraphiQL Explorer").click()
    plugin = page.locator(".graphiql-explorer-root")
    await plugin.get_by_text("cityRanking").wait_for()
    box = await page.locator(".graphiql-plugin").bounding_box()  # the panel, clipping the tree
    editor = await page.locator(".graphiql-query-editor").bounding_box()
    assert box
    assert editor
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= PHONE[0]
    assert box["y"] + box["height"] <= editor["y"]
    await _no_sideways_scroll(page)
    await page.locator(".graphiql-sidebar").scroll_into_view_if_needed()
    await shot(page, backend, "explorer-390-en-plugin")

    # A shared link, in Thai, loaded in the same page: the Explorer plugin is closed again.
    await page.goto(
        site
        + "/graphql?query=%7B%20city(slug%3A%20%22samyan%22)%20%7B%20nameTh%20%7D%20%7D&lang=th"
    )
    # A shared query opens in a tab of its own beside the ready questions; it runs when asked.
    await page.locator(".graphiql-query-editor").get_by_text("samyan").wait_for()
    assert not await page.locator(".graphiql-explorer-root").is_visible()
    assert await _tabs(page) == [*TITLES, "<untitled>"]
    assert await _in_view(page, ".graphiql-tab-active")
    await page.locator(".graphiql-execute-button").click()
    await page.locator(".graphiql-response").get_by_text("สามย่านสมาร์ทซิตี้").wait_for()
    assert (await _query(page))["lang"] == ["th"]
    await _no_sideways_scroll(page)
    chrome = (
        await page.locator(".site-header").inner_text()
        + await page.locator(".questions").inner_text()
    )
    assert _latin_words(chrome) == ["EN"]
    # Every link says its language: Thai, but for the switch to English.
    for link in await page.locator(".site-header a, .questions a").all():
        href = await link.get_attribute("href") or ""
        assert parse_qs(urlparse(href).query)["lang"] in (["th"], ["en"]), href
    await shot(page, backend, "explorer-390-th")
    assert warnings == []
    watched.check()
