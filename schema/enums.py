"""The domain's closed vocabularies as GraphQL enums, registered once.

`db.enums` defines them; registering them here, before any type or filter uses them, gives each
exactly one GraphQL definition (generic filters such as `EnumFilter[Region]` need that).
"""

import strawberry

from db import enums

strawberry.enum(
    enums.CityType,
    description=(
        "The programme's two kinds of smart city: `EXISTING`, an existing livable city "
        "(เมืองเดิมน่าอยู่), and `NEW`, a new modern city (เมืองใหม่ทันสมัย)."
    ),
)

strawberry.enum(
    enums.CityStatus,
    description=(
        "Where an area stands in certification (สถานะการรับรอง): proposed, under review, "
        "approved in principle, certified (may use the smart-city mark), lapsed, renewed."
    ),
)

strawberry.enum(
    enums.Certainty,
    description=(
        "How firmly the sources establish a fact (ความน่าเชื่อถือ): `CONFIRMED` by an official "
        "or operator page or two independent reports, `REPORTED` by a single news or secondary "
        "source, `UNCERTAIN` where the figure's scope or its link to the area is unclear."
    ),
)

strawberry.enum(enums.Currency, description="ISO 4217 currency code.")

strawberry.enum(
    enums.InvestmentKind,
    description=(
        "Who puts the money in (ประเภทการลงทุน): public, private, public-private partnership, "
        "BOI-promoted, the operator itself, or not stated by the source."
    ),
)

strawberry.enum(
    enums.InvestmentStage,
    description="Whether the money was spent, is expected, budgeted, or only requested.",
)

strawberry.enum(
    enums.MilestoneStatus,
    description=(
        "Open Contracting milestone status (สถานะ): `SCHEDULED` (planned as of its source; the "
        "outcome may not have been checked), `MET`, `NOT_MET`, `PARTIALLY_MET`."
    ),
)

strawberry.enum(
    enums.MilestoneType, description="What kind of step it is, after Open Contracting's types."
)

strawberry.enum(
    enums.OrganizationKind, description="What kind of body an organisation is (ประเภทองค์กร)."
)

strawberry.enum(
    enums.ProjectStatus,
    description="Where a project stands (สถานะโครงการ); null where the sources are unclear.",
)

strawberry.enum(
    enums.Region,
    description=(
        "Thailand's six geographic regions (ภาค), as in kongvut/thai-province-data: NORTH "
        "ภาคเหนือ, CENTRAL ภาคกลาง (with Bangkok), NORTHEAST ภาคตะวันออกเฉียงเหนือ, WEST "
        "ภาคตะวันตก, EAST ภาคตะวันออก, SOUTH ภาคใต้."
    ),
)

strawberry.enum(
    enums.AscnCohort,
    description="When a member joined the ASEAN Smart Cities Network: the 2018 pilot or later.",
)

strawberry.enum(enums.ChangeOperation, description="What happened to a record.")
