"""The folders that travel with the code, found as the import system finds them.

The migrations (`alembic/`), the fixtures (`fixtures/`) and the browser assets (`web/`) are
installed as the packages `smartcity_migrations`, `smartcity_fixtures` and `smartcity_web`
(see setup.py): an editable install maps those names to a checkout's folders and a wheel
carries the folders inside it, so the code finds them alike, from any working directory.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path


class NotInstalledError(RuntimeError):
    """The project is not installed, so its folders cannot be found."""


def folder(package: str) -> Path:
    """Where an installed folder package's files are."""
    spec = importlib.util.find_spec(package)
    locations = None if spec is None else spec.submodule_search_locations
    if not locations:
        raise NotInstalledError(
            f"{package} is not installed: install the project (`pip install .`, or "
            "`make install` in a checkout)"
        )
    return Path(next(iter(locations)))


MIGRATIONS = folder("smartcity_migrations")
FIXTURES = folder("smartcity_fixtures")
WEB = folder("smartcity_web")
