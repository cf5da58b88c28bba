"""Where answers to repeated queries are kept: this process's memory, and Redis when
`REDIS_URL` is set, so every server process shares them (see `schema.result_cache`)."""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import RedisError
from sqlalchemy.engine import URL

from api.settings import Settings
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
        self.redis: Redis = Redis.from_url(
            url,
            socket_connect_timeout=timeout_seconds,
            socket_timeout=timeout_seconds,
            # One immediate reconnect: after a Redis restart the pooled connection is dead.
            retry=Retry(NoBackoff(), retries=1),
        )
        self.local = local
        self.prefix = f"smartcity:result:{hashlib.sha256(database.encode()).hexdigest()[:16]}:"
        self.ttl_seconds = ttl_seconds
        self.retry_seconds = retry_seconds
        self._retry_at: float | None = None  # set while Redis is down (monotonic seconds)

    async def get(self, key: str) -> Data | None:
        data = await self.local.get(key)
        if data is not None:
            return data
        raw = await self._on_redis(lambda: self.redis.get(self.prefix + key))
        if raw is None:
            return None
        shared: Data = json.loads(raw)
        await self.local.put(key, shared)
        return shared

    async def put(self, key: str, data: Data) -> None:
        await self.local.put(key, data)
        value = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
        await self._on_redis(lambda: self.redis.set(self.prefix + key, value, ex=self.ttl_seconds))

    async def _on_redis(self, operation: Callable[[], Awaitable[T]]) -> T | None:
        """`operation` on Redis; None if Redis fails, or is down and not yet due a retry."""
        probe = self._retry_at is not None
        if self._retry_at is not None:
            if time.monotonic() < self._retry_at:
                return None
            self._retry_at = time.monotonic() + self.retry_seconds  # this request probes
        try:
            result = await operation()
        except (RedisError, OSError) as error:
            if self._retry_at is None:  # the first failure of this outage
                logger.warning(
                    "result cache: Redis unreachable (%r); each process answers from its own "
                    "memory until it is back, retrying every %s s",
                    error,
                    self.retry_seconds,
                )
            self._retry_at = time.monotonic() + self.retry_seconds
            return None
        if probe:  # only the probe ends an outage, not a request that set out before it
            logger.warning("result cache: Redis is back; sharing answers there again")
            self._retry_at = None
        return result

    async def close(self) -> None:
        await self.redis.aclose()


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
