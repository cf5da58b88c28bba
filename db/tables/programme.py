from sqlmodel import Field

from db.tables.base import Record, Timestamped


class ProgrammePhase(Record, table=True):
    """A phase of the national programme and its targets (areas, provinces incl. Bangkok)."""

    __tablename__ = "programme_phase"

    key: str = Field(max_length=32, unique=True)
    position: int
    name_th: str | None = Field(default=None, max_length=200)
    name_en: str | None = Field(default=None, max_length=200)
    start_year: int | None = None
    end_year: int | None = None
    target_areas: int | None = None
    target_provinces: int | None = None


class ProgrammePhaseProvince(Timestamped, table=True):
    """A province a phase's target names."""

    __tablename__ = "programme_phase_province"

    phase_id: int = Field(foreign_key="programme_phase.id", primary_key=True, ondelete="CASCADE")
    # Indexed on its own: the primary key leads with the phase, and a province's phases
    # (and the cascade when a province goes) look it up by province.
    province_id: int = Field(
        foreign_key="province.id", primary_key=True, ondelete="CASCADE", index=True
    )


class CoverageNote(Record, table=True):
    """Where the published lists are known to be incomplete, said plainly."""

    __tablename__ = "coverage_note"

    key: str = Field(max_length=64, unique=True)
    position: int = Field(unique=True)
    text_en: str = Field(max_length=1000)
    text_th: str | None = Field(default=None, max_length=1000)
