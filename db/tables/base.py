"""What every table shares: an integer primary key and `updated_at`."""

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from db.types import UtcDateTime, utcnow

# Constraint names that are the same on every database, so Alembic migrations can name them.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def enum_type(enum: type[StrEnum]) -> sa.Enum:
    """A portable enum column: VARCHAR with a CHECK, no PostgreSQL `CREATE TYPE` to migrate."""
    return sa.Enum(
        enum,
        native_enum=False,
        create_constraint=True,
        length=32,
        name=enum.__name__.lower(),
    )


class Timestamped(SQLModel):
    """`updated_at` moves whenever the row changes, so partners can sync with `updatedSince`."""

    updated_at: datetime = Field(
        default_factory=utcnow,
        sa_type=UtcDateTime,
        sa_column_kwargs={"onupdate": utcnow},
        nullable=False,
        index=True,
    )


class Record(Timestamped):
    id: int | None = Field(default=None, primary_key=True)
