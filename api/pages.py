"""The HTML pages: the programme at a glance (`/`), the explorer (`/graphql` in a browser),
and the stewards' import page (`/steward`)."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from functools import partial
from html import escape
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.templating import Jinja2Templates

from api.assets import Assets
from api.programme_figures import ChartView
from api.questions import CHARTS, EXAMPLES, Question
from db.resources import WEB

LANGUAGES = ("en", "th")


def language(request: Request) -> str:
    """`?lang=` if given, else Thai for browsers that prefer it, else English."""
    asked = request.query_params.get("lang")
    if asked in LANGUAGES:
        return asked
    preferred = request.headers.get("accept-language", "").lower()
    return "th" if preferred.startswith("th") else "en"


def explorer_link(question: Question, lang: str) -> str:
    """A link that opens the question's query (and variables) in the explorer, in `lang`."""
    params = {"query": question.query}
    if question.variables:
        params["variables"] = question.variables
    params["lang"] = lang
    return "/graphql?" + urlencode(params)


def _without_assets(missing: list[str]) -> HTMLResponse:
    """What a page says when its browser assets were never installed: the API still serves."""
    items = "".join(f"<li><code>{escape(path)}</code></li>" for path in missing)
    body = (
        "<!doctype html><html lang=en><meta charset=utf-8><title>Pages unavailable</title>"
        "<h1>This page's browser assets are not installed</h1>"
        "<p>The API serves as usual: send GraphQL to <code>/graphql</code>, download the data "
        "from <code>/downloads/</code>. The pages need these files, which are missing:</p>"
        f"<ul>{items}</ul><p>In a checkout, <code>make install</code> installs them "
        "(<code>npm ci --prefix web</code>); a wheel built from a checkout carries them.</p>"
    )
    return HTMLResponse(body, status_code=503, headers={"Retry-After": "3600"})


class Pages:
    def __init__(self, assets: Assets, max_import_bytes: int) -> None:
        self.max_import_bytes = max_import_bytes
        self.missing = assets.missing
        self.templates = Jinja2Templates(directory=WEB / "templates")
        self.asset_url = assets.url
        self.templates.env.globals.update(asset=assets.url)

    def fingerprint(self, *names: str) -> str:
        """A digest of the templates (with their base) and assets a page is built from."""
        digest = hashlib.sha256()
        for template in ("base.html", *(name for name in names if name.endswith(".html"))):
            digest.update((WEB / "templates" / template).read_bytes())
        for asset in (name for name in names if not name.endswith(".html")):
            digest.update(self.asset_url(asset).encode())
        return digest.hexdigest()[:16]

    def _render(self, request: Request, template: str, **context: object) -> HTMLResponse:
        if self.missing:
            return _without_assets(self.missing)
        lang = language(request)

        def t(english: str, thai: str) -> str:
            return thai if lang == "th" else english

        return self.templates.TemplateResponse(
            request,
            template,
            {"lang": lang, "t": t, "explorer_link": partial(explorer_link, lang=lang), **context},
            headers={"Vary": "Accept-Language"},
        )

    def programme(self, request: Request, views: Sequence[ChartView]) -> HTMLResponse:
        """The programme at a glance: `views` are its charts' figures (`api.programme_page`)."""
        return self._render(
            request,
            "programme.html",
            charts=list(zip(CHARTS, views, strict=True)),
            charts_json=[view.as_json() for view in views],
        )

    async def steward(self, request: Request) -> HTMLResponse:
        """Where an editor uploads a spreadsheet, reads its report, and confirms it."""
        return self._render(request, "steward.html", max_bytes=self.max_import_bytes)

    def downloads(self, request: Request, **context: object) -> HTMLResponse:
        """The files, the whole zip and the data dictionary (`api.downloads`)."""
        return self._render(request, "downloads.html", **context)

    def explorer(self, request: Request) -> HTMLResponse:
        return self._render(
            request,
            "explorer.html",
            examples=EXAMPLES,
            examples_json=[example.as_json() for example in EXAMPLES],
        )
