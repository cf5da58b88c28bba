"""Where answers to repeated queries are kept: this process's memory, and Redis when
`REDIS_URL` is set, so every server process shares them (see `schema.result_cache`)."""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

from sqlalchemy.engine import URL

from api.settings import Settings
from api.shared_redis import SharedRedis
from schema.result_store import Data, MemoryResults

logger = logging.getLogger("smartcity.results")
T = TypeVar("T")


class RedisResults:
    """Answers in Redis, each kept `ttl_seconds`, behind this process's own `MemoryResults`.

    Keys are prefixed with `database`: a data version is a sequence number, equal in two
    databases that hold different data (staging and production sharing a Redis, or tests).

    An entry never changes once written (its key holds the data version), so the copy in
    memory can never be older than the one in Redis. Redis being down fails no request: the
    process answers from its own memory meanwhile, logs the outage once, and one request
    tries Redis again every `retry_seconds`, with short socket timeouts, as the rate-limit
    counters do.
    """

    def __init__(
        self,
        url: str,
        local: MemoryResults,
        *,
        database: str,
        ttl_seconds: int,
        retry_seconds: float,
        timeout_seconds: float = 0.5,
    ) -> None:
        self.shared = SharedRedis(
            url,
            what="result cache",
            while_down="each process answers from its own memory",
            retry_seconds=retry_seconds,
            logger=logger,
            timeout_seconds=timeout_seconds,
        )
        self.local = local
        self.prefix = f"smartcity:result:{hashlib.sha256(database.encode()).hexdigest()[:16]}:"
        self.ttl_seconds = ttl_seconds

    async def get(self, key: str) -> Data | None:
        data = await self.local.get(key)
        if data is not None:
            return data
        raw = await self._on_redis(lambda: self.shared.client.get(self.prefix + key))
        if raw is None:
            return None
        shared: Data = json.loads(raw)
        await self.local.put(key, shared)
        return shared

    async def put(self, key: str, data: Data) -> None:
        await self.local.put(key, data)
        value = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
        await self._on_redis(
            lambda: self.shared.client.set(self.prefix + key, value, ex=self.ttl_seconds)
        )

    async def _on_redis(self, operation: Callable[[], Awaitable[T]]) -> T | None:
        """`operation` on Redis; None if Redis fails, or is down and not yet due a retry."""

        async def nothing() -> None:
            return None

        return await self.shared.shared_or(operation, nothing)

    async def close(self) -> None:
        await self.shared.close()


def result_store(settings: Settings, database: URL) -> MemoryResults | RedisResults | None:
    """The store `settings` ask for, for answers from `database`: None when
    `RESULT_CACHE_SIZE` is 0."""
    if settings.result_cache_size <= 0:
        return None
    local = MemoryResults(settings.result_cache_size)
    if not settings.redis_url:
        return local
    return RedisResults(
        settings.redis_url,
        local,
        database=database.render_as_string(hide_password=True),
        ttl_seconds=settings.result_cache_seconds,
        retry_seconds=settings.redis_retry_seconds,
    )
