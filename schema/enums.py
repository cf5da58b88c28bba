"""The domain's closed vocabularies as GraphQL enums, each described once.

`db.enums` defines them; `register`, called when the schema is built (`schema.build`), gives
each exactly one GraphQL definition, with its description.
"""

from collections.abc import Mapping
from enum import Enum
from typing import Any, TypeVar

import strawberry
from strawberry.types.enum import has_enum_definition

from db import enums

E = TypeVar("E", bound=Enum)

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

# Every value, described once: a client should not have to guess a value's meaning from its
# name. By enum, then by member: `db` never imports Strawberry, so its members cannot carry
# GraphQL descriptions themselves, and members of two enums with the same name (`CREATE`)
# are equal strings, so one dict of all members would mix them up.
VALUE_DESCRIPTIONS: dict[type[Enum], dict[Any, str]] = {
    enums.CityType: {
        enums.CityType.EXISTING: (
            "An existing, livable city (เมืองเดิมน่าอยู่): a smart city developed where a city "
            "already stands."
        ),
        enums.CityType.NEW: (
            "A new, modern city (เมืองใหม่ทันสมัย): a smart city developed as a new urban area."
        ),
    },
    enums.CityStatus: {
        enums.CityStatus.PROPOSED: (
            "It has proposed a plan for the smart-city mark; no screening decision is recorded."
        ),
        enums.CityStatus.UNDER_REVIEW: (
            "Its proposal passed a screening and was sent on to the next body; not certified yet."
        ),
        enums.CityStatus.APPROVED_IN_PRINCIPLE: (
            "A screening approved its proposal in principle (เห็นชอบในหลักการ), to be revised and "
            "screened again; not certified yet."
        ),
        enums.CityStatus.CERTIFIED: (
            "Certified: it holds the smart-city mark (ตราสัญลักษณ์เมืองอัจฉริยะ) and may use it."
        ),
        enums.CityStatus.LAPSED: (
            "It was certified but no longer holds the mark; not counted as certified."
        ),
        enums.CityStatus.RENEWED: "Certified, and its mark since renewed; counted as certified.",
    },
    enums.Certainty: {
        enums.Certainty.CONFIRMED: (
            "An official or operator page states it, or two independent reports agree."
        ),
        enums.Certainty.REPORTED: "A single news or secondary source states it.",
        enums.Certainty.UNCERTAIN: (
            "A source prints it, but the figure's scope or its link to the area is unclear."
        ),
    },
    enums.Currency: {
        enums.Currency.THB: "Thai baht (บาท).",
        enums.Currency.USD: "United States dollar.",
    },
    enums.InvestmentKind: {
        enums.InvestmentKind.PUBLIC: (
            "Public money (ภาครัฐ): the state, a government agency or a local government."
        ),
        enums.InvestmentKind.PRIVATE: "Private money (ภาคเอกชน): companies or other investors.",
        enums.InvestmentKind.PPP: "A public-private partnership (PPP).",
        enums.InvestmentKind.BOI_PROMOTED: (
            "Investment promoted by the Board of Investment (BOI), which grants tax incentives "
            "to certified cities."
        ),
        enums.InvestmentKind.OPERATOR: (
            "The area's operator's own money, e.g. EGAT's budget for Mae Moh."
        ),
        enums.InvestmentKind.UNSTATED: "The source does not say whose money it is.",
    },
    enums.InvestmentStage: {
        enums.InvestmentStage.ACTUAL: "Money spent or invested, as the source reports it.",
        enums.InvestmentStage.EXPECTED: (
            "Money expected or announced, e.g. a developer's planned investment; not spent yet."
        ),
        enums.InvestmentStage.BUDGETED: (
            "Money allocated or approved (งบประมาณ), e.g. by the Cabinet; not known to be spent."
        ),
        enums.InvestmentStage.REQUESTED: "Money asked for; not known to have been granted.",
        enums.InvestmentStage.REGISTERED_CAPITAL: (
            "A company's registered capital (ทุนจดทะเบียน): its means, not money spent in the "
            "area, so never counted as actual investment."
        ),
    },
    enums.MilestoneStatus: {
        enums.MilestoneStatus.SCHEDULED: (
            "Planned, as of its source (`dueOn`); whether it happened may not have been checked."
        ),
        enums.MilestoneStatus.MET: "It happened (`metOn`).",
        enums.MilestoneStatus.NOT_MET: "It did not happen as planned.",
        enums.MilestoneStatus.PARTIALLY_MET: "It happened only in part.",
    },
    enums.MilestoneType: {
        enums.MilestoneType.PLANNING: (
            "Setting a plan, a phase or a framework, or assigning who does what."
        ),
        enums.MilestoneType.APPROVAL: (
            "A decision by a body that has the power to give it: an appointment, an approval, a "
            "certification or its ceremony."
        ),
        enums.MilestoneType.ENGAGEMENT: (
            "Meeting the people concerned: a workshop, a public hearing, a briefing, a "
            "network meeting."
        ),
        enums.MilestoneType.DELIVERY: (
            "Work or a service delivered, started or stopped: construction, an opening, the end "
            "of a service."
        ),
        enums.MilestoneType.REPORTING: "A report, a review of progress, or a published index.",
        enums.MilestoneType.FINANCING: "Money raised, granted or committed for the work.",
    },
    enums.OrganizationKind: {
        enums.OrganizationKind.GOVERNMENT_AGENCY: (
            "A ministry, department, office or agency of the state, or a province as a unit of "
            "administration, e.g. depa, the BOI, Phuket Province."
        ),
        enums.OrganizationKind.COMMITTEE: (
            "A committee or sub-committee (คณะกรรมการ), e.g. the national smart-city committee."
        ),
        enums.OrganizationKind.WORKING_GROUP: (
            "A working group (คณะทำงาน), e.g. the one that assesses smart-city plans."
        ),
        enums.OrganizationKind.STATE_ENTERPRISE: "A state enterprise (รัฐวิสาหกิจ), e.g. EGAT.",
        enums.OrganizationKind.LOCAL_GOVERNMENT: (
            "A local government: a municipality (เทศบาล), the Bangkok Metropolitan "
            "Administration, or a city's government abroad, such as the City of Vienna."
        ),
        enums.OrganizationKind.UNIVERSITY: (
            "A university (มหาวิทยาลัย) or an office of one, e.g. Chiang Mai University."
        ),
        enums.OrganizationKind.COMPANY: "A company (บริษัท), whoever owns it, e.g. KKTS or PTT.",
        enums.OrganizationKind.OTHER: (
            "None of the kinds above, e.g. a foreign agency such as Urban Innovation Vienna."
        ),
    },
    enums.ProjectStatus: {
        enums.ProjectStatus.PLANNED: "Planned or announced; work has not begun.",
        enums.ProjectStatus.IN_PROGRESS: "Under way: work has begun and is not finished.",
        enums.ProjectStatus.COMPLETED: "Finished: built, installed or delivered.",
        enums.ProjectStatus.STOPPED: (
            "Halted or ended before it was finished, or its service stopped."
        ),
    },
    enums.Region: {
        enums.Region.NORTH: "The north (ภาคเหนือ), 9 provinces, e.g. Chiang Mai.",
        enums.Region.CENTRAL: "The centre (ภาคกลาง), 22 provinces with Bangkok.",
        enums.Region.NORTHEAST: "The northeast (ภาคตะวันออกเฉียงเหนือ), 20 provinces, e.g. Khon Kaen.",
        enums.Region.WEST: "The west (ภาคตะวันตก), 5 provinces, e.g. Kanchanaburi.",
        enums.Region.EAST: "The east (ภาคตะวันออก), 7 provinces, e.g. Chon Buri and Rayong.",
        enums.Region.SOUTH: "The south (ภาคใต้), 14 provinces, e.g. Phuket.",
    },
    enums.AscnCohort: {
        enums.AscnCohort.PILOT_2018: (
            "One of the network's pilot cities, a member since 2018 (for Thailand: Bangkok, "
            "Chonburi, Phuket)."
        ),
        enums.AscnCohort.ADDED_LATER: "A member that joined after the 2018 pilot.",
    },
    enums.ChangeOperation: {
        enums.ChangeOperation.CREATE: "The record was created.",
        enums.ChangeOperation.UPDATE: (
            "The record changed: a field, or a link that belongs to it (e.g. a city's dimensions, "
            "a record's sources, a province's ASCN membership)."
        ),
        enums.ChangeOperation.DELETE: (
            "The record was deleted; the change keeps its type, key and global ID."
        ),
    },
    enums.RoleKind: {
        enums.RoleKind.CHAIR: "Chairs the body or the meeting (ประธาน).",
        enums.RoleKind.JOINT_SECRETARY: (
            "A member who also serves, with others, as the body's secretary "
            "(กรรมการและเลขานุการร่วม), e.g. depa, OTP and EPPO on the smart-city committee."
        ),
        enums.RoleKind.HOST: (
            "The organisation a body sits at, e.g. depa for the Smart City Thailand Office."
        ),
        enums.RoleKind.LEAD_ORGANISER: "Leads the organising of an event.",
        enums.RoleKind.CO_ORGANISER: "Organises an event with its lead organiser.",
        enums.RoleKind.PARTICIPANT: (
            "Takes part in a meeting or an event, e.g. a city's executives at a workshop."
        ),
    },
    enums.TextOrigin: {
        enums.TextOrigin.PRINTED: "As the cited source prints it, so it may be quoted.",
        enums.TextOrigin.TRANSLATION: (
            "Our rendering of a printed name in the other language, not a quotation."
        ),
        enums.TextOrigin.SUMMARY: "Our own words, not the source's.",
    },
    enums.ScreeningOutcome: {
        enums.ScreeningOutcome.FORWARDED: "Passed, and sent on to the next body.",
        enums.ScreeningOutcome.APPROVED_IN_PRINCIPLE: (
            "Approved in principle (เห็นชอบในหลักการ), to be revised and screened again."
        ),
    },
    enums.KeyRole: {
        enums.KeyRole.READER: "Reads, with a larger budget than anonymous clients.",
        enums.KeyRole.EDITOR: (
            "Also creates, updates and deletes records, and imports spreadsheets."
        ),
        enums.KeyRole.ADMIN: "Also reads the audit trail.",
    },
    enums.AuditAction: {
        enums.AuditAction.CREATE: "Created a record.",
        enums.AuditAction.UPDATE: "Updated a record.",
        enums.AuditAction.DELETE: "Deleted a record.",
        enums.AuditAction.SEED: (
            "`smartcity seed` brought the database to the fixtures; the entry names no record."
        ),
    },
    enums.EditChannel: {
        enums.EditChannel.GRAPHQL: "A GraphQL mutation.",
        enums.EditChannel.IMPORT: "A spreadsheet import, over HTTP or with `smartcity import`.",
        enums.EditChannel.CLI: "A command run on the server (`smartcity seed`).",
    },
    enums.ProblemCode: {
        enums.ProblemCode.INVALID: (
            "A value of the wrong type or form, one its field cannot hold, or records that "
            "disagree."
        ),
        enums.ProblemCode.REQUIRED: "A value that must be given is missing.",
        enums.ProblemCode.UNKNOWN_FIELD: "A field (a column) the record does not have.",
        enums.ProblemCode.UNKNOWN_REFERENCE: "A key that names no record.",
        enums.ProblemCode.SOURCE_REQUIRED: "A create or update that cites no source.",
        enums.ProblemCode.TAKEN: "The natural key (slug, code or key) is another record's.",
        enums.ProblemCode.DUPLICATE: "An imported file gives the same key on two rows.",
        enums.ProblemCode.NOT_FOUND: "No record has the key given.",
        enums.ProblemCode.CONFLICT: (
            "The record changed since the version the edit was based on: read it again."
        ),
        enums.ProblemCode.IN_USE: (
            "Other records refer to it or cite it, so it cannot be deleted."
        ),
        enums.ProblemCode.NOT_EDITABLE: (
            "Reference data, changed only by a release of the fixtures, or a record that is "
            "only ever added (an observation: correct it with a new one)."
        ),
        enums.ProblemCode.SUPERSEDED: (
            "The observation named has already been corrected: supersede its correction instead."
        ),
    },
    enums.LocationPrecision: {
        enums.LocationPrecision.AREA: "The area's own point, as a source gives it.",
        enums.LocationPrecision.PROVINCE: (
            "No source gives the area's own point: this is its province's map marker (the "
            "provincial capital or town centre, from the province reference data), which may lie "
            "far from the area. Do not read it as where the area is."
        ),
    },
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
        describe_values(enum, VALUE_DESCRIPTIONS[enum])


def describe_values(enum: type[E], descriptions: Mapping[E, str]) -> None:
    """Give every value of an enum Strawberry has defined its description.

    For enums whose members keep their plain values: `strawberry.enum_value` would make a
    member's `.value` an `EnumValueDefinition` to the type checker.
    """
    members = enum.__members__
    missing = [name for name, member in members.items() if member not in descriptions]
    strays = [repr(key) for key in descriptions if not isinstance(key, enum)]
    if missing or strays:
        raise ValueError(
            f"{enum.__name__}: values without a description {missing}, "
            f"descriptions of other enums' values {strays}"
        )
    assert has_enum_definition(enum)
    for value in enum.__strawberry_definition__.values:
        value.description = descriptions[members[value.name]]
