"""Browser assets, served by this server with content-hashed URLs and year-long caching.

`web/assets.json` lists them, by name: vendor files from `web/node_modules` (installed from the
npm registry by `make install` with `npm ci`, pinned by `web/package-lock.json`, and carried
in the wheel), and our own from `web/static`. Only those are served: the URL names a file by
its content hash, so it can be cached as immutable, and a new version gets a new URL.

Without them the API serves as ever; the pages say what is missing and how to install it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, Response

from db.resources import WEB

FILES: dict[str, Path] = {
    name: WEB / path
    for name, path in json.loads((WEB / "assets.json").read_text(encoding="utf-8")).items()
}

MEDIA_TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}
IMMUTABLE = "public, max-age=31536000, immutable"


@dataclass(frozen=True)
class Asset:
    name: str
    path: Path
    digest: str

    @property
    def url(self) -> str:
        return f"/assets/{self.digest}/{self.name}"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


class Assets:
    """The asset registry, read once when the app starts."""

    def __init__(self, files: dict[str, Path] = FILES) -> None:
        # Missing files (npm packages never installed) leave the pages, not the API, out.
        self.missing = sorted(str(path) for path in files.values() if not path.is_file())
        self.by_name = {
            name: Asset(name, path, _digest(path)) for name, path in files.items() if path.is_file()
        }

    def url(self, name: str) -> str:
        return self.by_name[name].url

    async def serve(self, request: Request) -> Response:
        asset = self.by_name.get(request.path_params["name"])
        if asset is None or asset.digest != request.path_params["digest"]:
            return PlainTextResponse("Not found", status_code=404)
        return FileResponse(
            asset.path,
            media_type=MEDIA_TYPES[Path(asset.name).suffix],
            headers={"Cache-Control": IMMUTABLE},
        )
