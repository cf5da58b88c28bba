"""Browser assets, served by this server with content-hashed URLs and year-long caching.

Vendor files come from `web/node_modules` (installed from the npm registry by `make install`
with `npm ci`, pinned by `web/package-lock.json`); our own from `web/static`. Only the files
listed here are served: the URL names a file by its content hash, so it can be cached as
immutable, and a new version gets a new URL.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, Response

from api.settings import PROJECT_ROOT

WEB = PROJECT_ROOT / "web"
VENDOR = WEB / "node_modules"
OWN = WEB / "static"

FILES: dict[str, Path] = {
    "react.js": VENDOR / "react/umd/react.production.min.js",
    "react-dom.js": VENDOR / "react-dom/umd/react-dom.production.min.js",
    "graphiql.js": VENDOR / "graphiql/graphiql.min.js",
    "graphiql.css": VENDOR / "graphiql/graphiql.min.css",
    "explorer-plugin.js": VENDOR / "@graphiql/plugin-explorer/dist/index.umd.js",
    "explorer-plugin.css": VENDOR / "@graphiql/plugin-explorer/dist/style.css",
    "chart.js": VENDOR / "chart.js/dist/chart.umd.min.js",
    "site.css": OWN / "site.css",
    "explorer.js": OWN / "explorer.js",
    "programme.js": OWN / "programme.js",
    "steward.js": OWN / "steward.js",
}

MEDIA_TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}
IMMUTABLE = "public, max-age=31536000, immutable"


class MissingAssetsError(RuntimeError):
    """The npm packages are not installed: run `make install` (it runs `npm ci` in web/)."""


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
        missing = [str(path) for path in files.values() if not path.is_file()]
        if missing:
            raise MissingAssetsError(
                "browser assets missing (run `make install`): " + ", ".join(missing)
            )
        self.by_name = {name: Asset(name, path, _digest(path)) for name, path in files.items()}

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
