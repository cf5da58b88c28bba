"""Where answers to repeated queries are kept (see `schema.result_cache`)."""

from __future__ import annotations

from typing import Any, Protocol

from schema.recent import Recent

Data = dict[str, Any]


class ResultStore(Protocol):
    """Where answers are kept: this process's memory, or Redis shared by every process."""

    async def get(self, key: str) -> Data | None: ...

    async def put(self, key: str, data: Data) -> None: ...


class MemoryResults:
    """The `size` most recently used answers of this process. `get` and `put` never await,
    so no other request runs in between and no lock is needed. An answer is stored as the
    very object execution returned, and shared by every hit: nothing mutates a result once
    it has been executed (the response is serialised from it)."""

    def __init__(self, size: int) -> None:
        self._entries: Recent[str, Data] = Recent(size)

    async def get(self, key: str) -> Data | None:
        return self._entries.get(key)

    async def put(self, key: str, data: Data) -> None:
        self._entries.put(key, data)
