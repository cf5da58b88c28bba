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
from schema.limits import WRITE_FETCHES, points

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
        if client.role is None or not client.role.includes(KeyRole.EDITOR):
            return error_response(
                "importing needs the key of an editor (or an admin), sent as "
                "`Authorization: Bearer <key>`",
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
        limits = {
            "X-RateLimit-Limit": str(allowance.limit),
            "X-RateLimit-Remaining": str(allowance.remaining),
            "X-RateLimit-Reset": str(allowance.reset_at),
            "X-RateLimit-Resource": "imports",
        }
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
