"""Rate limits by cost: each client has a budget of points per time window.

Counters live in process memory, or in Redis when `REDIS_URL` is set, so every server process
behind a load balancer shares them. A client is its API key, or without one its address.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Protocol

from api.shared_redis import SharedRedis
from schema.budget import Allowance

logger = logging.getLogger("smartcity.ratelimit")


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
        self.shared = SharedRedis(
            url,
            what="rate-limit counters",
            while_down="counting in each process",
            retry_seconds=retry_seconds,
            logger=logger,
            timeout_seconds=timeout_seconds,
        )
        self.fallback = MemoryCounters()

    async def add(self, key: str, points: int, ttl: int) -> int:
        async def increment() -> int:
            async with self.shared.client.pipeline(transaction=True) as pipe:
                pipe.incrby(key, points)
                pipe.expire(key, ttl, nx=True)
                total, _ = await pipe.execute()
                return int(total)

        async def count_here() -> int:
            return await self.fallback.add(key, points, ttl)

        return await self.shared.shared_or(increment, count_here)

    async def status(self) -> str:
        async def ping() -> str:
            await self.shared.client.ping()
            return "redis"

        async def fallen_back() -> str:
            return "memory-fallback"

        return await self.shared.shared_or(ping, fallen_back)

    async def close(self) -> None:
        await self.shared.close()


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
