"""The HTML pages: the programme at a glance (`/`), the explorer (`/graphql` in a browser),
and the stewards' import page (`/steward`)."""

from __future__ import annotations

from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.templating import Jinja2Templates

from api.assets import WEB, Assets
from api.questions import CHARTS, EXAMPLES, Question

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


class Pages:
    def __init__(self, assets: Assets, max_import_bytes: int) -> None:
        self.max_import_bytes = max_import_bytes
        self.templates = Jinja2Templates(directory=WEB / "templates")
        self.templates.env.globals.update(asset=assets.url, explorer_link=explorer_link)

    def _render(self, request: Request, template: str, **context: object) -> HTMLResponse:
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
