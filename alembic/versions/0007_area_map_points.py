"""every smart-city area has a map point: its own, else its province's marker, and says which

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 19:30:00
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PRECISION = sa.Enum(
    "AREA",
    "PROVINCE",
    name="locationprecision",
    native_enum=False,
    create_constraint=True,
    length=32,
)

# The tables as this revision knows them, never the application's models (which move on).
city = sa.table(
    "city",
    sa.column("slug", sa.String()),
    sa.column("province_id", sa.Integer()),
    sa.column("latitude", sa.Float()),
    sa.column("longitude", sa.Float()),
    sa.column("location_precision", sa.String()),
    sa.column("updated_at", sa.DateTime(timezone=True)),
)
province = sa.table(
    "province",
    sa.column("id", sa.Integer()),
    sa.column("latitude", sa.Float()),
    sa.column("longitude", sa.Float()),
)
change = sa.table(
    "change",
    sa.column("subject_type", sa.String()),
    sa.column("subject_key", sa.String()),
    sa.column("operation", sa.String()),
    sa.column("updated_at", sa.DateTime(timezone=True)),
)


def _provinces(column: str) -> sa.ScalarSelect[float]:
    return (
        sa.select(province.c[column]).where(province.c.id == city.c.province_id).scalar_subquery()
    )


def _record_updates(connection: sa.Connection, where: sa.ColumnElement[bool]) -> None:
    """Move `updated_at` of the areas `where` selects and publish each change in the feed,
    as every other write does, so partners syncing with `updatedSince` fetch them again."""
    now = datetime.now(UTC)
    slugs = sa.select(
        sa.literal("City"), city.c.slug, sa.literal("UPDATE"), sa.literal(now, sa.DateTime(True))
    ).where(where)
    connection.execute(
        change.insert().from_select(
            ["subject_type", "subject_key", "operation", "updated_at"], slugs
        )
    )
    connection.execute(city.update().where(where).values(updated_at=now))


def upgrade() -> None:
    connection = op.get_bind()
    own = city.c.latitude.is_not(None) & city.c.longitude.is_not(None)
    # Refused before anything changes: on SQLite a column added is not rolled back.
    unplaced = connection.scalars(
        sa.select(city.c.slug)
        .join(province, province.c.id == city.c.province_id)
        .where(~own, province.c.latitude.is_(None) | province.c.longitude.is_(None))
        .order_by(city.c.slug)
    ).all()
    if unplaced:
        raise RuntimeError(
            "these areas have no map point and neither has their province: "
            f"{', '.join(unplaced)}; give each province (or area) a point, then migrate again"
        )
    with op.batch_alter_table("city") as batch:
        batch.add_column(sa.Column("location_precision", PRECISION, nullable=True))
    connection.execute(city.update().where(own).values(location_precision="AREA"))
    connection.execute(
        city.update()
        .where(~own)
        .values(
            latitude=_provinces("latitude"),
            longitude=_provinces("longitude"),
            location_precision="PROVINCE",
        )
    )
    _record_updates(connection, sa.true())
    with op.batch_alter_table("city") as batch:
        batch.alter_column("latitude", existing_type=sa.Float(), nullable=False)
        batch.alter_column("longitude", existing_type=sa.Float(), nullable=False)
        batch.alter_column("location_precision", existing_type=PRECISION, nullable=False)


def downgrade() -> None:
    connection = op.get_bind()
    borrowed = city.c.location_precision == "PROVINCE"
    _record_updates(connection, borrowed)
    with op.batch_alter_table("city") as batch:
        batch.alter_column("latitude", existing_type=sa.Float(), nullable=True)
        batch.alter_column("longitude", existing_type=sa.Float(), nullable=True)
    connection.execute(city.update().where(borrowed).values(latitude=None, longitude=None))
    with op.batch_alter_table("city") as batch:
        # The CHECK of its values first: SQLite's rebuilt table would keep it, naming a
        # column no longer there.
        batch.drop_constraint(op.f("ck_city_locationprecision"), type_="check")
        batch.drop_column("location_precision")
