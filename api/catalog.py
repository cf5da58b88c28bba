"""The DCAT catalog (JSON-LD) that describes the downloads and the API, for CKAN (data.go.th)
and other harvesters."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func
from sqlmodel import col, select
from starlette.requests import Request
from starlette.responses import JSONResponse

from api.downloads import ARCHIVE, FILES, LINK
from db import exports
from db.access import Db

FILE_TYPES = {
    "csv": "CSV",
    "xlsx": "XLSX",
    "jsonl": "JSON",
    "geojson": "GEOJSON",
    "zip": "ZIP",
}
FREQUENCY = "http://publications.europa.eu/resource/authority/frequency/IRREG"


def _text(english: str, thai: str) -> list[dict[str, str]]:
    return [{"@value": english, "@language": "en"}, {"@value": thai, "@language": "th"}]


def _distribution(base: str, name: str, format_: str, media_type: str) -> dict[str, Any]:
    return {
        "@id": f"{base}/downloads/{name}#distribution",
        "@type": "dcat:Distribution",
        "dct:title": name,
        "dcat:accessURL": {"@id": f"{base}/downloads/{name}"},
        "dcat:downloadURL": {"@id": f"{base}/downloads/{name}"},
        "dct:format": {
            "@id": f"http://publications.europa.eu/resource/authority/file-type/{FILE_TYPES[format_]}"
        },
        "dcat:mediaType": {
            "@id": "https://www.iana.org/assignments/media-types/" + media_type.split(";")[0]
        },
        "dct:license": {"@id": exports.LICENCE_URL},
        "dct:rights": exports.ATTRIBUTION,
    }


def _modified(when: datetime | None) -> dict[str, Any]:
    return {"@value": when.isoformat() if when else None, "@type": "xsd:dateTime"}


def _dataset(
    base: str,
    identifier: str,
    title: list[dict[str, str]],
    description: list[dict[str, str]],
    publisher: dict[str, Any],
    modified: datetime | None,
    distributions: list[dict[str, Any]],
    **more: Any,
) -> dict[str, Any]:
    """A dcat:Dataset with what every dataset here carries: licence, rights, frequency."""
    return {
        "@id": f"{base}/catalog.jsonld#{identifier}",
        "@type": "dcat:Dataset",
        "dct:identifier": identifier,
        "dct:title": title,
        "dct:description": description,
        "dct:publisher": publisher,
        "dct:license": {"@id": exports.LICENCE_URL},
        "dct:rights": exports.ATTRIBUTION,
        "dct:accrualPeriodicity": {"@id": FREQUENCY},
        **more,
        "dct:modified": _modified(modified),
        "dcat:distribution": distributions,
    }


async def catalog(request: Request) -> JSONResponse:
    """A DCAT-AP style catalog in JSON-LD, for CKAN (data.go.th) and other harvesters."""
    base = str(request.base_url).rstrip("/")
    db: Db = request.state.db
    publisher = {
        "@id": f"{base}/#publisher",
        "@type": "foaf:Agent",
        "foaf:name": "Smart City Thailand open-data API",
    }
    service = {
        "@id": f"{base}/graphql#service",
        "@type": "dcat:DataService",
        "dct:title": _text("Smart City Thailand GraphQL API", "GraphQL API ข้อมูลเมืองอัจฉริยะ"),
        "dcat:endpointURL": {"@id": f"{base}/graphql"},
        "dcat:endpointDescription": {"@id": f"{base}/graphql"},
        "dct:license": {"@id": exports.LICENCE_URL},
        "dct:publisher": publisher,
    }
    # When each entity last changed, all in one statement.
    [last_changes] = await db.rows(
        select(
            *(
                select(func.max(col(entity.model.updated_at))).scalar_subquery()
                for entity in exports.ENTITIES
            )
        )
    )
    datasets = []
    for entity, modified in zip(exports.ENTITIES, last_changes, strict=True):
        english, thai = entity.title_en, entity.title_th
        files = [
            _distribution(base, name, format_, exports.FORMATS[format_])
            for name, (file_entity, format_) in FILES.items()
            if file_entity is entity
        ]
        api = {
            "@id": f"{base}/graphql#{entity.plural}",
            "@type": "dcat:Distribution",
            "dct:title": "GraphQL API",
            "dcat:accessURL": {"@id": f"{base}/graphql"},
            "dcat:accessService": service,
            "dcat:mediaType": {
                "@id": "https://www.iana.org/assignments/media-types/application/json"
            },
            "dct:license": {"@id": exports.LICENCE_URL},
        }
        datasets.append(
            _dataset(
                base,
                entity.plural,
                _text(english, thai),
                _text(
                    f"{english} in Thailand's Smart City programme, each record with its sources.",
                    f"{thai} ในโครงการเมืองอัจฉริยะ พร้อมแหล่งที่มาของแต่ละรายการ",
                ),
                publisher,
                modified,
                [*files, api],
                **{
                    "dct:spatial": {
                        "@id": "http://publications.europa.eu/resource/authority/country/THA"
                    },
                    "dcat:keyword": ["smart city", "Thailand", "เมืองอัจฉริยะ", entity.plural],
                },
            )
        )
    latest = max(filter(None, last_changes), default=None)
    datasets.append(
        _dataset(
            base,
            "smartcity-thailand",
            _text("Smart City Thailand: the whole dataset", "ข้อมูลเมืองอัจฉริยะทั้งหมด"),
            _text(
                "Every file above in one zip, with a manifest of row counts and checksums.",
                "ไฟล์ทั้งหมดในไฟล์ zip เดียว พร้อมรายการจำนวนแถวและค่าตรวจสอบ",
            ),
            publisher,
            latest,
            [_distribution(base, ARCHIVE, "zip", "application/zip")],
        )
    )
    document = {
        "@context": {
            "dcat": "http://www.w3.org/ns/dcat#",
            "dct": "http://purl.org/dc/terms/",
            "foaf": "http://xmlns.com/foaf/0.1/",
            "xsd": "http://www.w3.org/2001/XMLSchema#",
        },
        "@id": f"{base}/catalog.jsonld",
        "@type": "dcat:Catalog",
        "dct:title": _text("Smart City Thailand open data", "ข้อมูลเปิดเมืองอัจฉริยะประเทศไทย"),
        "dct:description": _text(
            "Thailand's Smart City programme as open data: areas, provinces, projects, "
            "investments, milestones and progress, each record with its sources.",
            "ข้อมูลเปิดของโครงการเมืองอัจฉริยะ: พื้นที่ จังหวัด โครงการ การลงทุน หมุดหมาย และความคืบหน้า",
        ),
        "dct:publisher": publisher,
        "dct:license": {"@id": exports.LICENCE_URL},
        "dct:language": [
            {"@id": "http://id.loc.gov/vocabulary/iso639-1/th"},
            {"@id": "http://id.loc.gov/vocabulary/iso639-1/en"},
        ],
        "dct:modified": _modified(latest),
        "dcat:dataset": datasets,
        "dcat:service": service,
    }
    return JSONResponse(document, media_type="application/ld+json", headers={"Link": LINK})
