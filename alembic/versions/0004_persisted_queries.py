"""persisted queries: automatic persisted queries by SHA-256, shared by all processes

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22 04:55:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "persisted_query",
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("query", sa.String(length=20000), nullable=False),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_persisted_query")),
    )
    op.create_index(
        op.f("ix_persisted_query_updated_at"), "persisted_query", ["updated_at"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_persisted_query_updated_at"), table_name="persisted_query")
    op.drop_table("persisted_query")
