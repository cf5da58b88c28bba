from sqlmodel import Field

from db.enums import MilestoneStatus, MilestoneType
from db.tables.base import Record, enum_type


class Milestone(Record, table=True):
    """A dated step, modelled on the Open Contracting milestone.

    It belongs to a project, an area, a province, or (all three null) the whole programme.
    """

    key: str = Field(max_length=120, unique=True)
    project_id: int | None = Field(default=None, foreign_key="project.id", index=True)
    city_id: int | None = Field(default=None, foreign_key="city.id", index=True)
    province_id: int | None = Field(default=None, foreign_key="province.id", index=True)
    title_en: str | None = Field(default=None, max_length=500)
    title_th: str | None = Field(default=None, max_length=500)
    type: MilestoneType | None = Field(default=None, sa_type=enum_type(MilestoneType))
    status: MilestoneStatus = Field(sa_type=enum_type(MilestoneStatus), index=True)
    due_on: str | None = Field(default=None, max_length=10)
    met_on: str | None = Field(default=None, max_length=10)
    # A step that lasted several days (a workshop, a conference) ends on this day.
    ends_on: str | None = Field(default=None, max_length=10)
    # The body that met or took the step: a committee, a working group, an agency.
    organization_id: int | None = Field(default=None, foreign_key="organization.id", index=True)
    venue_th: str | None = Field(default=None, max_length=300)
