"""The HTML pages: the programme at a glance (`/`), the explorer (`/graphql` in a browser),
and the stewards' import page (`/steward`)."""

from __future__ import annotations

from html import escape
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.templating import Jinja2Templates

from api.assets import Assets
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


def explorer_link(question: Question) -> str:
    """A link that opens the question's query (and variables) in the explorer."""
    params = {"query": question.query}
    if question.variables:
        params["variables"] = question.variables
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
        self.templates.env.globals.update(asset=assets.url, explorer_link=explorer_link)

    def _render(self, request: Request, template: str, **context: object) -> HTMLResponse:
        if self.missing:
            return _without_assets(self.missing)
        lang = language(request)

        def t(english: str, thai: str) -> str:
            return thai if lang == "th" else english

        return self.templates.TemplateResponse(
            request,
            template,
            {"lang": lang, "t": t, **context},
            headers={"Vary": "Accept-Language"},
        )

    async def programme(self, request: Request) -> HTMLResponse:
        return self._render(
            request,
            "programme.html",
            charts=CHARTS,
            charts_json=[chart.as_json() for chart in CHARTS],
        )

    async def steward(self, request: Request) -> HTMLResponse:
        """Where an editor uploads a spreadsheet, reads its report, and confirms it."""
        return self._render(request, "steward.html", max_bytes=self.max_import_bytes)

    def explorer(self, request: Request) -> HTMLResponse:
        return self._render(
            request,
            "explorer.html",
            examples=EXAMPLES,
            examples_json=[example.as_json() for example in EXAMPLES],
        )
