"""Root fields for projects."""

from __future__ import annotations

import strawberry

from db.tables import Project as ProjectRow
from schema.common import Slug, load_one
from schema.connections import connection_field, lookup
from schema.context import Info
from schema.projects.filters import PROJECTS
from schema.projects.types import Project


@strawberry.type
class ProjectQueries:
    projects = connection_field(
        "Projects in the areas' plans (โครงการ), by slug.",
        Project,
        PROJECTS,
        ProjectRow,
    )

    @strawberry.field(description="A project (โครงการ) by its slug.", metadata=lookup(Project))
    async def project(self, info: Info, slug: Slug) -> Project | None:
        return await load_one(info, Project, slug)
