"""The DCAT-AP 3.0 catalog, fetched over HTTP from the real app on a real database: it
conforms to our shapes of the specification (tests/shapes/dcat-ap-3.ttl), its IRIs come from
PUBLIC_URL, and its sizes, checksums and dates are those of the downloads, before and after
an edit."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from pyshacl import validate
from rdflib import RDF, SH, Graph, Literal, Node, URIRef
from rdflib.namespace import DCAT, DCTERMS, Namespace
from sqlalchemy.ext.asyncio import AsyncEngine

from db import exports
from db.enums import KeyRole
from tests.graphql import app_client

PUBLIC_URL = "https://opendata.example.go.th"
SHAPES = Graph().parse(Path(__file__).parent / "shapes" / "dcat-ap-3.ttl")
SPDX = Namespace("http://spdx.org/rdf/terms#")

# rdflib's own JSON-LD parser still builds a ConjunctiveGraph internally.
pytestmark = pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")


@pytest.fixture
async def http(seeded_engine: AsyncEngine) -> AsyncIterator[httpx.AsyncClient]:
    """The app on the seeded database, published at PUBLIC_URL by a national authority."""
    async with app_client(
        seeded_engine, public_url=PUBLIC_URL, publisher_type="NationalAuthority"
    ) as client:
        yield client


async def _catalog(http: httpx.AsyncClient) -> Graph:
    response = await http.get("/catalog.jsonld")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/ld+json")
    return Graph().parse(data=response.text, format="json-ld")


def _value(graph: Graph, subject: Node, predicate: URIRef) -> Any:
    """The Python value of a literal property."""
    value = graph.value(subject, predicate)
    assert isinstance(value, Literal), (subject, predicate)
    return value.toPython()


def _results(catalog: Graph) -> list[tuple[Node | None, ...]]:
    """Each SHACL result as (severity, focus node, path, constraint component)."""
    _, report, _ = validate(catalog, shacl_graph=SHAPES, inference="none")
    assert isinstance(report, Graph)
    return sorted(
        (
            report.value(result, SH.resultSeverity),
            report.value(result, SH.focusNode),
            report.value(result, SH.resultPath),
            report.value(result, SH.sourceConstraintComponent),
        )
        for result in report.subjects(RDF.type, SH.ValidationResult)
    )


def _download(catalog: Graph, name: str) -> URIRef:
    [distribution] = catalog.subjects(DCAT.downloadURL, URIRef(f"{PUBLIC_URL}/downloads/{name}"))
    assert isinstance(distribution, URIRef)
    return distribution


def _checksum(catalog: Graph, distribution: URIRef) -> str:
    checksum = catalog.value(distribution, SPDX.checksum)
    return str(catalog.value(checksum, SPDX.checksumValue))


async def test_the_catalog_conforms_to_dcat_ap_3_and_the_shapes_can_fail(
    http: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    first = await http.get("/catalog.jsonld")
    assert first.headers["content-type"].startswith("application/ld+json")
    catalog = Graph().parse(data=first.text, format="json-ld")
    assert _results(catalog) == []  # no violation, no warning
    [root] = catalog.subjects(RDF.type, DCAT.Catalog)
    assert len(list(catalog.objects(root, DCAT.dataset))) == len(exports.ENTITIES) + 1

    # One distribution's rights as a plain string: exactly one violation, of the range.
    csv = _download(catalog, "smartcity-cities.csv")
    catalog.set((csv, DCTERMS.rights, Literal(exports.ATTRIBUTION)))
    assert _results(catalog) == [(SH.Violation, csv, DCTERMS.rights, SH.ClassConstraintComponent)]
    # A dataset without its contact point: exactly one warning, of a recommended property.
    dataset = URIRef(f"{PUBLIC_URL}/catalog.jsonld#cities")
    catalog.remove((dataset, DCAT.contactPoint, None))
    assert _results(catalog) == [
        (SH.Violation, csv, DCTERMS.rights, SH.ClassConstraintComponent),
        (SH.Warning, dataset, DCAT.contactPoint, SH.MinCountConstraintComponent),
    ]

    # Measured once per data version: asking again, at either address, costs the data
    # version's read alone.
    caplog.clear()
    with caplog.at_level(logging.DEBUG, logger="smartcity.sessions"):
        again = await http.get("/.well-known/dcat-catalog")
    [request] = [record for record in caplog.records if hasattr(record, "statements")]
    assert request.statements == 1
    assert (again.headers["content-type"], again.content) == (
        first.headers["content-type"],
        first.content,
    )


async def test_the_catalog_is_the_same_whatever_host_it_is_fetched_at(
    http: httpx.AsyncClient,
) -> None:
    one = await http.get("/catalog.jsonld", headers={"Host": "one.example"})
    other = await http.get("/catalog.jsonld", headers={"Host": "203.0.113.7:8080"})
    assert one.content == other.content
    assert b"one.example" not in one.content
    assert b"testserver" not in one.content
    graph = Graph().parse(data=one.text, format="json-ld")
    [root] = graph.subjects(RDF.type, DCAT.Catalog)
    assert root == URIRef(f"{PUBLIC_URL}/catalog.jsonld")
    [service] = graph.subjects(RDF.type, DCAT.DataService)
    assert graph.value(service, DCAT.endpointURL) == URIRef(f"{PUBLIC_URL}/graphql")


async def test_each_distribution_gives_the_size_and_sha256_of_its_download(
    http: httpx.AsyncClient,
) -> None:
    catalog = await _catalog(http)
    downloads = sorted(catalog.subject_objects(DCAT.downloadURL))
    assert len(downloads) == len(exports.files()) + 1  # every file, and the whole-dataset zip
    for distribution, url in downloads:
        assert isinstance(distribution, URIRef)
        content = (await http.get(str(url).removeprefix(PUBLIC_URL))).content
        assert (_value(catalog, distribution, DCAT.byteSize), _checksum(catalog, distribution)) == (
            len(content),
            hashlib.sha256(content).hexdigest(),
        ), url


UPDATE_CITY = """
mutation($input: UpdateCityInput!) {
  updateCity(input: $input) { city { updatedAt } userErrors { message } }
}"""
RENAMED = "Phuket renamed to see the catalog follow an edit"


async def test_an_edit_moves_the_dates_sizes_and_checksums_it_touches(
    http: httpx.AsyncClient, role_keys: dict[KeyRole, str]
) -> None:
    before = await _catalog(http)
    found = await http.post(
        "/graphql", json={"query": '{ city(slug: "phuket") { id nameEn updatedAt } }'}
    )
    phuket = found.json()["data"]["city"]
    edited = await http.post(
        "/graphql",
        json={
            "query": UPDATE_CITY,
            "variables": {
                "input": {
                    "id": phuket["id"],
                    "expectedUpdatedAt": phuket["updatedAt"],
                    "nameEn": RENAMED,
                    "sources": ["optnews-17453"],  # one it cites already
                    "reason": "a test",
                }
            },
        },
        headers={"Authorization": f"Bearer {role_keys[KeyRole.EDITOR]}"},
    )
    assert edited.json()["data"]["updateCity"]["userErrors"] == []
    after = await _catalog(http)

    def moved(subject: URIRef, predicate: URIRef) -> bool:
        return bool(_value(before, subject, predicate) != _value(after, subject, predicate))

    cities, provinces = (
        URIRef(f"{PUBLIC_URL}/catalog.jsonld#{name}") for name in ("cities", "provinces")
    )
    assert moved(cities, DCTERMS.modified)
    assert not moved(provinces, DCTERMS.modified)
    for name, touched in [
        ("smartcity-cities.csv", True),
        ("smartcity-thailand.zip", True),
        ("smartcity-provinces.csv", False),
    ]:
        distribution = _download(after, name)
        assert _download(before, name) == distribution
        changed = _checksum(before, distribution) != _checksum(after, distribution)
        assert (changed, moved(distribution, DCTERMS.modified)) == (touched, touched), name
    # The CSV grew by the new name's extra bytes, and by nothing else.
    csv = _download(after, "smartcity-cities.csv")
    grown = len(RENAMED.encode()) - len(phuket["nameEn"].encode())
    assert _value(after, csv, DCAT.byteSize) == _value(before, csv, DCAT.byteSize) + grown
