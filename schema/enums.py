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
    enums.InvestmentStage: (
        "Whether the money was spent (`ACTUAL`), is expected, budgeted, or only requested; "
        "`REGISTERED_CAPITAL` is a company's registered capital, its means rather than money "
        "spent in the area, so it is never counted as actual investment."
    ),
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
    enums.RoleKind: (
        "The part played in a body or at a dated step (บทบาท): `CHAIR` (ประธาน), "
        "`JOINT_SECRETARY` (กรรมการและเลขานุการร่วม), `HOST` (the organisation a body sits "
        "at), `LEAD_ORGANISER` and `CO_ORGANISER` of an event, `PARTICIPANT`."
    ),
    enums.TextOrigin: (
        "Where a text's words come from (ที่มาของถ้อยคำ): `PRINTED` as the cited source prints "
        "them, so they may be quoted; `TRANSLATION`, our rendering of a printed name in the "
        "other language; `SUMMARY`, our own words, not the source's."
    ),
    enums.ScreeningOutcome: (
        "What a screening decided about a proposal (ผลการพิจารณา): `FORWARDED`, passed and "
        "sent on to the next body; `APPROVED_IN_PRINCIPLE`, approved in principle, to be "
        "revised and screened again."
    ),
    enums.KeyRole: (
        "What an API key may do (บทบาทของกุญแจ): `READER` reads with a larger budget; "
        "`EDITOR` also edits and imports; `ADMIN` also reads the audit trail."
    ),
    enums.AuditAction: (
        "What a write did: created, updated or deleted a record, or (`SEED`) brought the "
        "database to the fixtures."
    ),
    enums.EditChannel: (
        "How a write reached the database: a GraphQL mutation, a spreadsheet import, or a "
        "command run on the server (`CLI`)."
    ),
    enums.ProblemCode: (
        "Why an edit or an imported row was refused (รหัสข้อผิดพลาด), a stable code: a value "
        "that is `INVALID` or `REQUIRED`, an `UNKNOWN_FIELD`, a key naming no record "
        "(`UNKNOWN_REFERENCE`), no source cited (`SOURCE_REQUIRED`), a natural key already "
        "`TAKEN`, a key given twice in one file (`DUPLICATE`), a record `NOT_FOUND`, changed "
        "since it was read (`CONFLICT`), still referred "
        "to (`IN_USE`), reference data (`NOT_EDITABLE`), or an observation already corrected "
        "(`SUPERSEDED`)."
    ),
    enums.LocationPrecision: (
        "What an area's map point marks (ความละเอียดของตำแหน่ง): the area itself, or only "
        "the province it lies in."
    ),
}

# Values whose meaning a client must not guess from the name alone.
VALUE_DESCRIPTIONS: dict[Enum, str] = {
    enums.LocationPrecision.AREA: "The area's own point, as a source gives it.",
    enums.LocationPrecision.PROVINCE: (
        "No source gives the area's own point: this is its province's map marker (the "
        "provincial capital or town centre, from the province reference data), which may lie "
        "far from the area. Do not read it as where the area is."
    ),
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
        _describe_values(enum)


def _describe_values(enum: type[Enum]) -> None:
    members = enum.__members__
    assert has_enum_definition(enum)  # `register` has just defined it
    for value in enum.__strawberry_definition__.values:
        value.description = VALUE_DESCRIPTIONS.get(members[value.name], value.description)
