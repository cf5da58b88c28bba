"""The records a page of the change feed names, read together when the first is asked for."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from typing import Any

from db.access import Db
from db.mirror import records_by_key


class PageRecords:
    """Each change's record as a row of its download file, for one page of the feed: the
    first `Change.record` asked reads them all, one read per entity type on the page, and
    the rest wait for that read rather than making their own."""

    def __init__(self, db: Db, subjects: Iterable[tuple[str, str]]) -> None:
        self._db = db
        self._subjects = list(subjects)
        self._lock = asyncio.Lock()
        self._found: dict[tuple[str, str], dict[str, Any]] | None = None

    async def get(self, type_name: str, key: str) -> dict[str, Any] | None:
        async with self._lock:
            if self._found is None:
                self._found = await records_by_key(self._db, self._subjects)
        return self._found.get((type_name, key))
