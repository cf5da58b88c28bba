"""Every root field and every relation, both ways, through HTTP on a real database."""

from __future__ import annotations

from decimal import Decimal

from sqlmodel.ext.asyncio.session import AsyncSession

from db.enums import CityStatus, MilestoneStatus, Region
from tests import factories
from tests.graphql import GraphQLClient


async def test_province_to_cities_to_projects_to_milestones_and_back(
    client: GraphQLClient, session: AsyncSession
) -> None:
    lampang = await factories.province(
        session, code="TH-52", name_en="Lampang", region=Region.NORTH
    )
    mobility = await factories.dimension(session, "MOBILITY")
    area = await factories.city(session, province=lampang, slug="mae-moh", dimensions=(mobility,))
    work = await factories.project(session, city=area, slug="solar", dimensions=(mobility,))
    await factories.milestone(session, project=work, city=area, key="hearing", title_en="Hearing")

    data = await client.data(
        """{ province(code: "TH-52") {
              code nameEn region
              cities { totalCount nodes { slug
                projects { nodes { slug
                  milestones { nodes { key titleEn
                    project { slug city { slug province { code } } } } } } } } } } }"""
    )
    province = data["province"]
    assert province["code"] == "TH-52"
    assert province["region"] == "NORTH"
    city = province["cities"]["nodes"][0]
    assert province["cities"]["totalCount"] == 1
    assert city["slug"] == "mae-moh"
    milestone = city["projects"]["nodes"][0]["milestones"]["nodes"][0]
    assert milestone["key"] == "hearing"
    assert milestone["project"] == {
        "slug": "solar",
        "city": {"slug": "mae-moh", "province": {"code": "TH-52"}},
    }


async def test_dimension_to_cities_and_projects_and_back(
    client: GraphQLClient, session: AsyncSession
) -> None:
    place = await factories.province(session)
    mobility = await factories.dimension(session, "MOBILITY")
    energy = await factories.dimension(session, "ENERGY")
    area = await factories.city(session, province=place, slug="a", dimensions=(mobility,))
    await factories.city(session, province=place, slug="b", dimensions=(energy,))
    await factories.project(session, city=area, slug="p", dimensions=(mobility, energy))

    data = await client.data(
        """{ dimension(code: "MOBILITY") { code nameEn
              cities { nodes { slug dimensions { code } } }
              projects { nodes { slug dimensions { code } } } }
            dimensions { code } }"""
    )
    dimension = data["dimension"]
    assert dimension["cities"]["nodes"] == [{"slug": "a", "dimensions": [{"code": "MOBILITY"}]}]
    assert dimension["projects"]["nodes"] == [
        {"slug": "p", "dimensions": [{"code": "MOBILITY"}, {"code": "ENERGY"}]}
    ]
    assert [d["code"] for d in data["dimensions"]] == ["MOBILITY", "ENERGY"]


async def test_city_investments_progress_sources_and_back(
    client: GraphQLClient, session: AsyncSession
) -> None:
    place = await factories.province(session)
    investor = await factories.organization(session, slug="egat", name_en="EGAT")
    area = await factories.city(session, province=place, slug="c", operator_id=investor.id)
    work = await factories.project(session, city=area, slug="p", operator_id=investor.id)
    await factories.investment(
        session,
        city=area,
        project=work,
        key="i",
        amount=Decimal("6842970000.01"),
        investor_id=investor.id,
        as_of="2024-04-23",
    )
    await factories.observation(
        session, key="old", city_id=area.id, value=Decimal("40"), as_of="2022"
    )
    await factories.observation(
        session, key="new", city_id=area.id, value=Decimal("89.38"), as_of="2024-04-23"
    )
    cited = await factories.source(session, key="posttoday-708162", url="http://example.org/a")
    await factories.cite(session, cited, area)

    data = await client.data(
        """{ city(slug: "c") {
              operator { slug operatedCities { nodes { slug } } }
              investments { totalCount nodes { key amount { amount currency } kind stage year
                            city { slug } project { slug } investor { slug } } }
              progress { key value asOf }
              latestProgress { key city { slug } }
              sources { key url }
            }
            organization(slug: "egat") {
              operatedProjects { nodes { slug investments { nodes { key } } } }
              investments { nodes { key } } } }"""
    )
    city = data["city"]
    assert city["operator"] == {"slug": "egat", "operatedCities": {"nodes": [{"slug": "c"}]}}
    assert city["investments"] == {
        "totalCount": 1,
        "nodes": [
            {
                "key": "i",
                "amount": {"amount": "6842970000.01", "currency": "THB"},
                "kind": "PUBLIC",
                "stage": "ACTUAL",
                "year": 2024,
                "city": {"slug": "c"},
                "project": {"slug": "p"},
                "investor": {"slug": "egat"},
            }
        ],
    }
    assert city["progress"] == [
        {"key": "old", "value": "40", "asOf": "2022"},
        {"key": "new", "value": "89.38", "asOf": "2024-04-23"},
    ]
    assert city["latestProgress"] == {"key": "new", "city": {"slug": "c"}}
    assert city["sources"] == [{"key": "posttoday-708162", "url": "http://example.org/a"}]
    organization = data["organization"]
    assert organization["operatedProjects"]["nodes"] == [
        {"slug": "p", "investments": {"nodes": [{"key": "i"}]}}
    ]
    assert organization["investments"]["nodes"] == [{"key": "i"}]


async def test_money_stays_exact_to_the_satang(
    client: GraphQLClient, session: AsyncSession
) -> None:
    place = await factories.province(session)
    area = await factories.city(session, province=place)
    for key, amount in (("a", "0.10"), ("b", "0.20"), ("c", "9999999999999999.99")):
        await factories.investment(session, city=area, key=key, amount=Decimal(amount))
    data = await client.data("{ investments { nodes { key amount { amount } } } }")
    amounts = {n["key"]: n["amount"]["amount"] for n in data["investments"]["nodes"]}
    assert amounts == {"a": "0.10", "b": "0.20", "c": "9999999999999999.99"}


async def test_root_lists_hold_every_record_in_their_stated_order(
    client: GraphQLClient, session: AsyncSession
) -> None:
    second = await factories.province(session, code="TH-50")
    first = await factories.province(session, code="TH-10")
    await factories.city(session, province=second, slug="zeta")
    area = await factories.city(session, province=first, slug="alpha")
    await factories.organization(session, slug="org-b")
    await factories.organization(session, slug="org-a")
    work = await factories.project(session, city=area, slug="p1")
    await factories.investment(session, city=area, key="inv-1")
    await factories.milestone(session, project=work, key="late", met_on="2023")
    await factories.milestone(session, project=work, key="early", met_on="2019-03")
    await factories.milestone(
        session, key="planned", status=MilestoneStatus.SCHEDULED, met_on=None, due_on="2027"
    )
    await factories.observation(session, key="obs", indicator="CERTIFIED_CITIES")
    await factories.source(session, key="src")

    data = await client.data(
        """{ provinces { nodes { code } } cities { nodes { slug } }
            organizations { nodes { slug } } projects { nodes { slug } }
            investments { nodes { key } } milestones { nodes { key } }
            observations { nodes { key indicator } } sources { nodes { key } }
            programme { milestones { nodes { key status dueOn } } } }"""
    )
    assert [n["code"] for n in data["provinces"]["nodes"]] == ["TH-10", "TH-50"]
    assert [n["slug"] for n in data["cities"]["nodes"]] == ["alpha", "zeta"]
    assert [n["slug"] for n in data["organizations"]["nodes"]] == ["org-a", "org-b"]
    assert [n["slug"] for n in data["projects"]["nodes"]] == ["p1"]
    assert [n["key"] for n in data["investments"]["nodes"]] == ["inv-1"]
    assert [n["key"] for n in data["milestones"]["nodes"]] == ["early", "late", "planned"]
    assert data["observations"]["nodes"] == [{"key": "obs", "indicator": "CERTIFIED_CITIES"}]
    assert [n["key"] for n in data["sources"]["nodes"]] == ["src"]
    assert data["programme"]["milestones"]["nodes"] == [
        {"key": "planned", "status": "SCHEDULED", "dueOn": "2027"}
    ]


async def test_bilingual_names_fall_back_when_a_source_gives_one_language(
    client: GraphQLClient, session: AsyncSession
) -> None:
    place = await factories.province(session, name_th="ลำปาง", name_en="Lampang")
    await factories.city(
        session, province=place, slug="thai-only", name_th="แม่เมาะเมืองน่าอยู่", name_en=None
    )
    data = await client.data(
        """{ city(slug: "thai-only") { nameEn nameTh en: name th: name(lang: TH)
              province { en: name th: name(lang: TH) } } }"""
    )
    assert data["city"] == {
        "nameEn": None,
        "nameTh": "แม่เมาะเมืองน่าอยู่",
        "en": "แม่เมาะเมืองน่าอยู่",
        "th": "แม่เมาะเมืองน่าอยู่",
        "province": {"en": "Lampang", "th": "ลำปาง"},
    }


async def test_city_status_and_updated_at_are_published(
    client: GraphQLClient, session: AsyncSession
) -> None:
    place = await factories.province(session)
    await factories.city(session, province=place, slug="p", status=CityStatus.PROPOSED)
    data = await client.data('{ city(slug: "p") { status updatedAt } }')
    assert data["city"]["status"] == "PROPOSED"
    assert data["city"]["updatedAt"].endswith("+00:00")


async def test_real_programme_phases_and_coverage_notes(seeded_client: GraphQLClient) -> None:
    data = await seeded_client.data(
        """{ programme { phases { key targetAreas targetProvinces provinces { code } }
            coverageNotes coverage { key textEn textTh en: text th: text(lang: TH) } } }"""
    )
    phases = {p["key"]: p for p in data["programme"]["phases"]}
    assert (phases["PHASE_1"]["targetAreas"], phases["PHASE_1"]["targetProvinces"]) == (10, 7)
    assert len(phases["PHASE_1"]["provinces"]) == 7
    assert (phases["PHASE_2"]["targetAreas"], phases["PHASE_2"]["targetProvinces"]) == (30, 24)
    assert (phases["PHASE_3"]["targetAreas"], phases["PHASE_3"]["targetProvinces"]) == (100, 77)
    notes = data["programme"]["coverage"]
    assert notes[0] == {
        "key": "round-1-areas",
        "textEn": notes[0]["en"],
        "textTh": notes[0]["th"],
        "en": data["programme"]["coverageNotes"][0],
        "th": notes[0]["textTh"],
    }
    assert notes[0]["en"].startswith("Round 1 (2021) certified 15 areas.")
    assert notes[0]["th"].startswith("รอบที่ 1 (ค.ศ. 2021) รับรอง 15 พื้นที่")
    # Every note has its own key and both languages, in the order of the fixture.
    assert len({note["key"] for note in notes}) == len(notes) == 12
    assert all(note["textEn"] and note["textTh"] for note in notes)
    assert [note["en"] for note in notes] == data["programme"]["coverageNotes"]


async def test_real_province_ascn_membership(seeded_client: GraphQLClient) -> None:
    data = await seeded_client.data(
        """{ phuket: province(code: "TH-83") { ascnMembership { cohort joined } }
            nan: province(code: "TH-55") { ascnMembership { cohort } }
            city(slug: "khon-kaen") { ascnMembership { cohort nameAsListed sources { key } } } }"""
    )
    assert data["phuket"]["ascnMembership"] == {"cohort": "PILOT_2018", "joined": "2018-04"}
    assert data["nan"]["ascnMembership"] is None
    membership = data["city"]["ascnMembership"]
    assert membership["cohort"] == "ADDED_LATER"
    assert membership["nameAsListed"] == "Khon Kaen"
    assert membership["sources"]
