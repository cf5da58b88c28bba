"""`POST /imports`: an editor uploads a spreadsheet; the answer is its validation report.

The body is the file itself (CSV or XLSX), its name in `?name=` (which says what it holds
when it is a download's), `?dryRun=true` to check without writing, and `?reason=` for the
audit trail. A valid file is applied at once, in one transaction (see `db.imports`); an
invalid one is answered 422 with every problem, and nothing is written.
"""

from __future__ import annotations

import math

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession
from starlette.requests import Request
from starlette.responses import JSONResponse

from api.clients import Client
from api.graphql_http import error_response
from api.ratelimit import ClientBudget, Counters
from api.settings import Settings
from db import imports
from db.audit import Actor
from db.enums import EditChannel, KeyRole
from schema.limits import WRITE_FETCHES, ForbiddenError, permit_role, points

PATH = "/imports"
ROWS_PER_WRITE = 100  # an import costs what one write costs for each hundred rows it holds


def _flag(request: Request, name: str) -> bool:
    return request.query_params.get(name, "").lower() in ("1", "true", "yes")


class Imports:
    def __init__(
        self, settings: Settings, counters: Counters, writes: async_sessionmaker[AsyncSession]
    ) -> None:
        self.settings = settings
        self.counters = counters
        self.writes = writes

    async def upload(self, request: Request) -> JSONResponse:
        client: Client = request.state.client
        try:
            permit_role(KeyRole.EDITOR, client.role, "importing")
        except ForbiddenError as refused:
            return error_response(
                f"{refused.message}; send it as `Authorization: Bearer <key>`",
                "FORBIDDEN",
                status_code=403,
                role=KeyRole.EDITOR.value,
            )
        content = await request.body()
        name = request.query_params.get("name") or "upload.csv"
        rows = max(1, content.count(b"\n"))
        cost = points(WRITE_FETCHES) * math.ceil(rows / ROWS_PER_WRITE)
        budget = ClientBudget(
            self.counters, client.id, client.budget, self.settings.budget_window_seconds
        )
        allowance = await budget.spend(cost)
        limits = allowance.headers("imports")
        if not allowance.allowed:
            return error_response(
                f"this import costs {cost} points and {allowance.remaining} are left; retry "
                f"after {allowance.retry_after} s",
                "RATE_LIMITED",
                status_code=429,
                headers={**limits, "Retry-After": str(allowance.retry_after)},
            )
        actor = Actor(str(client.name), EditChannel.IMPORT, client.key_id)
        async with self.writes() as session:
            report = await imports.import_file(
                session,
                name,
                content,
                actor,
                dry_run=_flag(request, "dryRun"),
                reason=request.query_params.get("reason"),
            )
        return JSONResponse(
            report.as_json(),
            status_code=200 if report.valid else 422,
            headers={**limits, "Cache-Control": "no-store"},
        )
