"""The `smartcity` command: serve, migrate, seed, schema."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import uvicorn
from sqlalchemy.engine import make_url
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession
from tqdm import tqdm

from api.connections import HeadTimeoutProtocol
from api.settings import Settings
from db import exports, hooks, keys, migrate
from db.access import Db
from db.engine import create_engine, session_factory
from db.enums import KeyRole
from db.fixtures import DEFAULT_FIXTURES, Changes, FixtureError, load_fixtures
from db.tables import Province
from schema.build import build_schema

logger = logging.getLogger("smartcity")


@asynccontextmanager
async def _session(database_url: str) -> AsyncIterator[AsyncSession]:
    """A session on an engine that lives as long as one command."""
    engine = create_engine(database_url)
    try:
        async with session_factory(engine)() as session:
            yield session
    finally:
        await engine.dispose()


async def _seed(database_url: str, fixtures: Path) -> Changes:
    async with _session(database_url) as session:
        changes = await load_fixtures(session, fixtures)
        await session.commit()
        return changes


async def _is_unseeded(database_url: str) -> bool:
    """True when the (migrated) database holds no data yet."""
    async with _session(database_url) as session:
        return (await session.exec(select(Province.id).limit(1))).first() is None


async def _export(database_url: str, output: Path) -> dict[str, Any]:
    async with _session(database_url) as session:
        with (
            output.open("wb") as target,
            tqdm(total=len(exports.files()), unit="file", desc="export") as bar,
        ):
            return await exports.write_archive(
                Db(session), target, progress=lambda name: bar.update()
            )


async def _keys(database_url: str, args: argparse.Namespace) -> int:
    async with _session(database_url) as session:
        if args.action == "issue":
            key, record = await keys.issue(session, args.name, args.budget, args.role)
            print(key)
            print(
                f"issued {record.role.lower()} key {record.prefix} for {record.name}; "
                "it is shown only once",
                file=sys.stderr,
            )
        elif args.action == "revoke":
            if not await keys.revoke(session, args.prefix):
                print(f"no live key with prefix {args.prefix}", file=sys.stderr)
                return 1
            print(f"revoked {args.prefix}")
        else:
            for record in await keys.listing(session):
                state = "revoked" if record.revoked_at else "live"
                print(
                    f"{record.prefix}\t{record.name}\t{record.role.lower()}\t"
                    f"{record.budget or '-'}\t{state}"
                )
        return 0


def _role(value: str) -> KeyRole:
    try:
        return KeyRole(value.upper())
    except ValueError:
        names = ", ".join(role.lower() for role in KeyRole)
        raise argparse.ArgumentTypeError(f"{value!r} is no role; choose {names}") from None


def _ensure_sqlite_directory(database_url: str) -> None:
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        Path(str(url.database)).parent.mkdir(parents=True, exist_ok=True)


def _report(changes: Changes) -> str:
    if not changes.total:
        return "fixtures loaded: no changes"
    parts = [
        f"{kind} {sum(counts.values())}"
        for kind, counts in (
            ("inserted", changes.inserted),
            ("updated", changes.updated),
            ("deleted", changes.deleted),
        )
        if counts
    ]
    return "fixtures loaded: " + ", ".join(parts)


def bootstrap(database_url: str) -> None:
    """Create and migrate the database; load the fixtures if it holds no data yet.

    A database that has data is never reseeded here: `smartcity seed` does that on purpose.
    """
    _ensure_sqlite_directory(database_url)
    migrate.upgrade(database_url)
    if asyncio.run(_is_unseeded(database_url)):
        print(_report(asyncio.run(_seed(database_url, DEFAULT_FIXTURES))))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="smartcity", description="Smart City Thailand open-data GraphQL API"
    )
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser(
        "serve", help="serve the API (creates, migrates and seeds the database on first run)"
    )
    serve.add_argument("--host", help="address to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port to listen on (default 8000)")
    commands.add_parser("migrate", help="apply database migrations (alembic upgrade head)")
    seed = commands.add_parser("seed", help="load fixtures/ into the database (idempotent)")
    seed.add_argument("--fixtures", type=Path, default=DEFAULT_FIXTURES, help="fixtures folder")
    commands.add_parser("schema", help="print the GraphQL schema (SDL)")
    keys_command = commands.add_parser("keys", help="issue, revoke and list API keys")
    key_actions = keys_command.add_subparsers(dest="action", required=True)
    issue = key_actions.add_parser("issue", help="issue a key (shown once) for NAME")
    issue.add_argument("name", help="who the key is for")
    issue.add_argument("--budget", type=int, help="points per window (default: KEY_BUDGET)")
    issue.add_argument(
        "--role",
        type=_role,
        default=KeyRole.READER,
        help="reader (default) reads; editor also writes and imports; admin also reads the "
        "audit trail",
    )
    revoke = key_actions.add_parser("revoke", help="revoke the key with this prefix")
    revoke.add_argument("prefix")
    key_actions.add_parser("list", help="list keys (prefix, name, role, budget, revoked)")
    export = commands.add_parser(
        "export", help="write the whole dataset (every file, licence, manifest) to a zip"
    )
    export.add_argument(
        "--output", type=Path, default=Path("smartcity-thailand.zip"), help="zip file to write"
    )
    args = parser.parse_args(argv)

    hooks.install()  # seeding writes through sessions: keep the change feed and search in step
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    settings = Settings()
    if args.command == "schema":
        print(build_schema().as_str())
    elif args.command == "migrate":
        _ensure_sqlite_directory(settings.database_url)
        migrate.upgrade(settings.database_url)
    elif args.command == "seed":
        try:
            print(_report(asyncio.run(_seed(settings.database_url, args.fixtures))))
        except FixtureError as error:
            print(f"smartcity seed: {error}", file=sys.stderr)
            return 1
    elif args.command == "keys":
        return asyncio.run(_keys(settings.database_url, args))
    elif args.command == "export":
        manifest = asyncio.run(_export(settings.database_url, args.output))
        rows = sum(f["rows"] for f in manifest["files"] if f["format"] == "csv")
        print(f"wrote {args.output}: {len(manifest['files'])} files, {rows} records")
    elif args.command == "serve":
        bootstrap(settings.database_url)
        uvicorn.run(
            "api.app:create_served_app",
            factory=True,
            host=args.host or settings.host,
            port=args.port or settings.port,
            http=HeadTimeoutProtocol,
            limit_concurrency=settings.max_connections,
            timeout_keep_alive=settings.keep_alive_timeout_seconds,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
