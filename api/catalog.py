"""The DCAT-AP 3.0 catalog (JSON-LD) of the downloads and the API, for CKAN (data.go.th) and
other harvesters.

One dataset per entity and one for the whole dataset, each with its files (byte size and
SHA-256 of exactly what `/downloads/NAME` serves, from `db.published`) and the GraphQL API.
Every IRI is built from `PUBLIC_URL`, so the catalog is the same whatever address it is
fetched at. Terms come from the vocabularies DCAT-AP requires: the EU Publications Office's
authority tables (themes, file types, frequency, languages, country, availability), IANA
media types, ADMS licence and publisher types, SPDX checksums. `tests/shapes/dcat-ap-3.ttl`
holds the specification's constraints that the tests check it against.

The catalog is the document's top node, as before, so a reader of plain JSON finds
`dcat:dataset` at the top. Each node many others point to (the publisher, the licence, a
theme, …) is described in full where it first appears and named by its IRI after that.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse

from api.downloads import LINK
from api.settings import Settings
from db import exports
from db.access import Db
from db.published import Dataset, Download, Period, Published, published

DCAT_AP = "https://semiceu.github.io/DCAT-AP/releases/3.0.0/"
GRAPHQL_SPEC = "https://spec.graphql.org/October2021/"
TABLE_SCHEMA = "https://specs.frictionlessdata.io/table-schema/"
AUTHORITY = "http://publications.europa.eu/resource/authority"
IANA = "https://www.iana.org/assignments/media-types/"

FILE_TYPES = {"csv": "CSV", "xlsx": "XLSX", "jsonl": "JSON", "geojson": "GEOJSON", "zip": "ZIP"}
# JSON Lines has no IANA-registered media type (`application/jsonl`, which the download is
# served as, is not), so its distributions give only their file type.
UNREGISTERED = {"jsonl"}
FORMAT_TEXTS = {
    "csv": ("CSV, UTF-8 with a byte-order mark, one row per record", "ไฟล์ CSV หนึ่งแถวต่อหนึ่งรายการ"),
    "xlsx": ("An Excel workbook, every cell text", "ไฟล์ Excel ทุกเซลล์เป็นข้อความ"),
    "jsonl": ("JSON Lines, one record per line", "ไฟล์ JSON Lines หนึ่งบรรทัดต่อหนึ่งรายการ"),
    "geojson": ("GeoJSON, each record at its map point", "ไฟล์ GeoJSON แต่ละรายการตามพิกัด"),
}

# The EU data themes (http://publications.europa.eu/resource/authority/data-theme) of each
# dataset: every record is about Thailand's cities and regions; some also about government
# or the economy.
THEMES = {
    "REGI": "Regions and cities",
    "GOVE": "Government and public sector",
    "ECON": "Economy and finance",
}
ENTITY_THEMES = {
    "organizations": ("REGI", "GOVE"),
    "investments": ("REGI", "ECON"),
    "programme_phases": ("REGI", "GOVE"),
    "roles": ("REGI", "GOVE"),
    "proposals": ("REGI", "GOVE"),
}
# Thailand's extreme points (latitude 5 deg 37 min N to 20 deg 27 min N, longitude 97 deg 22 min E
# to 105 deg 37 min E) and the CIA World Factbook's reference point for it (15 N, 100 E), in
# WKT (longitude first).
THAILAND_BBOX = (
    "POLYGON((97.3667 5.6167, 105.6167 5.6167, 105.6167 20.45, 97.3667 20.45, 97.3667 5.6167))"
)
THAILAND_CENTROID = "POINT(100 15)"

CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dcatap": "http://data.europa.eu/r5r/",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "geo": "http://www.opengis.net/ont/geosparql#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "spdx": "http://spdx.org/rdf/terms#",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}


def _text(english: str, thai: str) -> list[dict[str, str]]:
    return [{"@value": english, "@language": "en"}, {"@value": thai, "@language": "th"}]


def _ref(iri: str) -> dict[str, str]:
    return {"@id": iri}


def _resource(iri: str) -> dict[str, str]:
    """A web address, typed as what the specification's range says (rdfs:Resource): true of
    any IRI, and what validators that infer nothing look for."""
    return {"@id": iri, "@type": "rdfs:Resource"}


def _when(when: datetime) -> dict[str, str]:
    return {"@value": when.isoformat(), "@type": "xsd:dateTime"}


def _partial_date(date: str) -> dict[str, str]:
    """`2021`, `2021-08` or `2021-08-07` with the XML Schema type of its precision."""
    kind = {4: "xsd:gYear", 7: "xsd:gYearMonth"}.get(len(date), "xsd:date")
    return {"@value": date, "@type": kind}


def _dated(**dates: datetime | None) -> dict[str, Any]:
    """`dct:issued` and `dct:modified`, those that are known: none for records the change
    feed has never seen change."""
    return {f"dct:{name}": _when(when) for name, when in dates.items() if when is not None}


class Catalog:
    """The catalog as this deployment publishes it: its address and its operator come from
    the settings."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    async def serve(self, request: Request) -> JSONResponse:
        db: Db = request.state.db
        return JSONResponse(
            _Document(self.settings, await published(db)).catalog(),
            media_type="application/ld+json",
            headers={"Link": LINK},
        )


class _Document:
    """One catalog document, of what is published now."""

    def __init__(self, settings: Settings, now: Published) -> None:
        self.settings = settings
        self.now = now
        self.base = settings.public_url
        self.themes = f"{AUTHORITY}/data-theme"
        self.described: set[str] = set()

    def _once(self, node: dict[str, Any]) -> dict[str, Any]:
        """The node in full the first time, then only its IRI."""
        if node["@id"] in self.described:
            return _ref(node["@id"])
        self.described.add(node["@id"])
        return node

    def catalog(self) -> dict[str, Any]:
        now = self.now
        return {
            "@context": CONTEXT,
            "@id": f"{self.base}/catalog.jsonld",
            "@type": "dcat:Catalog",
            "dct:title": _text("Smart City Thailand open data", "ข้อมูลเปิดเมืองอัจฉริยะประเทศไทย"),
            "dct:description": _text(
                "Thailand's Smart City programme as open data: areas, provinces, projects, "
                "investments, milestones and progress, each record with its sources.",
                "ข้อมูลเปิดของโครงการเมืองอัจฉริยะ: พื้นที่ จังหวัด โครงการ การลงทุน หมุดหมาย และความคืบหน้า",
            ),
            "dct:publisher": self._publisher(),
            "foaf:homepage": self._homepage(),
            "dct:license": self._licence(),
            "dct:rights": self._rights(),
            "dct:language": [
                {"@id": f"{AUTHORITY}/language/{code}", "@type": "dct:LinguisticSystem"}
                for code in ("THA", "ENG")
            ],
            "dct:spatial": self._thailand(),
            "dcat:themeTaxonomy": self._once(
                {"@id": self.themes, "@type": "skos:ConceptScheme", "dct:title": "Data theme"}
            ),
            "dct:conformsTo": {"@id": DCAT_AP, "@type": "dct:Standard"},
            **_dated(issued=now.issued, modified=now.archive.modified),
            "dcat:service": self._service(),
            "dcat:dataset": [
                *(self._entity_dataset(dataset) for dataset in now.datasets),
                self._whole_dataset(),
            ],
        }

    def _homepage(self) -> dict[str, Any]:
        return self._once({"@id": f"{self.base}/", "@type": "foaf:Document"})

    def _publisher(self) -> dict[str, Any]:
        publisher: dict[str, Any] = {
            "@id": f"{self.base}/#publisher",
            "@type": "foaf:Agent",
            "foaf:name": self.settings.publisher,
            "foaf:homepage": self._homepage(),
        }
        kind = self.settings.publisher_type
        if kind is not None:
            publisher["dct:type"] = self._concept(
                f"http://purl.org/adms/publishertype/{kind}",
                kind,
                "http://purl.org/adms/publishertype/1.0",
            )
        return self._once(publisher)

    def _contact(self) -> dict[str, Any]:
        """The operator, reached through the site itself (no address is invented)."""
        return self._once(
            {
                "@id": f"{self.base}/#contact",
                "@type": "vcard:Kind",
                "vcard:fn": self.settings.publisher,
                "vcard:hasURL": _ref(f"{self.base}/"),
            }
        )

    def _licence(self) -> dict[str, Any]:
        return self._once(
            {
                "@id": exports.LICENCE_URL,
                "@type": "dct:LicenseDocument",
                "dct:title": "Open Data Commons Open Database License (ODbL) v1.0",
                # What the ODbL asks of a user: to credit the sources, and to share alike.
                "dct:type": [
                    self._concept(
                        f"http://purl.org/adms/licencetype/{term}",
                        label,
                        "http://purl.org/adms/licencetype/1.0",
                    )
                    for term, label in (
                        ("Attribution", "Attribution"),
                        ("ShareAlike", "Share-alike"),
                    )
                ],
            }
        )

    def _rights(self) -> dict[str, Any]:
        return self._once(
            {
                "@id": f"{self.base}/catalog.jsonld#rights",
                "@type": "dct:RightsStatement",
                "rdfs:label": exports.ATTRIBUTION,
            }
        )

    def _thailand(self) -> dict[str, Any]:
        return self._once(
            {
                "@id": f"{AUTHORITY}/country/THA",
                "@type": "dct:Location",
                "skos:prefLabel": _text("Thailand", "ประเทศไทย"),
                "dcat:bbox": {"@value": THAILAND_BBOX, "@type": "geo:wktLiteral"},
                "dcat:centroid": {"@value": THAILAND_CENTROID, "@type": "geo:wktLiteral"},
            }
        )

    def _theme(self, code: str) -> dict[str, Any]:
        return self._concept(f"{self.themes}/{code}", THEMES[code], self.themes)

    def _concept(self, iri: str, label: str, scheme: str) -> dict[str, Any]:
        return self._once(
            {
                "@id": iri,
                "@type": "skos:Concept",
                "skos:prefLabel": {"@value": label, "@language": "en"},
                "skos:inScheme": _ref(scheme),
            }
        )

    def _service(self) -> dict[str, Any]:
        return self._once(
            {
                "@id": f"{self.base}/graphql#service",
                "@type": "dcat:DataService",
                "dct:title": _text("Smart City Thailand GraphQL API", "GraphQL API ข้อมูลเมืองอัจฉริยะ"),
                "dct:description": _text(
                    "Every record of the datasets, with its relations and sources, through "
                    "GraphQL.",
                    "ทุกรายการของชุดข้อมูล พร้อมความเชื่อมโยงและแหล่งที่มา ผ่าน GraphQL",
                ),
                "dcat:endpointURL": _resource(f"{self.base}/graphql"),
                # The schema as SDL describes every type, field and argument the endpoint takes.
                "dcat:endpointDescription": _resource(f"{self.base}/schema.graphql"),
                "dct:conformsTo": {"@id": GRAPHQL_SPEC, "@type": "dct:Standard"},
                "dct:license": self._licence(),
                "dct:publisher": self._publisher(),
                "dcat:contactPoint": self._contact(),
                "dcat:keyword": ["GraphQL", "smart city", "Thailand", "เมืองอัจฉริยะ"],
                "dcat:theme": [self._theme(code) for code in THEMES],
                "dcat:servesDataset": [
                    _ref(self._dataset_iri(dataset.entity.plural)) for dataset in self.now.datasets
                ],
            }
        )

    def _dataset_iri(self, identifier: str) -> str:
        return f"{self.base}/catalog.jsonld#{identifier}"

    def _dataset(
        self,
        identifier: str,
        title: list[dict[str, str]],
        description: list[dict[str, str]],
        period: Period | None,
        themes: tuple[str, ...],
        keywords: list[str],
        distributions: list[dict[str, Any]],
        **dates: datetime | None,
    ) -> dict[str, Any]:
        """A dcat:Dataset with what every dataset here carries."""
        temporal = (
            {}
            if period is None
            else {
                "dct:temporal": {
                    "@type": "dct:PeriodOfTime",
                    "dcat:startDate": _partial_date(period.start),
                    "dcat:endDate": _partial_date(period.end),
                }
            }
        )
        return {
            "@id": self._dataset_iri(identifier),
            "@type": "dcat:Dataset",
            "dct:identifier": identifier,
            "dct:title": title,
            "dct:description": description,
            "dct:publisher": self._publisher(),
            "dcat:contactPoint": self._contact(),
            # Edits arrive whenever the data stewards make them.
            "dct:accrualPeriodicity": self._once(
                {"@id": f"{AUTHORITY}/frequency/IRREG", "@type": "dct:Frequency"}
            ),
            "dct:spatial": self._thailand(),
            **temporal,
            "dcat:theme": [self._theme(code) for code in themes],
            "dcat:keyword": ["smart city", "Thailand", "เมืองอัจฉริยะ", *keywords],
            **_dated(**dates),
            "dcat:distribution": distributions,
        }

    def _entity_dataset(self, dataset: Dataset) -> dict[str, Any]:
        entity = dataset.entity
        english, thai = entity.title_en, entity.title_th
        files = [
            self._file(
                file,
                _text(
                    f"{english}: {FORMAT_TEXTS[file.format][0]}.",
                    f"{thai}: {FORMAT_TEXTS[file.format][1]}",
                ),
            )
            for file in dataset.files
        ]
        api = {
            "@id": f"{self.base}/graphql#{entity.plural}",
            "@type": "dcat:Distribution",
            "dct:title": "GraphQL API",
            "dct:description": _text(
                f"{english}, queried through the GraphQL API.", f"{thai} ผ่าน GraphQL API"
            ),
            "dcat:accessURL": _resource(f"{self.base}/graphql"),
            "dcat:accessService": self._service(),
            "dct:format": {"@id": f"{AUTHORITY}/file-type/JSON", "@type": "dct:MediaTypeOrExtent"},
            "dcat:mediaType": {"@id": f"{IANA}application/json", "@type": "dct:MediaType"},
            "dct:license": self._licence(),
            "dct:rights": self._rights(),
            "dcatap:availability": self._available(),
        }
        return self._dataset(
            entity.plural,
            _text(english, thai),
            _text(
                f"{english} in Thailand's Smart City programme, each record with its sources.",
                f"{thai} ในโครงการเมืองอัจฉริยะ พร้อมแหล่งที่มาของแต่ละรายการ",
            ),
            # Records without dates of their own (provinces, the dimensions) describe the
            # programme over the span the whole data covers.
            dataset.period or self.now.period,
            ENTITY_THEMES.get(entity.plural, ("REGI",)),
            [entity.plural],
            [*files, api],
            issued=dataset.issued,
            modified=dataset.modified,
        )

    def _whole_dataset(self) -> dict[str, Any]:
        now = self.now
        return self._dataset(
            "smartcity-thailand",
            _text("Smart City Thailand: the whole dataset", "ข้อมูลเมืองอัจฉริยะทั้งหมด"),
            _text(
                "Every file of the datasets above in one zip, described as a Data Package, "
                "with a manifest of row counts and checksums.",
                "ไฟล์ทั้งหมดในไฟล์ zip เดียว พร้อมรายการจำนวนแถวและค่าตรวจสอบ",
            ),
            now.period,
            tuple(THEMES),
            [],
            [
                self._file(
                    now.archive,
                    _text(
                        "A zip of every file, the province data's licence, datapackage.json "
                        "(a Frictionless Data Package: each CSV's Table Schema) and "
                        "manifest.json (rows, bytes and SHA-256 of each file).",
                        "ไฟล์ zip ของทุกไฟล์ สัญญาอนุญาตของข้อมูลจังหวัด datapackage.json และ manifest.json",
                    ),
                )
            ],
            issued=now.issued,
            modified=now.archive.modified,
        )

    def _available(self) -> dict[str, Any]:
        return self._concept(
            f"{AUTHORITY}/planned-availability/AVAILABLE",
            "Available",
            f"{AUTHORITY}/planned-availability",
        )

    def _file(self, file: Download, description: list[dict[str, str]]) -> dict[str, Any]:
        """A download's distribution, with the exact size and checksum of what it serves."""
        url = f"{self.base}/downloads/{file.name}"
        distribution: dict[str, Any] = {
            "@id": f"{url}#distribution",
            "@type": "dcat:Distribution",
            "dct:title": file.name,
            "dct:description": description,
            "dcat:accessURL": _resource(url),
            "dcat:downloadURL": _resource(url),
            "dct:format": {
                "@id": f"{AUTHORITY}/file-type/{FILE_TYPES[file.format]}",
                "@type": "dct:MediaTypeOrExtent",
            },
            "dct:license": self._licence(),
            "dct:rights": self._rights(),
            "dcatap:availability": self._available(),
            "dcat:byteSize": {"@value": str(file.bytes), "@type": "xsd:nonNegativeInteger"},
            "spdx:checksum": {
                "@type": "spdx:Checksum",
                "spdx:algorithm": {
                    "@id": f"{CONTEXT['spdx']}checksumAlgorithm_sha256",
                    "@type": "spdx:ChecksumAlgorithm",
                },
                "spdx:checksumValue": {"@value": file.sha256, "@type": "xsd:hexBinary"},
            },
            **_dated(modified=file.modified),
        }
        if file.format not in UNREGISTERED:
            distribution["dcat:mediaType"] = {
                "@id": IANA + file.media_type.split(";")[0],  # no `charset`: IANA's name
                "@type": "dct:MediaType",
            }
        if file.format == "csv":
            # The zip's datapackage.json gives each CSV its Table Schema.
            distribution["dct:conformsTo"] = {"@id": TABLE_SCHEMA, "@type": "dct:Standard"}
        return distribution
