"""What the browser tests share: Debian's Chromium through Playwright, a page that records
everything that went wrong on it, and screenshots in artifacts/screenshots/ for people to
look at."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.async_api import Browser, Page, async_playwright

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


async def open_page(
    browser: Browser,
    base: str,
    path: str,
    width: int = 1280,
    height: int = 900,
    *,
    javascript: bool = True,
) -> Watched:
    """`path` in a new page (`javascript=False`: as a reader without scripts sees it)."""
    page = await browser.new_page(
        viewport={"width": width, "height": height}, java_script_enabled=javascript
    )
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


async def shot(page: Page, backend: str, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=str(SCREENSHOTS / f"{backend}-{name}.png"), full_page=True)
