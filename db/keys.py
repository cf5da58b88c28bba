"""Issuing, revoking and checking API keys. A key is shown once; only its hash is kept."""

from __future__ import annotations

import hashlib
import secrets
import string
from collections.abc import Sequence

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from db.enums import KeyRole
from db.tables import ApiKey
from db.types import utcnow

KEY_PREFIX = "sck_"
# Letters and digits only: a base64url "-" or "_" at the start of the prefix that
# `smartcity keys revoke PREFIX` takes would be read as a command-line option.
SECRET_ALPHABET = string.ascii_letters + string.digits
SECRET_LENGTH = 43  # 43 characters from 62 carry 256 bits, as token_urlsafe(32) did


def new_secret() -> str:
    return "".join(secrets.choice(SECRET_ALPHABET) for _ in range(SECRET_LENGTH))


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


async def issue(
    session: AsyncSession, name: str, budget: int | None = None, role: KeyRole = KeyRole.READER
) -> tuple[str, ApiKey]:
    """A new key (returned in full, once) and its stored record."""
    secret = new_secret()
    key = KEY_PREFIX + secret
    record = ApiKey(prefix=secret[:8], sha256=_hash(key), name=name, budget=budget, role=role)
    session.add(record)
    await session.commit()
    await session.refresh(record)
    return key, record


async def revoke(session: AsyncSession, prefix: str) -> bool:
    record = (await session.exec(select(ApiKey).where(col(ApiKey.prefix) == prefix))).first()
    if record is None or record.revoked_at is not None:
        return False
    record.revoked_at = utcnow()
    session.add(record)
    await session.commit()
    return True


async def find(session: AsyncSession, key: str) -> ApiKey | None:
    """The live key record for `key`, or None if it is unknown or revoked."""
    record = (await session.exec(select(ApiKey).where(col(ApiKey.sha256) == _hash(key)))).first()
    return record if record is not None and record.revoked_at is None else None


async def listing(session: AsyncSession) -> Sequence[ApiKey]:
    return (await session.exec(select(ApiKey).order_by(col(ApiKey.id)))).all()
