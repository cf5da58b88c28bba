"""api keys carry a role (reader, editor, admin); an audit trail of every write; an
observation may supersede the one it corrects

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 22:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _enum(name: str, *values: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=32)


def upgrade() -> None:
    op.create_table(
        "audit_entry",
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("actor_key_id", sa.Integer(), nullable=True),
        sa.Column("actor_name", sa.String(length=200), nullable=False),
        sa.Column(
            "action", _enum("auditaction", "CREATE", "UPDATE", "DELETE", "SEED"), nullable=False
        ),
        sa.Column("channel", _enum("editchannel", "GRAPHQL", "IMPORT", "CLI"), nullable=False),
        sa.Column("subject_type", sa.String(length=32), nullable=True),
        sa.Column("subject_key", sa.String(length=120), nullable=True),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
        sa.Column("reason", sa.String(length=1000), nullable=True),
        sa.ForeignKeyConstraint(
            ["actor_key_id"], ["api_key.id"], name=op.f("fk_audit_entry_actor_key_id_api_key")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_entry")),
    )
    op.create_index(op.f("ix_audit_entry_actor_key_id"), "audit_entry", ["actor_key_id"])
    op.create_index("ix_audit_entry_subject", "audit_entry", ["subject_type", "subject_key"])
    op.create_index(op.f("ix_audit_entry_updated_at"), "audit_entry", ["updated_at"])
    # Every key issued so far reads: that is all a key could do before roles.
    with op.batch_alter_table("api_key") as batch:
        batch.add_column(
            sa.Column(
                "role",
                _enum("keyrole", "READER", "EDITOR", "ADMIN"),
                nullable=False,
                server_default="READER",
            )
        )
    with op.batch_alter_table("observation") as batch:
        batch.add_column(sa.Column("supersedes_id", sa.Integer(), nullable=True))
        batch.create_unique_constraint(op.f("uq_observation_supersedes_id"), ["supersedes_id"])
        batch.create_foreign_key(
            op.f("fk_observation_supersedes_id_observation"),
            "observation",
            ["supersedes_id"],
            ["id"],
        )


def downgrade() -> None:
    with op.batch_alter_table("observation") as batch:
        batch.drop_constraint(
            op.f("fk_observation_supersedes_id_observation"), type_="foreignkey"
        )
        batch.drop_constraint(op.f("uq_observation_supersedes_id"), type_="unique")
        batch.drop_column("supersedes_id")
    with op.batch_alter_table("api_key") as batch:
        batch.drop_constraint(op.f("ck_api_key_keyrole"), type_="check")
        batch.drop_column("role")
    op.drop_index(op.f("ix_audit_entry_updated_at"), table_name="audit_entry")
    op.drop_index("ix_audit_entry_subject", table_name="audit_entry")
    op.drop_index(op.f("ix_audit_entry_actor_key_id"), table_name="audit_entry")
    op.drop_table("audit_entry")
