from decimal import Decimal

from sqlmodel import Field

from db.enums import Certainty, ProjectStatus
from db.tables.base import Record, Timestamped, enum_type
from db.types import ExactDecimal


class Project(Record, table=True):
    slug: str = Field(max_length=80, unique=True)
    city_id: int | None = Field(default=None, foreign_key="city.id", index=True)
    # Always set: some projects belong to a province but to no single certified area.
    province_id: int = Field(foreign_key="province.id", index=True)
    title_th: str | None = Field(default=None, max_length=500)
    title_en: str | None = Field(default=None, max_length=500)
    status: ProjectStatus | None = Field(default=None, sa_type=enum_type(ProjectStatus))
    start_on: str | None = Field(default=None, max_length=10)
    end_on: str | None = Field(default=None, max_length=10)
    budget: Decimal | None = Field(default=None, sa_type=ExactDecimal(18, 2))
    operator_id: int | None = Field(default=None, foreign_key="organization.id", index=True)
    is_headline: bool = False
    certainty: Certainty = Field(sa_type=enum_type(Certainty))


class ProjectDimension(Timestamped, table=True):
    __tablename__ = "project_dimension"
    project_id: int = Field(foreign_key="project.id", primary_key=True, ondelete="CASCADE")
    dimension_id: int = Field(
        foreign_key="dimension.id", primary_key=True, index=True, ondelete="CASCADE"
    )
