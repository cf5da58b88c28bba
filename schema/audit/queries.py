"""The root audit-trail field."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from db.audit import AuditFilter
from db.enums import KeyRole
from schema.audit.types import AuditEntry, AuditFirst, audit_trail, subject_of
from schema.context import Info
from schema.limits import requires
from schema.pagination import Connection


@strawberry.type
class AuditQueries:
    @strawberry.field(
        description=(
            "The audit trail (admins only; บันทึกการแก้ไข): every write to a published record, "
            "oldest first, by whom and why. Filter by record, by the writing key's name, and "
            "by time."
        ),
        metadata=requires(KeyRole.ADMIN),
    )
    async def audit_log(
        self,
        info: Info,
        subject: Annotated[
            strawberry.ID | None,
            strawberry.argument(description="Only writes to the record with this global ID."),
        ] = None,
        actor: Annotated[
            str | None, strawberry.argument(description="Only writes by the key of this name.")
        ] = None,
        since: Annotated[
            datetime | None, strawberry.argument(description="Only writes at or after this time.")
        ] = None,
        until: Annotated[
            datetime | None, strawberry.argument(description="Only writes before this time.")
        ] = None,
        first: AuditFirst = 100,
        after: Annotated[
            str | None,
            strawberry.argument(description="Resume after this cursor (an `endCursor`)."),
        ] = None,
    ) -> Connection[AuditEntry]:
        where = AuditFilter(subject_of(subject), actor, since, until)
        return await audit_trail(info, where, first, after)
