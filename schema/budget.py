"""What the schema needs from the HTTP layer: the client's budget and the response."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Allowance:
    """What is left of a client's budget after a charge."""

    allowed: bool
    limit: int
    remaining: int
    reset_at: int  # epoch seconds
    retry_after: int  # seconds, when not allowed

    def headers(self, resource: str) -> dict[str, str]:
        """The `X-RateLimit-*` headers every charged response carries, as GitHub's do."""
        return {
            "X-RateLimit-Limit": str(self.limit),
            "X-RateLimit-Remaining": str(self.remaining),
            "X-RateLimit-Reset": str(self.reset_at),
            "X-RateLimit-Resource": resource,
        }


class Budget(Protocol):
    """The client's rate-limit budget, shared across server processes where configured."""

    async def spend(self, points: int) -> Allowance: ...


class HeaderSetter(Protocol):
    def __setitem__(self, name: str, value: str) -> None: ...


class ResponseHints(Protocol):
    """What a resolver or extension may set on the HTTP response."""

    @property
    def headers(self) -> HeaderSetter: ...

    status_code: int
