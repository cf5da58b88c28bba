"""change feed: one row per create, update and delete of a published record

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 04:47:08
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "change",
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subject_type", sa.String(length=32), nullable=False),
        sa.Column("subject_key", sa.String(length=120), nullable=False),
        sa.Column("operation", sa.String(length=8), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_change")),
    )
    op.create_index(op.f("ix_change_updated_at"), "change", ["updated_at"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_change_updated_at"), table_name="change")
    op.drop_table("change")
