"""Bulk downloads over HTTP, streamed."""

from __future__ import annotations

import tempfile
from collections.abc import AsyncIterator

from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response, StreamingResponse

from db import exports
from db.access import Db

ARCHIVE = "smartcity-thailand.zip"
FILES = {
    exports.filename(entity, format_): (entity, format_) for entity, format_ in exports.files()
}
# Every download names its licence and the catalog that describes it.
LINK = f'<{exports.LICENCE_URL}>; rel="license", </catalog.jsonld>; rel="describedby"'


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
            _archive(db), media_type="application/zip", headers=_attachment(name)
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


async def index(request: Request) -> JSONResponse:
    """What can be downloaded, with licence and attribution."""
    return JSONResponse(
        {
            "license": exports.LICENCE_URL,
            "attribution": exports.ATTRIBUTION,
            "catalog": "/catalog.jsonld",
            "archive": f"/downloads/{ARCHIVE}",
            "files": [
                {
                    "url": f"/downloads/{name}",
                    "entity": entity.plural,
                    "media_type": exports.FORMATS[f],
                }
                for name, (entity, f) in FILES.items()
            ],
        },
        headers={"Link": LINK},
    )
