"""`smartcity mirror URL --into DATABASE_URL`: a copy of a server's whole dataset, kept in
step through its change feed.

The first run creates and migrates the target database, notes the server's data version,
then loads the whole-dataset zip: any change made while the zip was being written is at or
after that version, and is applied again from the feed, which is harmless, as every write is
an upsert by natural key. Every run then follows the feed from where the mirror stands, a
page at a time, each page applied in one transaction together with the new position, so an
interrupted run resumes after the last page it committed. The rows themselves are applied by
`db.mirror`.
"""

from __future__ import annotations

import asyncio
import io
import json
import sys
import tempfile
import zipfile
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import IO, Any

import httpx
from sqlalchemy.exc import SQLAlchemyError
from tqdm import tqdm

from db import exports, migrate
from db.engine import create_engine, session_factory
from db.entities import Entity
from db.enums import ChangeOperation
from db.mirror import (
    BY_TYPE,
    Applied,
    Batch,
    MirrorError,
    NotAMirror,
    Unresolved,
    apply,
    check_ours,
    exported_names,
    standing,
)
from db.published import ARCHIVE
from schema import identity
from schema.build import build_schema
from schema.changes.types import FEED
from schema.pagination import MAX_PAGE_SIZE, encode_cursor

FEED_PAGE = """query MirrorFeed($after: String, $first: Int!) {
  changes(after: $after, first: $first) {
    nodes { sequence operation typeName key record }
    pageInfo { hasNextPage }
  }
}"""
# Statuses that say "ask again later", with a Retry-After.
_LATER = {429, 503}
_TIMEOUT = httpx.Timeout(60.0, connect=10.0)


class Refused(Exception):
    """The mirror cannot run as asked: the message says why and what to do."""


@dataclass(frozen=True)
class Options:
    url: str
    into: str
    key: str | None = None
    page_size: int = MAX_PAGE_SIZE
    max_pages: int | None = None  # feed pages to read this run; None: to the feed's end
    max_wait: float = 600.0  # the longest Retry-After obeyed, in seconds


@dataclass
class Report:
    snapshot: int = 0  # records loaded from the snapshot
    pages: int = 0  # feed pages read
    changes: int = 0  # changes read from the feed
    applied: Applied = field(default_factory=Applied)
    sequence: int = 0  # where the mirror stands now
    complete: bool = True  # False when --max-pages stopped the run before the feed's end

    def summary(self, url: str) -> str:
        written = sum(self.applied.written.values())
        deleted = sum(self.applied.deleted.values())
        parts = [f"snapshot of {self.snapshot} records"] if self.snapshot else []
        parts.append(
            f"{self.changes} change{'' if self.changes == 1 else 's'} in {self.pages} "
            f"page{'' if self.pages == 1 else 's'}: {written} written, {deleted} deleted"
        )
        state = "up to date" if self.complete else "stopped early; run again to continue"
        return f"mirror of {url} at change {self.sequence} ({state}): " + "; ".join(parts)


class Source:
    """The server mirrored, over HTTP: every request waits out a 429's or 503's
    Retry-After (up to `max_wait`) and is asked again."""

    def __init__(self, http: httpx.AsyncClient, url: str, max_wait: float) -> None:
        self.http = http
        self.url = url
        self.max_wait = max_wait

    @asynccontextmanager
    async def _request(
        self, method: str, path: str, **kwargs: Any
    ) -> AsyncIterator[httpx.Response]:
        while True:
            try:
                async with self.http.stream(method, path, **kwargs) as response:
                    wait = _retry_after(response) if response.status_code in _LATER else None
                    if wait is None:
                        if response.status_code >= 400:
                            await response.aread()
                            raise Refused(_failure(self.url, path, response))
                        yield response
                        return
            except (httpx.ConnectError, httpx.ConnectTimeout) as error:
                raise Refused(f"cannot reach {self.url}: {error or type(error).__name__}") from None
            except httpx.TransportError as error:
                problem = error or type(error).__name__
                raise Refused(f"{self.url}{path} failed: {problem}; run again") from None
            if wait > self.max_wait:
                raise Refused(
                    f"{self.url} asks to wait {wait:.0f} s (status {response.status_code}), "
                    f"more than --max-wait {self.max_wait:.0f}: run again later, or send an "
                    "API key (--key) for a larger budget"
                )
            print(f"{self.url} asks to wait {wait:.0f} s; waiting", file=sys.stderr)
            await asyncio.sleep(wait)

    async def json(self, method: str, path: str, **kwargs: Any) -> Any:
        async with self._request(method, path, **kwargs) as response:
            await response.aread()
            try:
                return response.json()
            except ValueError:
                raise Refused(
                    f"{self.url}{path} did not answer JSON: is it a Smart City Thailand API?"
                ) from None

    async def download(self, path: str, target: IO[bytes]) -> None:
        async with self._request("GET", path) as response:
            with tqdm(unit="B", unit_scale=True, desc="download", file=sys.stderr) as bar:
                async for chunk in response.aiter_bytes():
                    target.write(chunk)
                    bar.update(len(chunk))

    async def feed_page(self, after: int, first: int) -> dict[str, Any]:
        variables = {"after": encode_cursor(after, FEED), "first": first}
        body = await self.json(
            "POST", "/graphql", json={"query": FEED_PAGE, "variables": variables}
        )
        if body.get("errors"):
            [error, *_] = body["errors"]
            code = error.get("extensions", {}).get("code", "ERROR")
            raise Refused(f"{self.url} refused the feed: {code} {error.get('message')}")
        page: dict[str, Any] = body["data"]["changes"]
        return page


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("retry-after", "")
    return float(value) if value.isdigit() else None


def _failure(url: str, path: str, response: httpx.Response) -> str:
    try:
        errors = response.json().get("errors") or []
        detail = f": {errors[0]['extensions']['code']} {errors[0]['message']}" if errors else ""
    except (ValueError, KeyError, IndexError, TypeError, AttributeError):
        detail = ""
    return f"{url}{path} answered {response.status_code}{detail}"


async def _check_release(source: Source) -> int:
    """The server's data version, once it is shown to serve this release's schema: a mirror
    holds the data model of the code that writes it."""
    served = await source.json("GET", "/version")
    if not isinstance(served, dict) or "schema" not in served or "dataVersion" not in served:
        raise Refused(f"{source.url}/version is not a Smart City Thailand API's")
    ours = identity.digest(build_schema())
    if served["schema"] != ours:
        raise Refused(
            f"{source.url} serves release {served.get('version')} with schema "
            f"{str(served['schema'])[:12]}…, and this smartcity has schema {ours[:12]}…: "
            "mirror with the release the server runs"
        )
    version: int = served["dataVersion"]
    return version


def _snapshot_rows(archive: zipfile.ZipFile) -> tuple[Batch, int]:
    """Every record in the zip's JSON Lines files, and how many."""
    batch = Batch()
    count = 0
    with tqdm(total=len(exports.ENTITIES), unit="file", desc="read", file=sys.stderr) as bar:
        for entity in exports.ENTITIES:
            name = exports.filename(entity, "jsonl")
            with archive.open(name) as member:
                for line in io.TextIOWrapper(member, encoding="utf-8"):
                    row = json.loads(line)
                    batch.upsert(entity, _key(entity, row), row)
                    count += 1
            bar.update()
    return batch, count


def _key(entity: Entity, row: dict[str, Any]) -> str:
    return str(row[exported_names(entity)[entity.key]])


def _add(batch: Batch, change: dict[str, Any]) -> None:
    """A change's effect on the batch. A record gone since (null) that is not a deletion is
    left to its deletion, later in the feed; a deletion of a record that exists again (its
    key taken anew) writes it as it is now."""
    entity = BY_TYPE.get(change["typeName"])
    if entity is None:
        raise Refused(f"the feed names a type this release does not know: {change['typeName']}")
    record = change["record"]
    if record is not None:
        batch.upsert(entity, change["key"], record)
    elif change["operation"] == ChangeOperation.DELETE:
        batch.delete(entity, change["key"])


class _Target:
    """The mirror's database: a batch and its position committed together, or nothing."""

    def __init__(self, url: str, source_url: str) -> None:
        self.engine = create_engine(url)
        self.source_url = source_url

    async def check_ours(self) -> None:
        try:
            await check_ours(self.engine)
        except NotAMirror as refused:
            raise Refused(f"the target database is not a mirror of it: {refused}") from None

    async def standing(self) -> int | None:
        async with session_factory(self.engine)() as session:
            try:
                return await standing(session, self.source_url)
            except NotAMirror as refused:
                raise Refused(f"the target database is not a mirror of it: {refused}") from None

    async def commit(
        self, batch: Batch, sequence: int, progress: Callable[[int], object] | None = None
    ) -> Applied | None:
        """Apply and commit; None, with nothing written, while the batch is unresolved."""
        async with session_factory(self.engine)() as session:
            try:
                applied = await apply(session, batch, self.source_url, sequence, progress)
                await session.commit()
            except Unresolved:
                await session.rollback()
                return None
            except MirrorError as error:
                raise Refused(f"cannot apply a record of {self.source_url}: {error}") from None
            return applied


async def _follow(
    source: Source,
    target: _Target,
    options: Options,
    batch: Batch,
    start: int,
    report: Report,
    newest: int,
) -> None:
    """Apply `batch` (a snapshot, or nothing) and the feed after `start`, page by page. A
    batch that names records the feed has not yet brought is held and applied together
    with the next page."""
    position, pending, more = start, bool(batch), True
    with tqdm(total=max(newest - start, 0), unit="change", desc="feed", file=sys.stderr) as bar:
        while True:
            if pending:
                done = await target.commit(batch, position)
                if done is not None:
                    report.applied.add(done)
                    batch, pending = Batch(), False
                elif not more:
                    raise Refused(
                        "the feed's end names records the server no longer holds: run again"
                    )
            if not more and not pending:
                break
            if options.max_pages is not None and report.pages >= options.max_pages:
                report.complete = False
                break
            page = await source.feed_page(position, options.page_size)
            nodes = page["nodes"]
            for change in nodes:
                _add(batch, change)
            report.pages += 1
            report.changes += len(nodes)
            more = page["pageInfo"]["hasNextPage"]
            if nodes:
                bar.update(max(0, min(nodes[-1]["sequence"], newest) - max(position, start)))
                position, pending = nodes[-1]["sequence"], True
    report.sequence = await target.standing() or start


async def run(options: Options) -> Report:
    """Mirror `options.url` into `options.into`; Refused with the reason if it cannot."""
    url = options.url.rstrip("/")
    headers = {"Authorization": f"Bearer {options.key}"} if options.key else {}
    report = Report()
    async with httpx.AsyncClient(base_url=url, headers=headers, timeout=_TIMEOUT) as http:
        source = Source(http, url, options.max_wait)
        newest = await _check_release(source)
        target = _Target(options.into, url)
        try:
            await target.check_ours()
            await asyncio.to_thread(migrate.upgrade, options.into)
            start = await target.standing()
            batch = Batch()
            if start is None:
                # The version first: what the zip misses of changes made meanwhile, the feed
                # brings from here.
                start = newest
                with tempfile.TemporaryFile() as file:
                    await source.download(f"/downloads/{ARCHIVE}", file)
                    file.seek(0)
                    with zipfile.ZipFile(file) as archive:
                        batch, report.snapshot = _snapshot_rows(archive)
                with tqdm(total=len(batch), unit="record", desc="snapshot", file=sys.stderr) as bar:
                    # Committed with where it stands, even if the source is empty; held for
                    # the feed's next page if it names records the zip missed.
                    done = await target.commit(batch, start, bar.update)
                if done is not None:
                    report.applied.add(done)
                    batch = Batch()
            await _follow(source, target, options, batch, start, report, newest)
        except SQLAlchemyError as error:
            raise Refused(f"the target database failed: {error}") from None
        except zipfile.BadZipFile as error:
            raise Refused(f"{url}/downloads/{ARCHIVE} is not a readable zip: {error}") from None
        finally:
            await target.engine.dispose()
    return report
