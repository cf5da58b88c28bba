"""indexes for the paths that grow: latest figures, a record's sources, a province's phases

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 13:20:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_observation_city_indicator_as_of",
        "observation",
        ["city_id", "indicator", "as_of"],
        unique=False,
    )
    op.create_index(
        "ix_citation_subject", "citation", ["subject_type", "subject_id"], unique=False
    )
    op.create_index(
        op.f("ix_programme_phase_province_province_id"),
        "programme_phase_province",
        ["province_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(
        op.f("ix_programme_phase_province_province_id"), table_name="programme_phase_province"
    )
    op.drop_index("ix_citation_subject", table_name="citation")
    op.drop_index("ix_observation_city_indicator_as_of", table_name="observation")
