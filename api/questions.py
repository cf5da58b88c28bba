"""Ready questions: the explorer's guided examples and the queries behind the programme page.

Each is a real query of this API; a test runs every one of them.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Question:
    id: str
    title_en: str
    title_th: str
    query: str
    variables: str | None = None

    def as_json(self) -> dict[str, str | None]:
        return asdict(self)


# The explorer's Explorer plugin (graphiql-explorer 0.9) draws an argument from the value's
# shape and has no view for a list: a list literal such as `orderBy: [{...}]` logs "arg
# mismatch between arg and selection" on every render. So the examples write no list literal:
# GraphQL takes a single value where a list is expected, as a list of one (`orderBy: {...}`).
EXAMPLES = [
    Question(
        id="certified-by-region",
        title_en="Certified cities by region",
        title_th="เมืองที่ได้รับการรับรองแยกตามภาค",
        query="""# Certified smart-city areas, counted by region, then listed with their province.
query CertifiedCitiesByRegion {
  citySummary(groupBy: REGION, filter: {status: {eq: CERTIFIED}}) {
    count
    asOf
    groups { key label th: label(lang: TH) count }
  }
  cities(filter: {status: {eq: CERTIFIED}}, orderBy: {field: PROVINCE_NAME}, first: 50) {
    nodes { nameTh nameEn certifiedOn province { nameEn nameTh region } }
  }
}
""",
    ),
    Question(
        id="progress-leaders",
        title_en="Leaders in progress",
        title_th="เมืองที่มีความคืบหน้ามากที่สุด",
        query="""# Areas ranked by their latest percent complete, with the source of each figure.
query LeadersInProgress {
  cityRanking(indicator: "PROGRESS_PERCENT", first: 10) {
    entries {
      rank
      city { slug nameTh nameEn }
      observation { value unit asOf sources { publisher title url publishedOn } }
    }
  }
  programme { figures(indicator: "PROGRESS_PERCENT") { value asOf qualifier } }
}
""",
    ),
    Question(
        id="investment-by-dimension",
        title_en="Investment per smart dimension",
        title_th="การลงทุนแยกตามมิติเมืองอัจฉริยะ",
        query="""# Actual investment recorded, per dimension (a null key: no dimension named).
query InvestmentPerDimension {
  investmentSummary(groupBy: DIMENSION, filter: {stage: {eq: ACTUAL}}) {
    count
    total { amount currency }
    asOf
    groups { key label th: label(lang: TH) count total { amount } asOf }
  }
}
""",
    ),
    Question(
        id="city-projects",
        title_en="A city's projects and milestones",
        title_th="โครงการและหมุดหมายของเมือง",
        query="""# Khon Kaen's projects, each with its milestones in calendar order.
query CityProjectsAndMilestones($slug: String!) {
  city(slug: $slug) {
    nameTh
    nameEn
    projects {
      nodes {
        titleTh
        titleEn
        status
        budget { amount currency }
        milestones { nodes { titleEn status dueOn metOn sources { url } } }
      }
    }
  }
}
""",
        variables='{"slug": "khon-kaen"}',
    ),
    Question(
        id="programme-progress",
        title_en="How far is the programme from its targets?",
        title_th="โครงการยังห่างจากเป้าหมายเท่าใด",
        query="""# The programme's own count of certified areas (quote this one, with its date and
# source), the areas this data names, each phase's gap to its target, who runs the
# programme, and what its latest report names as obstacles, in Thai as printed.
query ProgrammeProgress {
  programme {
    certification {
      namedAreas
      reportedAreas { value asOf sources { publisher title url publishedOn } }
    }
    phases {
      name(lang: TH)
      targetAreas
      areasToTarget
      certification { begun reportedAreas { value asOf } }
    }
    obstacles { value valueText asOf }
    proposals { titleTh outcome screenedOn proposer { nameTh } }
  }
  committee: organization(slug: "smart-city-committee") {
    nameTh
    roles { role nameTh positionTh holder { nameTh } }
  }
}
""",
    ),
    Question(
        id="changed-since",
        title_en="What changed since a date",
        title_th="ข้อมูลที่เปลี่ยนแปลงตั้งแต่วันที่กำหนด",
        query="""# Records changed at or after a time (UTC): what a partner syncs.
query ChangedSince($since: DateTime!) {
  cities(updatedSince: $since) { totalCount nodes { slug updatedAt } }
  projects(updatedSince: $since) { totalCount nodes { slug updatedAt } }
  milestones(updatedSince: $since) { totalCount }
}
""",
        variables='{"since": "2026-01-01T00:00:00+00:00"}',
    ),
    Question(
        id="search-thai",
        title_en="Search in Thai",
        title_th="ค้นหาด้วยภาษาไทย",
        query="""# A Thai substring finds its records, though Thai has no spaces between words.
query SearchInThai {
  search(query: "เชียงใหม่", first: 10) {
    totalCount
    hits {
      rank
      match
      node {
        __typename
        ... on City { slug nameTh }
        ... on Province { code provinceTh: nameTh }
        ... on Project { slug titleTh }
        ... on Organization { slug nameEn }
      }
    }
  }
}
""",
    ),
]

# The programme page's charts: the server runs these to render the page (`api.programme_page`),
# and the page links each to the explorer.
CHARTS = [
    Question(
        id="targets",
        title_en="Certified areas against the phase targets",
        title_th="จำนวนพื้นที่ที่ได้รับการรับรองเทียบกับเป้าหมายแต่ละระยะ",
        # The statuses are a variable, not a list literal: see the note above EXAMPLES.
        query="""query ProgrammeTargets($counted: [CityStatus!]) {
  programme {
    certification {
      namedAreas
      namedProvinces
      reportedAreas { value asOf sources { ...cited } }
      reportedProvinces { value asOf sources { ...cited } }
    }
    phases {
      key nameEn nameTh startYear endYear targetAreas targetProvinces
      areasToTarget provincesToTarget
      certification { begun namedAreas reportedAreas { value asOf } }
      sources { ...cited }
    }
  }
  citySummary(filter: {status: {in: $counted}}) { count asOf }
}

fragment cited on Source { publisher title url publishedOn }
""",
        variables='{"counted": ["CERTIFIED", "RENEWED"]}',
    ),
    Question(
        id="progress",
        title_en="Progress of each city",
        title_th="ความคืบหน้าของแต่ละเมือง",
        query="""{
  cityRanking(indicator: "PROGRESS_PERCENT", first: 30) {
    totalCount
    entries {
      rank
      city { slug nameTh nameEn }
      observation { value asOf sources { publisher title url publishedOn } }
    }
  }
  programme {
    figures(indicator: "PROGRESS_PERCENT") {
      value asOf sources { publisher title url publishedOn }
    }
  }
}
""",
    ),
    Question(
        id="investment",
        title_en="Actual investment by smart dimension",
        title_th="การลงทุนจริงแยกตามมิติเมืองอัจฉริยะ",
        query="""{
  investmentSummary(groupBy: DIMENSION, filter: {stage: {eq: ACTUAL}}) {
    count
    total { amount currency }
    asOf
    groups { key label th: label(lang: TH) count total { amount } }
  }
  programme {
    figures(indicator: "TOTAL_INVESTMENT") {
      value unit asOf sources { publisher title url publishedOn }
    }
  }
}
""",
    ),
    Question(
        id="regions",
        title_en="Smart-city areas by region",
        title_th="เมืองอัจฉริยะแยกตามภาค",
        query="""{
  citySummary(groupBy: REGION) {
    count
    asOf
    groups { key label th: label(lang: TH) count }
  }
  # The six-region scheme the areas are counted by comes with the provinces' data.
  regionScheme: sources(filter: {key: {eq: "kongvut-thai-province-data"}}) {
    nodes { publisher title url publishedOn }
  }
}
""",
    ),
]
