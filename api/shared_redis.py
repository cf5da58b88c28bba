"""Redis shared by every process, and what each process does while it is down.

Redis being down must not take the API down with it: a caller falls back to what its own
process can do (count here, answer from its own memory), logged once per outage. Redis is
tried again by one request every `retry_seconds`, not by every request, and with short
socket timeouts, so a dead Redis adds no wait to each request.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import RedisError

T = TypeVar("T")


class SharedRedis:
    """One Redis client and its outage state, for one use (`what`, e.g. "result cache")."""

    def __init__(
        self,
        url: str,
        *,
        what: str,
        while_down: str,
        retry_seconds: float,
        logger: logging.Logger,
        timeout_seconds: float = 0.5,
    ) -> None:
        self.client: Redis = Redis.from_url(
            url,
            socket_connect_timeout=timeout_seconds,
            socket_timeout=timeout_seconds,
            # One immediate reconnect: after a Redis restart the pooled connection is dead,
            # and a fresh one answers.
            retry=Retry(NoBackoff(), retries=1),
        )
        self.what = what
        self.while_down = while_down
        self.retry_seconds = retry_seconds
        self.logger = logger
        self._retry_at: float | None = None  # set while Redis is down (monotonic seconds)

    async def shared_or(
        self, operation: Callable[[], Awaitable[T]], fallback: Callable[[], Awaitable[T]]
    ) -> T:
        """`operation` on Redis, or `fallback` while Redis is down and not yet due a retry."""
        probe = self._retry_at is not None
        if self._retry_at is not None:
            if time.monotonic() < self._retry_at:
                return await fallback()
            # This request tries Redis; the ones arriving meanwhile fall back.
            self._retry_at = time.monotonic() + self.retry_seconds
        try:
            result = await operation()
        except (RedisError, OSError) as error:
            if self._retry_at is None:  # the first failure of this outage
                self.logger.warning(
                    "%s: Redis unreachable (%r); %s until it is back, retrying every %s s",
                    self.what,
                    error,
                    self.while_down,
                    self.retry_seconds,
                )
            self._retry_at = time.monotonic() + self.retry_seconds
            return await fallback()
        # Only the probe ends an outage: a request that set out before Redis failed may
        # still come back with a success.
        if probe:
            self.logger.warning("%s: Redis is back", self.what)
            self._retry_at = None
        return result

    async def close(self) -> None:
        await self.client.aclose()
