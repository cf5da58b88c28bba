"""Rate limits by cost: each client has a budget of points per time window.

Counters live in process memory, or in Redis when `REDIS_URL` is set, so every server process
behind a load balancer shares them. A client is its API key, or without one its address.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Protocol, TypeVar

from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import RedisError

from schema.budget import Allowance

logger = logging.getLogger("smartcity.ratelimit")
T = TypeVar("T")


class Counters(Protocol):
    async def add(self, key: str, points: int, ttl: int) -> int:
        """Add `points` to `key` (created with a time to live), and return the new total."""

    async def close(self) -> None: ...

    async def status(self) -> str:
        """Where counting happens now, for /health."""


class MemoryCounters:
    """For a single process (the embedded default). `add` never awaits, so no other
    request can run in between and no lock is needed."""

    SWEEP_SECONDS = 60

    def __init__(self) -> None:
        self._values: dict[str, tuple[int, float]] = {}  # key -> (total, expires at)
        self._next_sweep = 0.0

    async def add(self, key: str, points: int, ttl: int) -> int:
        now = time.monotonic()
        if now >= self._next_sweep:  # drop ended windows now and then, not on every request
            self._values = {k: v for k, v in self._values.items() if v[1] > now}
            self._next_sweep = now + self.SWEEP_SECONDS
        total, expires = self._values.get(key, (0, now + ttl))
        if expires <= now:  # its window ended since the last sweep
            total, expires = 0, now + ttl
        self._values[key] = (total + points, expires)
        return total + points

    async def close(self) -> None:
        self._values.clear()

    async def status(self) -> str:
        return "memory"


class RedisCounters:
    """Shared by every process: INCRBY is atomic, and the key expires with its window.

    Redis being down must not take the API down with it: counting falls back to this
    process's own counters (a looser limit meanwhile, as each process counts apart), logged
    once per outage. Redis is tried again by one request every `retry_seconds`, not by every
    request, and with short socket timeouts, so a dead Redis adds no wait to each request.
    """

    def __init__(
        self, url: str, *, retry_seconds: float = 5.0, timeout_seconds: float = 0.5
    ) -> None:
        self.redis: Redis = Redis.from_url(
            url,
            socket_connect_timeout=timeout_seconds,
            socket_timeout=timeout_seconds,
            # One immediate reconnect: after a Redis restart the pooled connection is dead,
            # and a fresh one answers.
            retry=Retry(NoBackoff(), retries=1),
        )
        self.retry_seconds = retry_seconds
        self.fallback = MemoryCounters()
        self._retry_at: float | None = None  # set while Redis is down (monotonic seconds)

    async def add(self, key: str, points: int, ttl: int) -> int:
        async def increment() -> int:
            async with self.redis.pipeline(transaction=True) as pipe:
                pipe.incrby(key, points)
                pipe.expire(key, ttl, nx=True)
                total, _ = await pipe.execute()
                return int(total)

        async def count_here() -> int:
            return await self.fallback.add(key, points, ttl)

        return await self._shared_or(increment, count_here)

    async def status(self) -> str:
        async def ping() -> str:
            await self.redis.ping()
            return "redis"

        async def fallen_back() -> str:
            return "memory-fallback"

        return await self._shared_or(ping, fallen_back)

    async def _shared_or(
        self, operation: Callable[[], Awaitable[T]], fallback: Callable[[], Awaitable[T]]
    ) -> T:
        """`operation` on Redis, or `fallback` while Redis is down and not yet due a retry."""
        probe = self._retry_at is not None
        if self._retry_at is not None:
            if time.monotonic() < self._retry_at:
                return await fallback()
            # This request tries Redis; the ones arriving meanwhile keep counting here.
            self._retry_at = time.monotonic() + self.retry_seconds
        try:
            result = await operation()
        except (RedisError, OSError) as error:
            if self._retry_at is None:  # the first failure of this outage
                logger.warning(
                    "rate-limit counters: Redis unreachable (%r); counting in each process "
                    "until it is back, retrying every %s s",
                    error,
                    self.retry_seconds,
                )
            self._retry_at = time.monotonic() + self.retry_seconds
            return await fallback()
        # Only the probe ends an outage: a request that set out before Redis failed may
        # still come back with a success.
        if probe:
            logger.warning("rate-limit counters: Redis is back; counting there again")
            self._retry_at = None
        return result

    async def close(self) -> None:
        await self.redis.aclose()


@dataclass(frozen=True)
class ClientBudget:
    """One client's budget: `limit` points per `window` seconds."""

    counters: Counters
    client: str
    limit: int
    window: int

    async def spend(self, points: int) -> Allowance:
        now = int(time.time())
        window_start = now - now % self.window
        reset_at = window_start + self.window
        key = f"smartcity:budget:{self.client}:{window_start}"
        used = await self.counters.add(key, points, self.window)
        if used > self.limit:
            await self.counters.add(key, -points, self.window)  # a refused request is free
            return Allowance(
                allowed=False,
                limit=self.limit,
                remaining=max(0, self.limit - (used - points)),
                reset_at=reset_at,
                retry_after=max(1, reset_at - now),
            )
        return Allowance(
            allowed=True,
            limit=self.limit,
            remaining=self.limit - used,
            reset_at=reset_at,
            retry_after=0,
        )
