"""The root programme field."""

from __future__ import annotations

import strawberry

from schema.programme.types import Programme


@strawberry.type
class ProgrammeQueries:
    @strawberry.field(
        description="The national programme (โครงการเมืองอัจฉริยะ): targets, figures, milestones."
    )
    def programme(self) -> Programme:
        return Programme()
