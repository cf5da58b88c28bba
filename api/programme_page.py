"""The programme page (`/`) and its charts' data as CSV (`/programme/CHART.csv`), rendered on
the server from the answers to the charts' own GraphQL queries (`api.questions.CHARTS`),
run in-process against the schema on the request's database: the page and the API cannot
disagree.

The answers depend only on the data, so they are worked out once per data version (and kept
in the result store, shared in Redis where configured); each response carries an ETag of the
data version, so a browser revalidating an unchanged page gets 304 without them. The page's
own queries are not charged to the reader's budget: past the first view of a data version
they cost one statement (the version) per view.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from dataclasses import dataclass, field

from starlette.requests import Request
from starlette.responses import Response
from strawberry import Schema

from api.caching import CACHE_CONTROL
from api.graphql_http import error_response
from api.localised import Words
from api.pages import Pages, language
from api.programme_figures import VIEWS, ChartView, Data
from api.questions import CHARTS
from db.access import Db
from db.changes import data_version
from schema.budget import Allowance
from schema.context import Context
from schema.result_store import ResultStore

BOM = "\ufeff"  # so that spreadsheet programs read the CSV as UTF-8 (Thai names)


class ChartQueryFailed(RuntimeError):
    """A chart's query answered with errors: a bug, as every chart query is tested."""


class _Unmetered:
    """The page's own queries: run by the server for every reader, not by one client."""

    async def spend(self, points: int) -> Allowance:
        return Allowance(allowed=True, limit=0, remaining=0, reset_at=0, retry_after=0)


@dataclass
class _Discarded:
    """Where the schema's extensions put response headers: nowhere, for in-process runs."""

    headers: dict[str, str] = field(default_factory=dict)
    status_code: int = 200


class ProgrammePage:
    def __init__(
        self,
        pages: Pages,
        schema: Schema,
        results: ResultStore | None,
        retry_after_seconds: int,
        release: str,
    ) -> None:
        self.pages = pages
        self.schema = schema
        self.results = results
        self.retry_after_seconds = retry_after_seconds
        # What else the page's bytes depend on: this release and its template and scripts.
        self.release = release + pages.fingerprint(
            "programme.html", "programme.js", "programme.css"
        )
        self._answers: tuple[int, dict[str, Data]] | None = None  # the newest version's

    async def page(self, request: Request) -> Response:
        lang = language(request)
        answers, etag = await self._answers_for(request, lang, "page")
        if answers is None:
            return _not_modified(etag)
        words = Words(lang)
        charts = [VIEWS[chart.id](answers[chart.id], words) for chart in CHARTS]
        response = self.pages.programme(request, charts)
        _cacheable(response, etag)
        return response

    async def csv(self, request: Request) -> Response:
        chart = request.path_params["chart"]
        if chart not in VIEWS:
            return error_response(
                f"no chart named {chart!r}; the charts are {', '.join(VIEWS)}",
                "NOT_FOUND",
                status_code=404,
            )
        lang = language(request)
        answers, etag = await self._answers_for(request, lang, chart)
        if answers is None:
            return _not_modified(etag)
        view = VIEWS[chart](answers[chart], Words(lang))
        response = Response(
            BOM + as_csv(view),
            media_type="text/csv; charset=utf-8",
            headers={
                "Content-Disposition": f'attachment; filename="smartcity-{chart}-{lang}.csv"',
                "Vary": "Accept-Language",
            },
        )
        _cacheable(response, etag)
        return response

    async def _answers_for(
        self, request: Request, lang: str, what: str
    ) -> tuple[dict[str, Data] | None, str]:
        """The charts' answers and the response's ETag; no answers when the client already
        holds this version of the response."""
        db: Db = request.state.db
        version = await data_version(db)
        fingerprint = f"{self.release}\n{version}\n{lang}\n{what}"
        etag = '"' + hashlib.sha256(fingerprint.encode()).hexdigest()[:32] + '"'
        held = [tag.strip() for tag in request.headers.get("if-none-match", "").split(",")]
        if etag in held:
            return None, etag
        if self._answers is None or self._answers[0] != version:
            self._answers = (version, await self._run(request, db))
        return self._answers[1], etag

    async def _run(self, request: Request, db: Db) -> dict[str, Data]:
        context = Context(
            db=db,
            budget=_Unmetered(),
            response=_Discarded(),
            request_id=request.state.request_id,
            retry_after_seconds=self.retry_after_seconds,
            results=self.results,
        )
        answers = {}
        for chart in CHARTS:
            variables = json.loads(chart.variables) if chart.variables else None
            result = await self.schema.execute(
                chart.query, variable_values=variables, context_value=context
            )
            if result.errors:
                # The database being down surfaces here as it would anywhere: a 503.
                original = result.errors[0].original_error
                raise original or ChartQueryFailed(f"{chart.id}: {result.errors}")
            assert result.data is not None
            answers[chart.id] = result.data
        return answers


def as_csv(view: ChartView) -> str:
    """The chart's table: headings with their units, then the numbers as plain numbers and
    dates as ISO dates."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([column.heading for column in view.columns])
    writer.writerows([cell.value for cell in row] for row in view.rows)
    return out.getvalue()


def _cacheable(response: Response, etag: str) -> None:
    response.headers["ETag"] = etag
    response.headers["Cache-Control"] = CACHE_CONTROL


def _not_modified(etag: str) -> Response:
    return Response(
        status_code=304,
        headers={"ETag": etag, "Cache-Control": CACHE_CONTROL, "Vary": "Accept-Language"},
    )
