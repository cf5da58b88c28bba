from decimal import Decimal

from sqlmodel import Field

from db.enums import Certainty, Currency, InvestmentKind, InvestmentStage
from db.tables.base import Record, enum_type
from db.types import ExactDecimal


class Investment(Record, table=True):
    key: str = Field(max_length=120, unique=True)
    city_id: int = Field(foreign_key="city.id", index=True)
    project_id: int | None = Field(default=None, foreign_key="project.id", index=True)
    amount: Decimal = Field(sa_type=ExactDecimal(18, 2))
    currency: Currency = Field(sa_type=enum_type(Currency))
    kind: InvestmentKind = Field(sa_type=enum_type(InvestmentKind))
    stage: InvestmentStage = Field(sa_type=enum_type(InvestmentStage))
    label_en: str | None = Field(default=None, max_length=300)
    investor_id: int | None = Field(default=None, foreign_key="organization.id", index=True)
    as_of: str | None = Field(default=None, max_length=10)
    certainty: Certainty = Field(sa_type=enum_type(Certainty))
