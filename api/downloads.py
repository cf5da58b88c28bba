"""Bulk downloads over HTTP, streamed; the index of them (an HTML page for a browser, JSON
for a program); and the Data Package descriptor on its own."""

from __future__ import annotations

import tempfile
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response, StreamingResponse

from api.caching import is_browser_navigation
from api.datapackage import DataPackage
from api.localised import Words
from api.pages import Pages, language
from db import exports
from db.access import Db
from db.published import ARCHIVE, ARCHIVE_MEDIA_TYPE, Download, Published, published

DESCRIPTOR = "datapackage.json"
FILES = {
    exports.filename(entity, format_): (entity, format_) for entity, format_ in exports.files()
}
# Every download names its licence and the catalog that describes it.
LINK = f'<{exports.LICENCE_URL}>; rel="license", </catalog.jsonld>; rel="describedby"'
FORMAT_NAMES = {
    "csv": "CSV",
    "xlsx": "Excel",
    "jsonl": "JSON Lines",
    "geojson": "GeoJSON",
    "zip": "ZIP",
}


def _attachment(name: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{name}"', "Link": LINK}


async def download(request: Request) -> Response:
    name = request.path_params["name"]
    db: Db = request.state.db
    if name != ARCHIVE and name not in FILES:
        return PlainTextResponse("Not found", status_code=404)
    # Connect before the 200 goes out: a database that cannot be reached is then answered
    # 503 (see api/faults.py) instead of a download cut off after its headers.
    await db.session.connection()
    if name == ARCHIVE:
        return StreamingResponse(
            _archive(db), media_type=ARCHIVE_MEDIA_TYPE, headers=_attachment(name)
        )
    entity, format_ = FILES[name]
    return StreamingResponse(
        exports.WRITERS[format_](db, entity),
        media_type=exports.FORMATS[format_],
        headers=_attachment(name),
    )


async def _archive(db: Db) -> AsyncIterator[bytes]:
    # The manifest's checksums need every file written first: build on disk, then stream.
    with tempfile.TemporaryFile() as spool:
        await exports.write_archive(db, spool)
        spool.seek(0)
        while chunk := spool.read(1 << 16):
            yield chunk


def _file(download: Download) -> dict[str, Any]:
    return {
        "url": f"/downloads/{download.name}",
        "entity": None if download.entity is None else download.entity.plural,
        "format": download.format,
        "media_type": download.media_type,
        "rows": download.rows,
        "bytes": download.bytes,
        "sha256": download.sha256,
        "modified": None if download.modified is None else download.modified.isoformat(),
    }


def size(count: int, words: Words) -> str:
    """A byte count as people read it: `840 B`, `12.3 kB`, `4.1 MB`."""
    for unit, scale in (("MB", 1_000_000), ("kB", 1_000)):
        if count >= scale:
            return f"{words.number(Decimal(count) / scale, 1)} {unit}"
    return f"{count} B"


@dataclass(frozen=True)
class Downloads:
    """The index of the downloads and the package descriptor, described by `package`."""

    pages: Pages
    package: DataPackage

    async def descriptor(self, db: Db, now: Published) -> dict[str, Any]:
        """`datapackage.json` as the archive carries it, from what is published now."""
        files = [
            {**_file(file), "name": file.name}
            for dataset in now.datasets
            for file in dataset.files
            if file.entity is not None
        ]
        return self.package.describe(now.data_version, await exports.last_change(db), files)

    async def datapackage(self, request: Request) -> JSONResponse:
        """The descriptor alone: its resources' paths are relative, so it describes the
        files beside it here as it does in the zip."""
        db: Db = request.state.db
        return JSONResponse(await self.descriptor(db, await published(db)), headers={"Link": LINK})

    async def index(self, request: Request) -> Response:
        """What can be downloaded, with licence and attribution: a page for a browser, JSON
        for a program."""
        db: Db = request.state.db
        now = await published(db)
        if is_browser_navigation(Headers(scope=request.scope)):
            return self._page(request, now)
        return JSONResponse(
            {
                "license": exports.LICENCE_URL,
                "attribution": exports.ATTRIBUTION,
                "catalog": "/catalog.jsonld",
                "archive": f"/downloads/{ARCHIVE}",
                "datapackage": f"/downloads/{DESCRIPTOR}",
                "data_version": now.data_version,
                "whole": _file(now.archive),
                "files": [_file(file) for dataset in now.datasets for file in dataset.files],
            },
            headers={"Link": LINK, "Vary": "Accept"},
        )

    def _page(self, request: Request, now: Published) -> Response:
        words = Words(language(request))

        def when(moment: datetime | None) -> str:
            return "" if moment is None else words.date(moment.date().isoformat())

        response = self.pages.downloads(
            request,
            now=now,
            dictionary=self.package.dictionary,
            entity_text=self.package.entity_description,
            size=lambda count: size(count, words),
            number=lambda count: words.number(count, 0),
            when=when,
            format_name=FORMAT_NAMES,
            licence=exports.LICENCE,
            licence_url=exports.LICENCE_URL,
            attribution=exports.ATTRIBUTION,
            archive=ARCHIVE,
            descriptor=DESCRIPTOR,
        )
        response.headers["Vary"] = "Accept, Accept-Language"
        return response
