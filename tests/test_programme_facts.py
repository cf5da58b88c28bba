"""What the programme's own documents (shared/seeds) say, served through the API as a
journalist would read it: every fact cited to its document, Thai as printed, the programme's
headline counts honest about what they count."""

from __future__ import annotations

from typing import Any

import orjson
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import select

from db.engine import session_factory
from db.entities import BY_TABLE, table_of
from db.tables import Alternative
from schema.node import encode_id
from tests.graphql import GraphQLClient

# The five documents: four have no address, the fifth is Post Today's own page.
SEEDS = {
    "news-committee-meeting-2-2562": ("2019-04-25", "100พื้นที่ใน76จังหวัด"),
    "depa-framework-workshop-vienna": ("2018-12-20", "Smart City Framework Development Workshop"),
    "takeoff-concept-note": ("2019-03", "Smart City Thailand Takeoff"),
    "songkhla-prd-working-group-2019-05-15": ("2019-05-15", "สงขลาสู่เมืองอัจฉริยะ"),
    "posttoday-708162": ("2024-04-23", "ผ่าน 2 ปี มี 30 เมือง"),
}


def _keys(record: dict[str, Any]) -> set[str]:
    return {source["key"] for source in record["sources"]}


async def test_the_seed_documents_are_sources_and_nothing_cites_an_internal_note(
    seeded_client: GraphQLClient,
) -> None:
    data = await seeded_client.data(
        """{ dimensions { code nameTh nameEn sources { key title publishedOn language } }
            programme { phases { key sources { key } } }
            otp: organization(slug: "otp") { nameTh sources { key } }
            boi: organization(slug: "boi") { nameTh sources { key } } }"""
    )
    cited: dict[str, dict[str, Any]] = {}
    for dimension in data["dimensions"]:
        cited |= {source["key"]: source for source in dimension["sources"]}
        assert _keys(dimension) == {
            "news-committee-meeting-2-2562",
            "songkhla-prd-working-group-2019-05-15",
        }
    for key in ("news-committee-meeting-2-2562", "songkhla-prd-working-group-2019-05-15"):
        published, words = SEEDS[key]
        assert cited[key]["publishedOn"] == published
        assert words in cited[key]["title"]
        assert cited[key]["language"] == "th"
    names = {d["code"]: (d["nameTh"], d["nameEn"]) for d in data["dimensions"]}
    assert names["MOBILITY"] == ("ขนส่งอัจฉริยะ", "Smart Mobility")  # as both documents print it
    assert all(phase["sources"] for phase in data["programme"]["phases"])
    assert "news-committee-meeting-2-2562" in _keys(data["programme"]["phases"][0])
    assert data["otp"]["nameTh"] == "สำนักงานนโยบายและแผนการขนส่งและจราจร"
    assert data["boi"]["nameTh"] == "สำนักงานส่งเสริมการลงทุน"
    assert "depa-framework-workshop-vienna" in _keys(data["boi"])


async def test_every_source_can_be_found_by_a_reader(seeded_client: GraphQLClient) -> None:
    """A source with no address still has a title and a date; none is an internal file."""
    rows = await seeded_client.http.get("/downloads/smartcity-sources.jsonl")
    sources = [orjson.loads(line) for line in rows.content.splitlines()]
    by_key = {source["key"]: source for source in sources}
    for key, (published, words) in SEEDS.items():
        assert by_key[key]["published_on"] == published
        assert words in by_key[key]["title"]
        assert by_key[key]["language"] == "th"
    for source in sources:
        if source["url"] is None:
            assert source["title"], source["key"]
            assert source["published_on"], source["key"]


async def test_certified_counts_are_reported_apart_from_the_areas_the_data_names(
    seeded_client: GraphQLClient,
) -> None:
    data = await seeded_client.data(
        """{ programme {
              certification { begun namedAreas reportedAreas { value asOf sources { key } } }
              phases { key areasToTarget provincesToTarget targetAreas
                certification { begun namedAreas reportedAreas { value asOf } }
                provinces { code } } }
            progressSummary { areasWithFigure coverage average } }"""
    )
    programme = data["programme"]
    assert programme["certification"]["reportedAreas"] == {
        "value": "37",
        "asOf": "2025-08-27",
        "sources": [{"key": "matichon-5341216"}],
    }
    assert programme["certification"]["namedAreas"] < 37  # the data names fewer
    phases = {phase["key"]: phase for phase in programme["phases"]}
    # The pilot years came before the first certification round: no count, no gap, no 0.
    for key in ("PHASE_1", "PHASE_2"):
        assert phases[key]["certification"] == {
            "begun": False,
            "namedAreas": None,
            "reportedAreas": None,
        }
        assert phases[key]["areasToTarget"] is None
    # 100 areas by 2022, with 30 certified in November 2022; 105 by 2027 with 37 in 2025.
    assert phases["PHASE_3"]["certification"]["reportedAreas"] == {
        "value": "30",
        "asOf": "2022-11-09",
    }
    assert phases["PHASE_3"]["areasToTarget"] == 70
    assert phases["PHASE_3"]["provincesToTarget"] == 77 - 23
    assert phases["TARGET_2027"]["areasToTarget"] == 68
    # Year 2's target names 16 of its 24 provinces.
    assert len(phases["PHASE_2"]["provinces"]) == 16
    assert {"TH-57", "TH-90", "TH-85"} <= {p["code"] for p in phases["PHASE_2"]["provinces"]}
    # Three of 32 areas have a progress figure: no average that reads as the programme's.
    assert data["progressSummary"] == {"areasWithFigure": 3, "coverage": "0.09", "average": None}


async def test_the_committee_its_chair_secretaries_and_the_office(
    seeded_client: GraphQLClient,
) -> None:
    data = await seeded_client.data(
        """{ committee: organization(slug: "smart-city-committee") {
              kind nameTh roles { role nameTh positionTh holder { slug } } }
            office: organization(slug: "smart-city-thailand-office") {
              nameTh nameEn roles { role holder { slug } } }
            depa: organization(slug: "depa") { heldRoles { role body { slug } milestone { key } } }
            programme { milestones(first: 100) { nodes { key metOn titleTh
              organization { slug } } } } }"""
    )
    committee = data["committee"]
    assert committee["kind"] == "COMMITTEE"
    assert committee["nameTh"] == "คณะกรรมการขับเคลื่อนการพัฒนาเมืองอัจฉริยะ"
    roles = {(r["role"], r["nameTh"], (r["holder"] or {}).get("slug")) for r in committee["roles"]}
    assert ("CHAIR", "พล.อ.อ. ประจิน จั่นตอง", None) in roles
    assert {slug for role, _, slug in roles if role == "JOINT_SECRETARY"} == {
        "depa",
        "otp",
        "eppo",
    }
    assert data["office"]["nameEn"] == "Smart City Thailand Office"
    assert data["office"]["roles"] == [{"role": "HOST", "holder": {"slug": "depa"}}]
    held = {(r["role"], (r["body"] or {}).get("slug")) for r in data["depa"]["heldRoles"]}
    assert ("JOINT_SECRETARY", "smart-city-committee") in held
    steps = {m["key"]: m for m in data["programme"]["milestones"]["nodes"]}
    appointed = steps["programme-committee-appointed-2017-10-15"]
    assert appointed["titleTh"] == "คำสั่งสำนักนายกรัฐมนตรี ที่ ๒๖๗/๒๕๖๐"  # its legal basis
    assert appointed["organization"] == {"slug": "smart-city-committee"}
    assert steps["programme-office-approved-2019-02-07"]["metOn"] == "2019-02-07"


async def test_dated_meetings_and_events_with_their_venues_and_participants(
    seeded_client: GraphQLClient,
) -> None:
    data = await seeded_client.data(
        """{ milestones(first: 100, filter: {date: {lt: "2020"}}) { nodes {
              key metOn dueOn endsOn venueTh status organization { slug }
              participants { role nameTh positionTh holder { slug } province { code } } } } }"""
    )
    steps = {m["key"]: m for m in data["milestones"]["nodes"]}
    takeoff = steps["programme-takeoff-event-2019-03"]
    assert takeoff["metOn"] == "2019-03-11"  # Monday 11 March, as the concept note prints
    assert takeoff["venueTh"] == "ห้องบอลรูม โรงแรมพาร์ค ไฮแอท กรุงเทพฯ"
    assert {(p["role"], p["holder"]["slug"]) for p in takeoff["participants"]} == {
        ("LEAD_ORGANISER", "depa"),
        ("CO_ORGANISER", "otp"),
        ("CO_ORGANISER", "eppo"),
    }
    meeting = steps["programme-committee-meeting-2-2562-2019-04-25"]
    assert meeting["venueTh"] == "ห้องประชุม 301 ตึกบัญชาการ 1 ทำเนียบรัฐบาล"
    assert [(p["role"], p["nameTh"]) for p in meeting["participants"]] == [
        ("CHAIR", "พล.อ.อ. ประจิน จั่นตอง")
    ]
    vienna = steps["programme-framework-workshop-vienna-2018-12"]
    attending = [p for p in vienna["participants"] if p["role"] == "PARTICIPANT" and p["province"]]
    assert len(attending) == 14
    assert {"เมืองพัทยา", "จังหวัดยะลา", "กรุงเทพมหานคร"} <= {p["nameTh"] for p in attending}
    workshop = steps["programme-ascn-workshop-2019-06-06"]
    assert (workshop["status"], workshop["dueOn"], workshop["endsOn"]) == (
        "SCHEDULED",
        "2019-06-06",
        "2019-06-07",
    )
    songkhla = steps["programme-songkhla-working-group-2019-05-15"]
    assert songkhla["organization"] == {"slug": "songkhla-smart-city-working-group"}
    chair, *offices = songkhla["participants"]
    assert (chair["role"], chair["nameTh"], chair["positionTh"]) == (
        "CHAIR",
        "นายอำพล พงศ์สุวรรณ",
        "รองผู้ว่าราชการจังหวัดสงขลา",
    )
    assert len(offices) == 9
    assert {office["province"]["code"] for office in offices} == {"TH-90"}


async def test_the_proposals_screened_in_april_2024_and_their_outcomes(
    seeded_client: GraphQLClient,
) -> None:
    data = await seeded_client.data(
        """{ programme { proposals { key titleTh screenedOn outcome proposer { nameTh }
              screenedBy { slug } forwardedTo { slug } province { code } city { slug status } } }
            maeHia: city(slug: "mae-hia") { nameTh status operator { nameTh } } }"""
    )
    proposals = {p["key"]: p for p in data["programme"]["proposals"]}
    assert len(proposals) == 4
    assert {p["screenedOn"] for p in proposals.values()} == {"2024-04-23"}
    forwarded = {k for k, p in proposals.items() if p["outcome"] == "FORWARDED"}
    assert forwarded == {"chao-fa-tinicon-valley-2024-04-23", "mae-hia-2024-04-23"}
    for key in forwarded:
        assert proposals[key]["forwardedTo"] == {"slug": "smart-city-subcommittee"}
    korat = proposals["korat-city-municipality-2024-04-23"]
    assert korat["outcome"] == "APPROVED_IN_PRINCIPLE"
    assert korat["titleTh"] == "เมืองโคราชอัจฉริยะ"
    assert korat["proposer"] == {"nameTh": "เทศบาลนครนครราชสีมา"}
    assert korat["city"] is None  # the sources do not say it is the area certified in 2022
    assert data["maeHia"] == {
        "nameTh": "แม่เหียะเมืองอัจฉริยะ",
        "status": "UNDER_REVIEW",
        "operator": {"nameTh": "เทศบาลเมืองแม่เหียะ"},
    }


async def test_obstacles_in_their_ranked_order_and_how_the_index_is_built(
    seeded_client: GraphQLClient,
) -> None:
    data = await seeded_client.data(
        """{ programme {
              obstacles { value valueText asOf sources { key } }
              indicators { code nameTh nameEn methodTh } }
            cityRanking(indicator: "TSCCI_SCORE", first: 1) {
              entries { observation { definition { code name(lang: TH) } } } } }"""
    )
    obstacles = data["programme"]["obstacles"]
    assert [(o["value"], o["valueText"]) for o in obstacles] == [
        ("1", "ข้อจำกัดด้านงบประมาณ"),
        ("2", "การเปลี่ยนแปลงด้านนโยบาย"),
        ("3", "การขาดแคลนบุคลากร"),
    ]
    assert {o["asOf"] for o in obstacles} == {"2024-04-23"}
    assert all(o["sources"] == [{"key": "posttoday-708162"}] for o in obstacles)
    [index] = data["programme"]["indicators"]
    assert index["code"] == "TSCCI_SCORE"
    assert index["nameEn"] == "Thailand Smart City Competitiveness Index"
    assert "ข้อมูลการติดตามความคืบหน้า" in index["methodTh"]
    [entry] = data["cityRanking"]["entries"]
    assert entry["observation"]["definition"] == {
        "code": "TSCCI_SCORE",
        "name": "ดัชนีขีดความสามารถในการแข่งขันเมืองอัจฉริยะ",
    }


async def test_each_text_says_where_its_words_come_from_and_when_a_name_fell_back(
    seeded_client: GraphQLClient,
) -> None:
    takeoff_id = encode_id("Milestone", "programme-takeoff-event-2019-03")
    phase_id = encode_id("ProgrammePhase", "PHASE_1")
    data = await seeded_client.data(
        """query ($takeoff: ID!, $phase: ID!) {
            otp: organization(slug: "otp") { nameEn wording { field language origin } }
            office: organization(slug: "smart-city-thailand-office") {
              wording { field origin } }
            maeHia: city(slug: "mae-hia") { name(lang: EN)
              wording(lang: EN) { field language origin fellBack } }
            takeoff: node(id: $takeoff) { ... on Milestone {
              wording(lang: TH) { field language origin fellBack } } }
            phase: node(id: $phase) { ... on ProgrammePhase { wording { field origin } } } }""",
        {"takeoff": takeoff_id, "phase": phase_id},
    )
    otp = {w["field"]: (w["language"], w["origin"]) for w in data["otp"]["wording"]}
    # Only Thai sources name OTP: its English name is our rendering, not a quotation.
    assert otp["nameEn"] == ("EN", "TRANSLATION")
    assert otp["nameTh"] == ("TH", "PRINTED")
    assert otp["name"] == ("EN", "TRANSLATION")  # what name(lang: EN) answers
    office = {w["field"]: w["origin"] for w in data["office"]["wording"]}
    assert office["nameEn"] == "PRINTED"  # printed in the committee's own report
    # No source prints Mae Hia's name in English: name(lang: EN) answers in Thai, and says so.
    assert data["maeHia"]["name"] == "แม่เหียะเมืองอัจฉริยะ"
    assert {"field": "name", "language": "TH", "origin": "PRINTED", "fellBack": True} in data[
        "maeHia"
    ]["wording"]
    takeoff = {w["field"]: w for w in data["takeoff"]["wording"]}
    assert takeoff["titleEn"]["origin"] == "SUMMARY"  # our own words
    assert takeoff["titleTh"]["origin"] == "PRINTED"
    assert takeoff["venueTh"]["origin"] == "PRINTED"
    assert takeoff["title"] == {
        "field": "title",
        "language": "TH",
        "origin": "PRINTED",
        "fellBack": False,
    }
    phase = {w["field"]: w["origin"] for w in data["phase"]["wording"]}
    assert phase == {"nameTh": "PRINTED", "nameEn": "TRANSLATION", "name": "TRANSLATION"}


async def test_where_sources_disagree_both_values_are_kept_each_with_its_source(
    seeded_client: GraphQLClient,
) -> None:
    data = await seeded_client.data(
        """{ programme { phases { key nameTh alternatives { field value sources { key } } } }
            chiangMai: province(code: "TH-50") {
              ascnMembership { joined sources { key } }
              alternatives { field value sources { key } } } }"""
    )
    phase = next(p for p in data["programme"]["phases"] if p["key"] == "PHASE_3")
    assert phase["nameTh"] == "ปีที่ 3 \u2013 5"  # an en dash, as printed
    assert phase["alternatives"] == [
        {
            "field": "nameTh",
            "value": "ปีที่ 3 \u2013 4",
            "sources": [{"key": "songkhla-prd-working-group-2019-05-15"}],
        }
    ]
    chiang_mai = data["chiangMai"]
    assert chiang_mai["ascnMembership"]["joined"] == "2023-07"
    assert "seasia-ascn-adds-5-more-smart-cities" not in _keys(chiang_mai["ascnMembership"])
    assert chiang_mai["alternatives"] == [
        {
            "field": "ascnMembership.joined",
            "value": "mid-2024",
            "sources": [{"key": "seasia-ascn-adds-5-more-smart-cities"}],
        }
    ]


async def test_every_alternative_names_a_record_and_a_field_it_has(
    seeded_engine: AsyncEngine,
) -> None:
    """An alternative points at its record by table and natural key, and at a column of it
    (or `part.column` of a part such as its ASCN membership): each must exist."""
    async with session_factory(seeded_engine)() as session:
        alternatives = (await session.exec(select(Alternative))).all()
        assert alternatives
        for alternative in alternatives:
            entity = BY_TABLE[alternative.subject_type]
            key = getattr(entity.model, entity.key)
            found = await session.exec(select(entity.model).where(key == alternative.subject_key))
            assert found.first() is not None, alternative.key
            part, _, column = alternative.field.rpartition(".")
            tables = {table_of(side.model).name: side.model for side in entity.sides}
            model = tables[part] if part else entity.model
            assert column in table_of(model).columns, alternative.key
