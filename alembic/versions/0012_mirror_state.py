"""where a mirror made by `smartcity mirror` stands: its source and feed position

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "mirror_state",
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_url", sa.String(length=500), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mirror_state")),
        sa.UniqueConstraint("source_url", name=op.f("uq_mirror_state_source_url")),
    )
    op.create_index(
        op.f("ix_mirror_state_updated_at"), "mirror_state", ["updated_at"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_mirror_state_updated_at"), table_name="mirror_state")
    op.drop_table("mirror_state")
