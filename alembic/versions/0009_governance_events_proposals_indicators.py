"""governance bodies' roles, events with their venue and participants, screened proposals,
what indicators measure, registered capital apart from investment, and where the words of
an organisation's English name and an observation's text come from; other values where
sources disagree

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 20:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KINDS = (
    "GOVERNMENT_AGENCY",
    "STATE_ENTERPRISE",
    "LOCAL_GOVERNMENT",
    "UNIVERSITY",
    "COMPANY",
    "OTHER",
)
NEW_KINDS = ("COMMITTEE", "WORKING_GROUP")
STAGES = ("ACTUAL", "EXPECTED", "BUDGETED", "REQUESTED")
NEW_STAGES = ("REGISTERED_CAPITAL",)


def _origin() -> sa.Enum:
    return _enum("textorigin", "PRINTED", "TRANSLATION", "SUMMARY")


def _enum(name: str, *values: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=32)


def _record(name: str, *columns: sa.Column[object] | sa.Constraint) -> None:
    op.create_table(
        name,
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        *columns,
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{name}")),
    )
    op.create_index(op.f(f"ix_{name}_updated_at"), name, ["updated_at"], unique=False)


def _foreign(table: str, column: str, target: str, *, nullable: bool = True) -> sa.Column[int]:
    return sa.Column(
        column,
        sa.Integer(),
        sa.ForeignKey(f"{target}.id", name=op.f(f"fk_{table}_{column}_{target}")),
        nullable=nullable,
    )


def upgrade() -> None:
    # One block a table: on SQLite each block rebuilds the table once.
    with op.batch_alter_table("organization") as batch:
        batch.alter_column(
            "kind",
            existing_type=_enum("organizationkind", *KINDS),
            type_=_enum("organizationkind", *KINDS, *NEW_KINDS),
        )
        batch.add_column(
            sa.Column("name_en_origin", _origin(), nullable=False, server_default="PRINTED")
        )
    with op.batch_alter_table("investment") as batch:
        batch.alter_column(
            "stage",
            existing_type=_enum("investmentstage", *STAGES),
            type_=_enum("investmentstage", *STAGES, *NEW_STAGES),
        )
    with op.batch_alter_table("observation") as batch:
        batch.add_column(
            sa.Column("value_text_origin", _origin(), nullable=False, server_default="PRINTED")
        )
    with op.batch_alter_table("milestone") as batch:
        batch.add_column(sa.Column("ends_on", sa.String(length=10), nullable=True))
        batch.add_column(sa.Column("organization_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("venue_th", sa.String(length=300), nullable=True))
        batch.create_foreign_key(
            op.f("fk_milestone_organization_id_organization"),
            "organization",
            ["organization_id"],
            ["id"],
        )
        batch.create_index(op.f("ix_milestone_organization_id"), ["organization_id"], unique=False)

    _record(
        "role",
        sa.Column("key", sa.String(length=120), nullable=False),
        sa.Column(
            "role",
            _enum(
                "rolekind",
                "CHAIR",
                "JOINT_SECRETARY",
                "HOST",
                "LEAD_ORGANISER",
                "CO_ORGANISER",
                "PARTICIPANT",
            ),
            nullable=False,
        ),
        _foreign("role", "organization_id", "organization"),
        _foreign("role", "milestone_id", "milestone"),
        _foreign("role", "holder_id", "organization"),
        _foreign("role", "province_id", "province"),
        sa.Column("name_th", sa.String(length=300), nullable=True),
        sa.Column("position_th", sa.String(length=300), nullable=True),
        sa.Column("as_of", sa.String(length=10), nullable=True),
        sa.CheckConstraint(
            "(organization_id IS NULL) <> (milestone_id IS NULL)",
            name=op.f("ck_role_played_in_one_place"),
        ),
        sa.CheckConstraint(
            "holder_id IS NOT NULL OR province_id IS NOT NULL OR name_th IS NOT NULL",
            name=op.f("ck_role_played_by_someone"),
        ),
        sa.UniqueConstraint("key", name=op.f("uq_role_key")),
    )
    for column in ("organization_id", "milestone_id", "holder_id", "province_id"):
        op.create_index(op.f(f"ix_role_{column}"), "role", [column], unique=False)

    _record(
        "proposal",
        sa.Column("key", sa.String(length=120), nullable=False),
        sa.Column("title_th", sa.String(length=300), nullable=False),
        _foreign("proposal", "proposer_id", "organization", nullable=False),
        _foreign("proposal", "province_id", "province", nullable=False),
        _foreign("proposal", "city_id", "city"),
        sa.Column("screened_on", sa.String(length=10), nullable=False),
        _foreign("proposal", "screened_by_id", "organization", nullable=False),
        sa.Column(
            "outcome",
            _enum("screeningoutcome", "FORWARDED", "APPROVED_IN_PRINCIPLE"),
            nullable=False,
        ),
        _foreign("proposal", "forwarded_to_id", "organization"),
        sa.UniqueConstraint("key", name=op.f("uq_proposal_key")),
    )
    for column in (
        "proposer_id",
        "province_id",
        "city_id",
        "screened_by_id",
        "forwarded_to_id",
    ):
        op.create_index(op.f(f"ix_proposal_{column}"), "proposal", [column], unique=False)

    _record(
        "indicator",
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("name_th", sa.String(length=300), nullable=True),
        sa.Column("name_en", sa.String(length=300), nullable=True),
        sa.Column("method_th", sa.String(length=1000), nullable=True),
        sa.Column("method_en", sa.String(length=1000), nullable=True),
        _foreign("indicator", "compiled_by_id", "organization"),
        sa.UniqueConstraint("code", name=op.f("uq_indicator_code")),
    )
    op.create_index(
        op.f("ix_indicator_compiled_by_id"), "indicator", ["compiled_by_id"], unique=False
    )


    _record(
        "alternative",
        sa.Column("key", sa.String(length=120), nullable=False),
        sa.Column("subject_type", sa.String(length=32), nullable=False),
        sa.Column("subject_key", sa.String(length=120), nullable=False),
        sa.Column("field", sa.String(length=64), nullable=False),
        sa.Column("value", sa.String(length=500), nullable=False),
        sa.Column("note_en", sa.String(length=500), nullable=True),
        sa.UniqueConstraint("key", name=op.f("uq_alternative_key")),
    )
    op.create_index(
        "ix_alternative_subject", "alternative", ["subject_type", "subject_key"], unique=False
    )


def downgrade() -> None:
    # The dropped records' citations go with them (a citation names its record by table).
    citation = sa.table("citation", sa.column("subject_type", sa.String()))
    op.execute(
        citation.delete().where(
            citation.c.subject_type.in_(("alternative", "indicator", "proposal", "role"))
        )
    )
    op.drop_table("alternative")
    op.drop_table("indicator")
    op.drop_table("proposal")
    op.drop_table("role")
    with op.batch_alter_table("milestone") as batch:
        batch.drop_index(op.f("ix_milestone_organization_id"))
        batch.drop_constraint(op.f("fk_milestone_organization_id_organization"), type_="foreignkey")
        batch.drop_column("venue_th")
        batch.drop_column("organization_id")
        batch.drop_column("ends_on")
    # The enum's CHECK first: SQLite's copy of the table would otherwise keep it.
    with op.batch_alter_table("observation") as batch:
        batch.drop_constraint(op.f("ck_observation_textorigin"), type_="check")
        batch.drop_column("value_text_origin")
    # Back to what the older vocabularies could say: capital was counted as spent, and the
    # programme's bodies were organisations of another kind.
    investment = sa.table("investment", sa.column("stage", sa.String()))
    op.execute(
        investment.update().where(investment.c.stage.in_(NEW_STAGES)).values(stage="ACTUAL")
    )
    with op.batch_alter_table("investment") as batch:
        batch.alter_column(
            "stage",
            existing_type=_enum("investmentstage", *STAGES, *NEW_STAGES),
            type_=_enum("investmentstage", *STAGES),
        )
    organization = sa.table("organization", sa.column("kind", sa.String()))
    op.execute(
        organization.update().where(organization.c.kind.in_(NEW_KINDS)).values(kind="OTHER")
    )
    with op.batch_alter_table("organization") as batch:
        batch.drop_constraint(op.f("ck_organization_textorigin"), type_="check")
        batch.drop_column("name_en_origin")
        batch.alter_column(
            "kind",
            existing_type=_enum("organizationkind", *KINDS, *NEW_KINDS),
            type_=_enum("organizationkind", *KINDS),
        )
