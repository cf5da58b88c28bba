"""column names match the API's fields (an area's certification round, a role's body); a
coverage note gets a stable key and a Thai text

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _rename_role_place(old: str, new: str) -> None:
    """The body a role is played in, renamed with its index, foreign key and check."""
    op.drop_index(op.f(f"ix_role_{old}"), table_name="role")
    # Two blocks: on SQLite, a block that renames a column leaves out any constraint it adds
    # on the new name. The check names the column in its text, so it is written again.
    with op.batch_alter_table("role") as batch:
        batch.drop_constraint(op.f("ck_role_played_in_one_place"), type_="check")
        batch.drop_constraint(op.f(f"fk_role_{old}_organization"), type_="foreignkey")
        batch.alter_column(old, new_column_name=new)
    with op.batch_alter_table("role") as batch:
        batch.create_foreign_key(op.f(f"fk_role_{new}_organization"), "organization", [new], ["id"])
        batch.create_check_constraint(
            op.f("ck_role_played_in_one_place"), f"({new} IS NULL) <> (milestone_id IS NULL)"
        )
    op.create_index(op.f(f"ix_role_{new}"), "role", [new], unique=False)


def upgrade() -> None:
    with op.batch_alter_table("city") as batch:
        batch.alter_column("round", new_column_name="certification_round")
    _rename_role_place("organization_id", "body_id")
    # Notes stored before keys existed get a provisional one from their position; loading the
    # fixtures replaces them with the notes' own keys and Thai texts.
    with op.batch_alter_table("coverage_note") as batch:
        batch.add_column(sa.Column("key", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("text_th", sa.String(length=1000), nullable=True))
    op.execute(sa.text("UPDATE coverage_note SET key = 'note-' || CAST(position AS VARCHAR(12))"))
    with op.batch_alter_table("coverage_note") as batch:
        batch.alter_column("key", existing_type=sa.String(length=64), nullable=False)
        batch.create_unique_constraint(op.f("uq_coverage_note_key"), ["key"])


def downgrade() -> None:
    with op.batch_alter_table("coverage_note") as batch:
        batch.drop_constraint(op.f("uq_coverage_note_key"), type_="unique")
        batch.drop_column("text_th")
        batch.drop_column("key")
    _rename_role_place("body_id", "organization_id")
    with op.batch_alter_table("city") as batch:
        batch.alter_column("certification_round", new_column_name="round")
