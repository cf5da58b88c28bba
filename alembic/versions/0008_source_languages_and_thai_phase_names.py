"""a source's language, and a programme phase's Thai name

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 19:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("source") as batch:
        batch.add_column(sa.Column("language", sa.String(length=8), nullable=True))
    with op.batch_alter_table("programme_phase") as batch:
        batch.add_column(sa.Column("name_th", sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("programme_phase") as batch:
        batch.drop_column("name_th")
    with op.batch_alter_table("source") as batch:
        batch.drop_column("language")
