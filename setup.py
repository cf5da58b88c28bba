"""What pyproject.toml cannot say: the folders that travel with the code, and what of them.

The migrations (`alembic/`), the fixtures (`fixtures/`) and the browser assets (`web/`) are
installed as the packages `smartcity_migrations`, `smartcity_fixtures` and `smartcity_web`,
so that the code finds them the same way in a checkout (an editable install maps the names
to the folders) and in a wheel (see `db/resources.py`). They cannot be installed under their
folders' names: `alembic` is the Alembic library's.
"""

import json
from pathlib import Path, PurePosixPath

from setuptools import find_packages, setup

ROOT = Path(__file__).resolve().parent
# The browser assets the server serves, by name: the one list, read by api/assets.py too.
ASSETS: dict[str, str] = json.loads((ROOT / "web" / "assets.json").read_text(encoding="utf-8"))


def _vendor_notices() -> list[str]:
    """Each vendor package's licence and manifest (which names its licence), beside its files."""
    packages = set()
    for path in ASSETS.values():
        parts = PurePosixPath(path).parts
        if parts[0] == "node_modules":
            packages.add("/".join(parts[: 3 if parts[1].startswith("@") else 2]))
    return [
        f"{package}/{name}" for package in sorted(packages) for name in ("LICENSE*", "package.json")
    ]


def _folders(package: str, root: Path, files: list[str]) -> list[str]:
    """The folders holding `files` that Python could import (their names are identifiers),
    as packages: setuptools asks for them to be listed. Only those there: before `npm ci`
    (an editable install in a new checkout) `node_modules` is not."""
    folders = set()
    for file in files:
        parts = PurePosixPath(file).parts[:-1]
        for depth in range(1, len(parts) + 1):
            if not all(part.isidentifier() for part in parts[:depth]):
                break
            if root.joinpath(*parts[:depth]).is_dir():
                folders.add(".".join((package, *parts[:depth])))
    return sorted(folders)


WEB_FILES = ["assets.json", "templates/*.html", *ASSETS.values(), *_vendor_notices()]

setup(
    packages=[
        *find_packages(include=["api", "api.*", "schema", "schema.*", "db", "db.*"]),
        "smartcity_migrations",
        "smartcity_migrations.versions",
        "smartcity_fixtures",
        "smartcity_web",
        *_folders("smartcity_web", ROOT / "web", WEB_FILES),
    ],
    package_dir={
        "smartcity_migrations": "alembic",
        "smartcity_fixtures": "fixtures",
        "smartcity_web": "web",
    },
    package_data={
        "smartcity_migrations": ["script.py.mako"],
        "smartcity_fixtures": ["*.yaml", "*.csv", "*.md"],
        "smartcity_web": WEB_FILES,
    },
)
