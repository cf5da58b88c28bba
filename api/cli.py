"""The `smartcity` command: serve, migrate, seed, import, export, mirror, keys, schema."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import json
import logging
import os
import shutil
import sys
import tempfile
from collections.abc import AsyncIterator, Iterator, Sequence
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import Any

import uvicorn
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession
from tqdm import tqdm

from api import datapackage, logs, mirror
from api.connections import HeadTimeoutProtocol
from api.settings import Settings
from db import audit, exports, hooks, imports, keys, migrate
from db.access import Db
from db.audit import Actor
from db.edits import Outcome
from db.engine import create_engine, session_factory
from db.enums import AuditAction, EditChannel, KeyRole
from db.fixtures import DEFAULT_FIXTURES, Changes, FixtureError, load_fixtures
from db.tables import AuditEntry, Province
from schema import identity, policy
from schema.build import build_schema
from schema.pagination import MAX_PAGE_SIZE

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


class EditsInTheWay(Exception):
    """Loading the fixtures would overwrite or delete records people have edited."""

    def __init__(self, edited: Sequence[AuditEntry], changes: Changes) -> None:
        super().__init__(f"{len(edited)} edits")
        self.edited = [
            f"  {entry.updated_at:%Y-%m-%d %H:%M} {entry.action.lower()} "
            f"{entry.subject_type} {entry.subject_key} by {entry.actor_name}"
            for entry in edited
        ]
        self.changes = changes


async def _seed(database_url: str, fixtures: Path, *, replace: bool = False) -> Changes:
    """Bring the database to the fixtures, in one transaction. Where people have edited the
    data since the fixtures were last loaded, and the fixtures would change anything, only
    with `replace`; else `EditsInTheWay`, and nothing is written."""
    async with _session(database_url) as session:
        edited = await audit.edits_since_seed(session)
        changes = await load_fixtures(session, fixtures)
        if not changes.total:
            return changes
        if edited and not replace:
            refused = EditsInTheWay(edited, changes)
            await session.rollback()
            raise refused
        reason = f"loaded {fixtures.name}/" + (
            f", replacing {_edits(len(edited))}" if edited else ""
        )
        audit.record(session, SEED_ACTOR, AuditAction.SEED, reason=reason)
        await session.commit()
        return changes


SEED_ACTOR = Actor("smartcity seed", EditChannel.CLI)


def _refusal(refused: EditsInTheWay) -> str:
    """What `smartcity seed` says when edits are in the way: what it would change."""
    lines = [
        f"smartcity seed: the database holds {_edits(len(refused.edited))} made since the "
        "fixtures were last loaded, and loading them would change:",
        *_table_lines(refused.changes),
        "Edits since the last seed:",
        *refused.edited[:20],
        *(["  …"] if len(refused.edited) > 20 else []),
        "Nothing was written. Export the edits first (smartcity export), then run "
        "`smartcity seed --replace` to replace them with the fixtures.",
    ]
    return "\n".join(lines)


def _edits(count: int) -> str:
    return f"{count} edit" + ("" if count == 1 else "s")


def _table_lines(changes: Changes) -> list[str]:
    tables = sorted({*changes.inserted, *changes.updated, *changes.deleted})
    return [
        "  "
        + table
        + ": "
        + ", ".join(
            f"{counts[table]} {kind}"
            for kind, counts in (
                ("inserted", changes.inserted),
                ("updated", changes.updated),
                ("deleted", changes.deleted),
            )
            if counts.get(table)
        )
        for table in tables
    ]


async def _is_unseeded(database_url: str) -> bool:
    """True when the (migrated) database holds no data yet."""
    async with _session(database_url) as session:
        return (await session.exec(select(Province.id).limit(1))).first() is None


async def _export(database_url: str, output: Path) -> dict[str, Any]:
    # The same Data Package as `/downloads/smartcity-thailand.zip`: described by the schema.
    datapackage.install(build_schema()._schema)
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


def _compare_schema(release: Path, changelog: Path) -> int:
    try:
        old, notes = release.read_text(encoding="utf-8"), changelog.read_text(encoding="utf-8")
    except OSError as error:
        print(f"smartcity schema: {error}", file=sys.stderr)
        return 2
    new = identity.sdl(build_schema())
    for change in policy.changes(old, new):
        print(f"{'breaking' if change.breaking else 'dangerous'}\t{change.description}")
    refused = policy.refusals(old, new, notes)
    for problem in refused:
        print(f"smartcity schema: {problem}", file=sys.stderr)
    return 1 if refused else 0


@contextmanager
def _metrics_directory(workers: int) -> Iterator[None]:
    """With several processes, a directory where each writes its metrics and from which
    whichever is scraped sums them all (prometheus-client's multiprocess mode, chosen when
    a process imports it: so set before the workers start). An operator's own directory is
    used as it is, as other `serve` commands may be writing to it: emptying it between
    runs is theirs to do, as prometheus-client's documentation says."""
    given = os.environ.get(MULTIPROCESS_DIRECTORY)
    if given:
        Path(given).mkdir(parents=True, exist_ok=True)
        yield
        return
    if workers == 1:
        yield
        return
    directory = tempfile.mkdtemp(prefix="smartcity-metrics-")
    os.environ[MULTIPROCESS_DIRECTORY] = directory
    try:
        yield
    finally:
        del os.environ[MULTIPROCESS_DIRECTORY]
        shutil.rmtree(directory, ignore_errors=True)


MULTIPROCESS_DIRECTORY = "PROMETHEUS_MULTIPROC_DIR"


def _positive(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number of at least 1")
    return int(value)


def _role(value: str) -> KeyRole:
    try:
        return KeyRole(value.upper())
    except ValueError:
        names = ", ".join(role.lower() for role in KeyRole)
        raise argparse.ArgumentTypeError(f"{value!r} is no role; choose {names}") from None


async def _import(database_url: str, args: argparse.Namespace, content: bytes) -> int:
    path: Path = args.file
    actor = Actor(f"{getpass.getuser()} (smartcity import)", EditChannel.IMPORT)
    bars: dict[str, tqdm[Any]] = {}

    def progress(stage: str, done: int, total: int) -> None:
        if stage not in bars:
            bars[stage] = tqdm(total=total, unit="row", desc=stage, file=sys.stderr)
        bars[stage].update(done - bars[stage].n)

    async with _session(database_url) as session:
        report = await imports.import_file(
            session,
            path.name,
            content,
            actor,
            dry_run=args.dry_run,
            reason=args.reason,
            progress=progress,
        )
    for bar in bars.values():
        bar.close()
    if args.json:
        print(json.dumps(report.as_json(), ensure_ascii=False, indent=2))
    else:
        print(_import_summary(report))
    return 0 if report.valid else 1


def _import_summary(report: imports.Report) -> str:
    problems = len(report.errors)
    lines = [
        f"{report.name}: row {error.row_number or '-'}, {error.field_name or '-'}: "
        f"{error.code} {error.message}"
        for error in report.errors
    ]
    counts = ", ".join(
        f"{report.count(outcome)} {outcome.lower()}"
        for outcome in (Outcome.CREATED, Outcome.UPDATED, Outcome.UNCHANGED)
    )
    if not report.valid:
        lines.append(f"{problems} problem{'' if problems == 1 else 's'}: nothing was written")
    elif report.applied:
        lines.append(f"applied: {counts}")
    else:
        lines.append(f"valid (dry run, nothing written): would be {counts}")
    return "\n".join(lines)


def _mirror(args: argparse.Namespace) -> int:
    _ensure_sqlite_directory(args.into)
    options = mirror.Options(
        args.url,
        args.into,
        key=args.key or os.environ.get("SMARTCITY_KEY") or None,
        page_size=args.page_size,
        max_pages=args.max_pages,
        max_wait=args.max_wait,
    )
    try:
        report = asyncio.run(mirror.run(options))
    except mirror.Refused as refused:
        print(f"smartcity mirror: {refused}", file=sys.stderr)
        return 1
    print(report.summary(options.url.rstrip("/")))
    return 0


def _database_url(value: str) -> str:
    """A database URL SQLAlchemy can read (`sqlite:///mirror.sqlite`, `postgresql://…`)."""
    try:
        make_url(value)
    except ArgumentError:
        raise argparse.ArgumentTypeError(
            f"{value!r} is no database URL; e.g. sqlite:///mirror.sqlite or "
            "postgresql://user@host/mirror"
        ) from None
    return value


def _page_size(value: str) -> int:
    size = _positive(value)
    if size > MAX_PAGE_SIZE:
        raise argparse.ArgumentTypeError(f"at most {MAX_PAGE_SIZE} changes a page")
    return size


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
        # Logged, not printed: under `serve` it is a line of the JSON log like any other.
        logger.info(_report(asyncio.run(_seed(database_url, DEFAULT_FIXTURES))))


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
    serve.add_argument(
        "--workers",
        type=_positive,
        default=1,
        help="server processes sharing the port (default 1); with several, set REDIS_URL so "
        "that they share rate limits and cached answers, and use PostgreSQL",
    )
    commands.add_parser("migrate", help="apply database migrations (alembic upgrade head)")
    seed = commands.add_parser(
        "seed",
        help="bring the database to fixtures/ (idempotent); refuses to overwrite edits made "
        "since the last seed unless --replace",
    )
    seed.add_argument("--fixtures", type=Path, default=DEFAULT_FIXTURES, help="fixtures folder")
    seed.add_argument(
        "--replace",
        action="store_true",
        help="also where people have edited the data since the last seed: their edits are "
        "replaced by the fixtures (without it, seed refuses and says what would change)",
    )
    schema_command = commands.add_parser(
        "schema", help="print the GraphQL schema (SDL), or compare it with a release's"
    )
    schema_command.add_argument(
        "--against",
        type=Path,
        metavar="SDL",
        help="list what changed since this schema (the last release's, in schema/releases/); "
        "exit 1 on a breaking change CHANGELOG.md does not record, or a removal not "
        "deprecated first",
    )
    schema_command.add_argument(
        "--changelog", type=Path, default=Path("CHANGELOG.md"), help="the changelog to check"
    )
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
    import_command = commands.add_parser(
        "import",
        help="check a CSV or XLSX file in the columns of a download, then apply it in one "
        "transaction (nothing is written unless every row is valid)",
    )
    import_command.add_argument("file", type=Path, help="the file, e.g. smartcity-cities.csv")
    import_command.add_argument(
        "--dry-run", action="store_true", help="only check, and report what would change"
    )
    import_command.add_argument("--reason", help="why, for the audit trail")
    import_command.add_argument(
        "--json", action="store_true", help="print the whole report as JSON (Frictionless shape)"
    )
    export = commands.add_parser(
        "export", help="write the whole dataset (every file, licence, manifest) to a zip"
    )
    export.add_argument(
        "--output", type=Path, default=Path("smartcity-thailand.zip"), help="zip file to write"
    )
    mirror_command = commands.add_parser(
        "mirror",
        help="copy a server's whole dataset into a database, then keep it in step through "
        "the change feed (resumable; run it again to catch up)",
    )
    mirror_command.add_argument("url", help="the server, e.g. https://api.example.org")
    mirror_command.add_argument(
        "--into",
        required=True,
        type=_database_url,
        metavar="DATABASE_URL",
        help="the mirror's database (created and migrated on the first run)",
    )
    mirror_command.add_argument(
        "--key", help="an API key, for a larger budget (default: the SMARTCITY_KEY variable)"
    )
    mirror_command.add_argument(
        "--page-size",
        type=_page_size,
        default=MAX_PAGE_SIZE,
        help=f"changes per page of the feed (default {MAX_PAGE_SIZE})",
    )
    mirror_command.add_argument(
        "--max-pages",
        type=_positive,
        help="read at most this many pages of the feed, then stop (the next run goes on)",
    )
    mirror_command.add_argument(
        "--max-wait",
        type=_positive,
        default=600,
        metavar="SECONDS",
        help="wait as a busy or rate-limited server asks (Retry-After) up to this long at a "
        "time, else stop (default 600)",
    )
    args = parser.parse_args(argv)

    hooks.install()  # seeding writes through sessions: keep the change feed and search in step
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    settings = Settings()
    if args.command == "mirror":
        return _mirror(args)
    if args.command == "schema":
        if args.against is None:
            print(build_schema().as_str())
        else:
            return _compare_schema(args.against, args.changelog)
    elif args.command == "migrate":
        _ensure_sqlite_directory(settings.database_url)
        migrate.upgrade(settings.database_url)
    elif args.command == "seed":
        try:
            changes = asyncio.run(_seed(settings.database_url, args.fixtures, replace=args.replace))
        except FixtureError as error:
            print(f"smartcity seed: {error}", file=sys.stderr)
            return 1
        except EditsInTheWay as refused:
            print(_refusal(refused), file=sys.stderr)
            return 1
        print("\n".join([_report(changes), *_table_lines(changes)]))
    elif args.command == "keys":
        return asyncio.run(_keys(settings.database_url, args))
    elif args.command == "import":
        try:
            content = args.file.read_bytes()
        except OSError as error:
            print(f"smartcity import: {error}", file=sys.stderr)
            return 2
        return asyncio.run(_import(settings.database_url, args, content))
    elif args.command == "export":
        manifest = asyncio.run(_export(settings.database_url, args.output))
        rows = sum(f["rows"] for f in manifest["files"] if f["format"] == "csv")
        print(f"wrote {args.output}: {len(manifest['files'])} files, {rows} records")
    elif args.command == "serve":
        logs.configure(settings.log_format)  # the migrations' and this process's lines too
        # The workers read their settings afresh: pass on the address asked for here, which
        # also makes an unset PUBLIC_URL name it.
        for name, given in (("HOST", args.host), ("PORT", args.port)):
            if given:
                os.environ[name] = str(given)
        bootstrap(settings.database_url)
        if args.workers > 1 and not settings.redis_url:
            logger.warning(
                "%d processes without REDIS_URL: each counts its own rate limits and caches "
                "its own answers",
                args.workers,
            )
        with _metrics_directory(args.workers):
            uvicorn.run(
                "api.app:create_served_app",
                factory=True,
                host=args.host or settings.host,
                port=args.port or settings.port,
                http=HeadTimeoutProtocol,
                limit_concurrency=settings.max_connections,
                timeout_keep_alive=settings.keep_alive_timeout_seconds,
                workers=args.workers,
                # Our own JSON lines (`api.logs`): one access line per request, with more in it.
                access_log=False,
                log_config=None,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
