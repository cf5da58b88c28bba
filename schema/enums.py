"""The domain's closed vocabularies as GraphQL enums, each described once.

`db.enums` defines them; `register`, called when the schema is built (`schema.build`), gives
each exactly one GraphQL definition, with its description.
"""

from enum import Enum

import strawberry
from strawberry.types.enum import has_enum_definition

from db import enums

DESCRIPTIONS: dict[type[Enum], str] = {
    enums.CityType: (
        "The programme's two kinds of smart city: `EXISTING`, an existing livable city "
        "(เมืองเดิมน่าอยู่), and `NEW`, a new modern city (เมืองใหม่ทันสมัย)."
    ),
    enums.CityStatus: (
        "Where an area stands in certification (สถานะการรับรอง): proposed, under review, "
        "approved in principle, certified (may use the smart-city mark), lapsed, renewed."
    ),
    enums.Certainty: (
        "How firmly the sources establish a fact (ความน่าเชื่อถือ): `CONFIRMED` by an official "
        "or operator page or two independent reports, `REPORTED` by a single news or secondary "
        "source, `UNCERTAIN` where the figure's scope or its link to the area is unclear."
    ),
    enums.Currency: "ISO 4217 currency code.",
    enums.InvestmentKind: (
        "Who puts the money in (ประเภทการลงทุน): public, private, public-private partnership, "
        "BOI-promoted, the operator itself, or not stated by the source."
    ),
    enums.InvestmentStage: "Whether the money was spent, is expected, budgeted, or only requested.",
    enums.MilestoneStatus: (
        "Open Contracting milestone status (สถานะ): `SCHEDULED` (planned as of its source; the "
        "outcome may not have been checked), `MET`, `NOT_MET`, `PARTIALLY_MET`."
    ),
    enums.MilestoneType: "What kind of step it is, after Open Contracting's types.",
    enums.OrganizationKind: "What kind of body an organisation is (ประเภทองค์กร).",
    enums.ProjectStatus: (
        "Where a project stands (สถานะโครงการ); null where the sources are unclear."
    ),
    enums.Region: (
        "Thailand's six geographic regions (ภาค), as in kongvut/thai-province-data: NORTH "
        "ภาคเหนือ, CENTRAL ภาคกลาง (with Bangkok), NORTHEAST ภาคตะวันออกเฉียงเหนือ, WEST "
        "ภาคตะวันตก, EAST ภาคตะวันออก, SOUTH ภาคใต้."
    ),
    enums.AscnCohort: (
        "When a member joined the ASEAN Smart Cities Network: the 2018 pilot or later."
    ),
    enums.ChangeOperation: "What happened to a record.",
}


def register() -> None:
    """Make every enum a described GraphQL enum; a second call changes nothing."""
    for enum, description in DESCRIPTIONS.items():
        if has_enum_definition(enum):
            # Strawberry defines an enum, undescribed, when a generic input such as
            # `EnumFilter[Region]` is first specialised, which may be before this runs.
            enum.__strawberry_definition__.description = description
        else:
            strawberry.enum(enum, description=description)
