"""The benchmark's generated x100 copy (`bench/synthetic.sql`) still fits the schema. Only
`make bench` runs it, so a renamed column would otherwise break the speed figures unseen
(as `city.round` → `certification_round` did)."""

from __future__ import annotations

from pathlib import Path

import asyncpg  # type: ignore[import-untyped]
import pytest
from sqlalchemy.engine import URL

from tests.databases import backends

SYNTHETIC = Path(__file__).resolve().parent.parent / "bench" / "synthetic.sql"


# The benchmark runs on PostgreSQL only, as production does.
@pytest.mark.parametrize("backend", [b for b in backends() if b == "postgresql"], indirect=True)
async def test_the_benchmarks_synthetic_copy_applies_to_the_current_schema(
    seeded_database_url: URL,
) -> None:
    url = seeded_database_url.set(drivername="postgresql").render_as_string(hide_password=False)
    connection = await asyncpg.connect(url)
    try:
        before = await connection.fetchval("SELECT count(*) FROM city")
        await connection.execute(SYNTHETIC.read_text(encoding="utf-8"))
        after = await connection.fetchval("SELECT count(*) FROM city")
    finally:
        await connection.close()
    assert before > 0
    assert after == before * 100  # each real area and 99 generated copies
