"""Measure, from outside, what hostile or careless requests do to one API server (issue 9).

Starts `python -m api.cli serve` in a checkout (so the checkout's own code runs), waits for
`/health`, sends each request of issue 9's table over real HTTP on 127.0.0.1, stops the server
and prints one row per measurement: what was sent | what happened, with numbers.

    .venv/bin/python bench/hostile.py --checkout DIR [--database-url URL] [--port P]
        [--generated N] [--json OUT] [--log FILE]

The server runs with `ANONYMOUS_BUDGET=1000000000` so that rate limiting hides nothing the
requests find, and without `REDIS_URL` (counters in memory). Every loop is bounded in count,
and every request in time.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import hashlib
import json
import os
import random
import signal
import socket
import string
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC
from pathlib import Path
from typing import Any

import graphql
import httpx
import hypothesis
from hypothesis import strategies as st
from hypothesis_graphql import nodes, queries

HOST = "127.0.0.1"  # every client has trust_env=False: no proxy from the environment
BUDGET = 10**9
STARTUP_SECONDS = 300.0  # the first `serve` migrates and seeds the database
RESPONSIVE_SECONDS = 5.0  # how long /health may take between measurements
DIAMOND_CAP_SECONDS = 60.0
BIG_BODY_CAP_SECONDS = 60.0
TRICKLE_CAP_SECONDS = 30.0
FUZZ_REQUEST_CAP_SECONDS = 30.0
FUZZ_BUDGET_SECONDS = 900.0  # past this, a fuzz loop stops sending (and says how many it skipped)
CHUNK = 64 * 1024
EXAMPLES = 5

SEED_QUERIES = [
    "{ dimensions { code } }",
    "{ projects(first: 5) { totalCount nodes { slug titleEn status startOn budget { amount } } } }",
    "{ cities(first: 3) { nodes { slug projects(first: 2) { nodes { slug } } } } }",
    "query ($slug: String!) { city(slug: $slug) { slug nameEn status } }",
    "query ($first: Int) { provinces(first: $first) { edges { cursor node { code } } } }",
    '{ search(query: "smart", first: 5) { totalCount } }',
]


@dataclass
class Row:
    """One line of the table, with the figures behind it (for `--json`) and any details
    (examples, log lines) printed under the table."""

    sent: str
    happened: str
    figures: dict[str, Any] = field(default_factory=dict)
    details: list[str] = field(default_factory=list)


# --- the server ------------------------------------------------------------------------------


class Server:
    """`python -m api.cli serve` in the checkout, its output appended to a log file."""

    def __init__(self, checkout: Path, database_url: str, port: int, log_path: Path) -> None:
        self.checkout = checkout
        self.port = port
        self.log_path = log_path
        self.base_url = f"http://{HOST}:{port}"
        self.env = {**os.environ, "DATABASE_URL": database_url, "ANONYMOUS_BUDGET": str(BUDGET)}
        self.env.pop("REDIS_URL", None)
        self.env["PYTHONUNBUFFERED"] = "1"
        self.process: subprocess.Popen[bytes] | None = None
        self.restarts = 0

    def start(self) -> None:
        if _port_answers(self.port):
            raise SystemExit(f"something already listens on {HOST}:{self.port}")
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                _cli("serve", "--host", HOST, "--port", str(self.port)),
                cwd=self.checkout,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        if not self.wait_responsive(STARTUP_SECONDS):
            self.stop()
            tail = self.log_path.read_text(errors="replace").splitlines()[-3:]
            raise SystemExit("the server did not answer /health; its log ends:\n" + "\n".join(tail))

    def wait_responsive(self, seconds: float) -> bool:
        """True once /health answers 200 within `seconds` (and the process still runs)."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process is None or self.process.poll() is not None:
                return False
            try:
                remaining = max(0.1, deadline - time.monotonic())
                if (
                    httpx.get(
                        f"{self.base_url}/health", timeout=remaining, trust_env=False
                    ).status_code
                    == 200
                ):
                    return True
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        return False

    def restart(self) -> None:
        self.stop()
        self.restarts += 1
        self.start()

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:  # a worker stuck in a loop never sees the signal
            self.process.kill()
            self.process.wait(timeout=10)
        self.process = None

    def rss_mb(self) -> float:
        """The server process's resident memory (VmRSS), in MB."""
        assert self.process is not None
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        kilobytes = next(
            line.split()[1] for line in status.splitlines() if line.startswith("VmRSS")
        )
        return int(kilobytes) / 1024


def _cli(*arguments: str) -> list[str]:
    """The checkout's CLI: run with the checkout as working directory, `python -m` imports
    its code before the editable install's."""
    return [sys.executable, "-m", "api.cli", *arguments]


def _port_answers(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex((HOST, port)) == 0


def schema_sdl(checkout: Path) -> str:
    """The checkout's schema, as its own CLI prints it."""
    return subprocess.run(
        _cli("schema"),
        cwd=checkout,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout


# --- reading answers -------------------------------------------------------------------------


def _json(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


def error_codes(response: httpx.Response) -> str:
    """The distinct `extensions.code`s of the answer's errors, `-` for none."""
    payload = _json(response)
    if not isinstance(payload, dict):
        return "non-JSON body"
    errors = payload.get("errors") or []
    codes = {
        str((error.get("extensions") or {}).get("code", "no code"))
        for error in errors
        if isinstance(error, dict)
    }
    return ",".join(sorted(codes)) or "-"


def outcome(result: httpx.Response | BaseException) -> str:
    if isinstance(result, httpx.TimeoutException):
        return "timeout"
    if isinstance(result, BaseException):
        return f"dropped ({type(result).__name__})"
    return f"{result.status_code} {error_codes(result)}"


def summary(outcomes: list[str]) -> str:
    return ", ".join(f"{count}x {what}" for what, count in Counter(outcomes).most_common())


# --- 1. fragment diamonds --------------------------------------------------------------------


def diamond(levels: int) -> str:
    """Each fragment spreads the next one twice: 2^levels paths through a small document."""
    spreads = [f"fragment F{i} on Query {{ ...F{i + 1} ...F{i + 1} }}" for i in range(levels)]
    return "\n".join(["{ ...F0 }", *spreads, f"fragment F{levels} on Query {{ __typename }}"])


class HealthProbe:
    """`GET /health` one after another, 0.1 s apart, recording each latency, until stopped."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.latencies: list[float] = []
        self.waiting_since: float | None = None
        self.failed = 0
        self.stopped = asyncio.Event()

    async def run(self) -> None:
        async with httpx.AsyncClient(
            trust_env=False, base_url=self.base_url, timeout=DIAMOND_CAP_SECONDS
        ) as client:
            for _ in range(int(DIAMOND_CAP_SECONDS / 0.1) + 1):
                if self.stopped.is_set():
                    return
                self.waiting_since = time.monotonic()
                try:
                    await client.get("/health")
                except httpx.HTTPError:  # timed like the others, and counted
                    self.failed += 1
                self.latencies.append(time.monotonic() - self.waiting_since)
                self.waiting_since = None
                await asyncio.sleep(0.1)

    def worst(self) -> str:
        worst = max(self.latencies, default=0.0)
        if self.waiting_since is not None:  # one still unanswered when the measurement ended
            return f"≥ {max(worst, time.monotonic() - self.waiting_since):.2f} s (unanswered)"
        failed = f" ({self.failed} failed or timed out)" if self.failed else ""
        return f"{worst:.2f} s{failed}"


async def measure_diamond(server: Server, levels: int) -> Row:
    document = diamond(levels)
    probe = HealthProbe(server.base_url)
    probing = asyncio.create_task(probe.run())
    await asyncio.sleep(0.3)  # a baseline probe or two first
    started = time.monotonic()
    async with httpx.AsyncClient(
        trust_env=False, base_url=server.base_url, timeout=DIAMOND_CAP_SECONDS
    ) as client:
        result = await _capture(client.post("/graphql", json={"query": document}))
    seconds = time.monotonic() - started
    # The probe waiting when the answer came is let finish: it measures the blocked time.
    probe.stopped.set()
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(asyncio.shield(probing), RESPONSIVE_SECONDS)
    probing.cancel()
    await asyncio.gather(probing, return_exceptions=True)
    answer = outcome(result)
    return Row(
        f"fragment diamond, {levels} levels ({len(document)} bytes)",
        f"{answer} after {seconds:.2f} s; /health max {probe.worst()} "
        f"over {len(probe.latencies)} probes",
        {"levels": levels, "answer": answer, "seconds": seconds, "health": probe.worst()},
    )


async def _capture(request: Awaitable[httpx.Response]) -> httpx.Response | BaseException:
    try:
        return await request
    except httpx.HTTPError as error:
        return error


# --- 2. ten concurrent 20 MB bodies ----------------------------------------------------------


async def _chunks(body: bytes) -> AsyncIterator[bytes]:
    for start in range(0, len(body), CHUNK):
        yield body[start : start + CHUNK]


async def _timed_post(
    client: httpx.AsyncClient, content: bytes | AsyncIterator[bytes]
) -> tuple[str, float]:
    started = time.monotonic()
    result = await _capture(
        client.post("/graphql", content=content, headers={"Content-Type": "application/json"})
    )
    return outcome(result), time.monotonic() - started


async def measure_big_bodies(server: Server, chunked: bool) -> Row:
    body = json.dumps({"query": "{ dimensions { code } }\n#" + "x" * 20_000_000}).encode()
    before = server.rss_mb()
    async with httpx.AsyncClient(
        trust_env=False, base_url=server.base_url, timeout=BIG_BODY_CAP_SECONDS
    ) as client:
        results = await asyncio.gather(
            *(_timed_post(client, _chunks(body) if chunked else body) for _ in range(10))
        )
    after = server.rss_mb()
    await asyncio.sleep(5)
    later = server.rss_mb()
    seconds = [elapsed for _, elapsed in results]
    framing = "chunked" if chunked else "with Content-Length"
    answers = [answer for answer, _ in results]
    return Row(
        f"ten concurrent 20 MB bodies, {framing}",
        f"{summary(answers)} in {min(seconds):.1f}-{max(seconds):.1f} s; "
        f"server RSS {before:.0f} → {after:.0f} MB, {later:.0f} MB 5 s later",
        {"answers": answers, "seconds": seconds, "rss_mb": [before, after, later]},
    )


# --- 3. a 50 MB garbage body -----------------------------------------------------------------


async def measure_garbage_body(server: Server) -> Row:
    """A raw socket, not httpx: httpx (anyio) and asyncio's streams go on accepting writes,
    and drop them, once the server has answered and closed, so a counting generator would
    read 50 MB whatever the server did. `sock_sendall` fails instead."""
    garbage = random.Random(0).randbytes(50_000_000)
    head = _request_head(server, len(garbage))
    loop = asyncio.get_running_loop()
    written = 0

    async def send_body(connection: socket.socket) -> None:
        nonlocal written
        with contextlib.suppress(ConnectionError):  # the server closed: the count stands
            for start in range(0, len(garbage), CHUNK):
                await loop.sock_sendall(connection, garbage[start : start + CHUNK])
                written = min(start + CHUNK, len(garbage))

    with socket.create_connection((HOST, server.port)) as connection:
        connection.setblocking(False)
        await loop.sock_sendall(connection, head)
        started = time.monotonic()
        sending = asyncio.create_task(send_body(connection))
        try:
            async with asyncio.timeout(BIG_BODY_CAP_SECONDS):
                first = await loop.sock_recv(connection, 4096)
            answer = first.split(b"\r\n", 1)[0].decode(errors="replace") or "closed, no answer"
        except TimeoutError:
            answer = "timeout"
        except ConnectionError as error:
            answer = f"dropped ({type(error).__name__})"
        seconds = time.monotonic() - started
        sent_before_answer = written
        sending.cancel()
        await asyncio.gather(sending, return_exceptions=True)
    return Row(
        "a 50 MB body of random bytes, with Content-Length (raw socket)",
        f"{answer} after {seconds:.2f} s; the socket had taken "
        f"{sent_before_answer / 1e6:.1f} MB of 50 by then",
        {"answer": answer, "seconds": seconds, "bytes_written": sent_before_answer},
    )


def _request_head(server: Server, length: int) -> bytes:
    return (
        f"POST /graphql HTTP/1.1\r\nHost: {HOST}:{server.port}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {length}\r\n\r\n"
    ).encode()


# --- 4. a trickled body ----------------------------------------------------------------------


async def measure_trickle(server: Server) -> Row:
    body = json.dumps({"query": "{ dimensions { code } }"}).encode().ljust(200)  # valid JSON
    head = _request_head(server, len(body))
    reader, writer = await asyncio.open_connection(HOST, server.port)
    started = time.monotonic()
    sent = 0
    status_line = asyncio.create_task(reader.readline())
    try:
        async with asyncio.timeout(TRICKLE_CAP_SECONDS):
            writer.write(head)
            while not status_line.done() and sent < len(body):
                writer.write(body[sent : sent + 1])
                await writer.drain()
                sent += 1
                await asyncio.wait({status_line}, timeout=0.5)
            line = (await status_line).decode(errors="replace").strip()
        happened = f"{line or 'closed without an answer'} after {time.monotonic() - started:.1f} s"
    except TimeoutError:
        line = ""
        happened = f"still reading after {TRICKLE_CAP_SECONDS:.0f} s"
    except ConnectionError as error:
        line = ""
        happened = f"connection {type(error).__name__} after {time.monotonic() - started:.1f} s"
    finally:
        status_line.cancel()
        writer.close()
    return Row(
        "a 200-byte body trickled at 1 byte / 0.5 s (raw socket)",
        f"{happened}, {sent} bytes sent",
        {"status_line": line, "bytes_sent": sent, "seconds": time.monotonic() - started},
    )


# --- 5. negative page sizes ------------------------------------------------------------------

NEGATIVE_FIRST = (
    "{ projects(first: -1000000) { totalCount } "
    "cities(first: 100) { nodes { projects(first: 100) { nodes { slug } } } } }"
)


async def measure_negative_first(server: Server) -> Row:
    async with httpx.AsyncClient(trust_env=False, base_url=server.base_url, timeout=60) as client:
        response = await client.post("/graphql", json={"query": NEGATIVE_FIRST})
    payload = _json(response)
    payload = payload if isinstance(payload, dict) else {}
    cost = (payload.get("extensions") or {}).get("cost") or {}
    nodes_requested = cost.get("requestedNodes", "absent")
    data = payload.get("data")
    answered = ", ".join(k for k, v in data.items() if v is not None) if data else ""
    return Row(
        "`projects(first: -1000000)` beside cities(first: 100) x projects(first: 100)",
        f"{response.status_code} {error_codes(response)}; requestedNodes {nodes_requested}; "
        f"data: {answered or 'none'}",
        {"status": response.status_code, "requested_nodes": nodes_requested, "data": answered},
    )


# --- 6. a persisted query that is not GraphQL ------------------------------------------------


async def measure_garbage_persisted_query(server: Server) -> Row:
    rng = random.Random(0)
    text = "".join(rng.choices(string.ascii_letters + string.punctuation + " ", k=20_000))
    persisted = {
        "persistedQuery": {"version": 1, "sha256Hash": hashlib.sha256(text.encode()).hexdigest()}
    }
    async with httpx.AsyncClient(trust_env=False, base_url=server.base_url, timeout=60) as client:
        cheap = {"query": "{ __typename }"}  # one point, the least a query costs
        first = await client.post("/graphql", json=cheap)
        registration = await client.post("/graphql", json={"query": text, "extensions": persisted})
        second = await client.post("/graphql", json=cheap)
        lookup = await client.post("/graphql", json={"extensions": persisted})
    remaining = [
        int(r.headers["X-RateLimit-Remaining"]) if "X-RateLimit-Remaining" in r.headers else None
        for r in (first, registration, second)
    ]
    stored = "PERSISTED_QUERY_NOT_FOUND" not in error_codes(lookup)
    charged = (
        "unknown"
        if remaining[0] is None or remaining[2] is None
        else str(remaining[0] - remaining[2] - 1)  # less the second cheap query's point
    )
    return Row(
        "a persisted-query registration of 20,000 characters that are not GraphQL",
        f"{registration.status_code} {error_codes(registration)}; asked by hash: "
        f"{error_codes(lookup)} ({'stored' if stored else 'not stored'}); "
        f"X-RateLimit-Remaining {' → '.join(str(r) for r in remaining)}: "
        f"registration charged {charged} point(s)",
        {"registration": error_codes(registration), "stored": stored, "remaining": remaining},
    )


# --- 7 and 8. fuzzing ------------------------------------------------------------------------


@dataclass
class Tally:
    """What a stream of requests got back, with a few distinct examples of each failure."""

    sent: int = 0
    skipped: int = 0
    server_errors: int = 0
    internal_errors: int = 0
    non_json: int = 0
    dropped: int = 0
    timeouts: int = 0
    examples: dict[str, str] = field(default_factory=dict)
    answers: Counter[str] = field(default_factory=Counter)
    started: float = field(default_factory=time.monotonic)

    def over_budget(self) -> bool:
        return time.monotonic() - self.started > FUZZ_BUDGET_SECONDS

    def post(self, client: httpx.Client, body: bytes) -> None:
        if self.over_budget():
            self.skipped += 1
            return
        self.sent += 1
        try:
            response = client.post(
                "/graphql", content=body, headers={"Content-Type": "application/json"}
            )
        except httpx.TimeoutException:
            self.timeouts += 1
            self._example("timeout", body)
            return
        except httpx.TransportError as error:
            self.dropped += 1
            self._example(f"dropped ({type(error).__name__})", body)
            return
        self._record(response, body)

    def _record(self, response: httpx.Response, body: bytes) -> None:
        self.answers[f"{response.status_code} {error_codes(response)}"] += 1
        payload = _json(response)
        if payload is None:
            self.non_json += 1
        if response.status_code >= 500:
            self.server_errors += 1
        if "INTERNAL_SERVER_ERROR" in response.text:
            self.internal_errors += 1
        if (
            payload is None
            or response.status_code >= 500
            or "INTERNAL_SERVER_ERROR" in response.text
        ):
            self._example(f"{response.status_code} {_message(payload, response.text)}", body)

    def _example(self, failure: str, body: bytes) -> None:
        if failure not in self.examples and len(self.examples) < EXAMPLES:
            self.examples[failure] = body[:300].decode(errors="replace")

    def happened(self) -> str:
        skipped = f" ({self.skipped} skipped: over the time budget)" if self.skipped else ""
        return (
            f"{self.sent} sent{skipped}: {self.server_errors} status ≥ 500, "
            f"{self.internal_errors} INTERNAL_SERVER_ERROR, {self.non_json} non-JSON bodies, "
            f"{self.dropped} dropped connections, {self.timeouts} timeouts; "
            f"{time.monotonic() - self.started:.0f} s"
        )

    def row(self, sent: str) -> Row:
        figures = {
            "sent": self.sent,
            "skipped": self.skipped,
            "status_5xx": self.server_errors,
            "internal_server_error": self.internal_errors,
            "non_json": self.non_json,
            "dropped": self.dropped,
            "timeouts": self.timeouts,
            "examples": self.examples,
            "answers": dict(self.answers.most_common()),
        }
        details = [f"{failure}  ←  {request}" for failure, request in self.examples.items()]
        return Row(sent, self.happened(), figures, details)


def _message(payload: Any, text: str) -> str:
    """The internal error's message, or the start of a body that is not JSON."""
    if isinstance(payload, dict):
        for error in payload.get("errors") or []:
            if isinstance(error, dict) and "INTERNAL_SERVER_ERROR" in json.dumps(error):
                return str(error.get("message"))[:160]
        return "(JSON)"
    return f"plain text {text[:120]!r}"


def _scalar_strategies() -> dict[str, st.SearchStrategy[graphql.ValueNode]]:
    """The custom scalars' strategies of tests/test_fuzz.py."""
    return {
        "Decimal": st.decimals(
            allow_nan=False, allow_infinity=False, places=2, min_value=-(10**9), max_value=10**9
        ).map(lambda value: nodes.String(str(value))),
        "PartialDate": st.from_regex(r"\A\d{4}(-(0[1-9]|1[0-2]))?\Z").map(nodes.String),
        "DateTime": st.datetimes(timezones=st.just(UTC)).map(
            lambda when: nodes.String(when.isoformat())
        ),
    }


def _hostile_scalar_strategies() -> dict[str, st.SearchStrategy[graphql.ValueNode]]:
    """Values a client may write inline: date-times with or without a zone, any text for a
    Decimal or a PartialDate, as well as the valid ones."""
    valid = _scalar_strategies()
    return {
        "Decimal": valid["Decimal"] | st.text(max_size=8).map(nodes.String),
        "PartialDate": valid["PartialDate"] | st.text(max_size=12).map(nodes.String),
        "DateTime": st.datetimes(timezones=st.none() | st.just(UTC)).map(
            lambda when: nodes.String(when.isoformat())
        ),
    }


def measure_generated_queries(
    server: Server, sdl: str, count: int, scalars: dict[str, st.SearchStrategy[graphql.ValueNode]]
) -> Tally:
    tally = Tally()
    with httpx.Client(
        trust_env=False, base_url=server.base_url, timeout=FUZZ_REQUEST_CAP_SECONDS
    ) as client:

        @hypothesis.settings(
            max_examples=count,
            derandomize=True,  # the same queries on every run, before and after
            database=None,
            deadline=None,
            suppress_health_check=list(hypothesis.HealthCheck),
        )
        @hypothesis.given(query=queries(sdl, custom_scalars=scalars))
        def send(query: str) -> None:
            tally.post(client, json.dumps({"query": query}).encode())

        send()
    return tally


def random_json(rng: random.Random, depth: int = 0) -> Any:
    """A JSON value of any shape, the request's keys among the dictionaries' keys."""
    kind = rng.randrange(8 if depth < 3 else 5)
    if kind == 0:
        return None
    if kind == 1:
        return rng.random() < 0.5
    if kind == 2:
        return rng.choice([0, -1, 2**31, 2**63, -(2**64), rng.randint(-1000, 1000)])
    if kind == 3:
        return rng.choice([0.5, -1e308, 1e-300, rng.uniform(-1e6, 1e6)])
    if kind == 4:
        return _random_text(rng)
    if kind == 5:
        return [random_json(rng, depth + 1) for _ in range(rng.randrange(4))]
    keys = ["query", "variables", "extensions", "operationName", _random_text(rng)]
    return {rng.choice(keys): random_json(rng, depth + 1) for _ in range(rng.randrange(1, 4))}


def _random_text(rng: random.Random) -> str:
    alphabet = string.printable + "ไทย\u0000\ud800\uffff{}$@#"  # NUL, a lone surrogate
    return "".join(rng.choices(alphabet, k=rng.randrange(0, 40)))


def random_bodies(count: int) -> Iterator[bytes]:
    rng = random.Random(0)
    for _ in range(count):
        value = random_json(rng)
        if rng.random() < 0.5:  # half shaped like a request, with wrong types in it
            value = {key: random_json(rng, 1) for key in ("query", "variables", "extensions")}
        yield json.dumps(value).encode()


def mutated_documents(count: int) -> Iterator[bytes]:
    """Valid requests with a few bytes flipped, inserted or deleted."""
    rng = random.Random(0)
    for _ in range(count):
        body = bytearray(
            json.dumps(
                {"query": rng.choice(SEED_QUERIES), "variables": {"slug": "x", "first": 5}}
            ).encode()
        )
        for _ in range(rng.randint(1, 4)):
            at = rng.randrange(len(body))
            action = rng.randrange(3)
            if action == 0:
                body[at] ^= 1 << rng.randrange(8)
            elif action == 1:
                body.insert(at, rng.randrange(256))
            else:
                del body[at]
        yield bytes(body)


def measure_bodies(server: Server, sent: str, bodies: Iterator[bytes]) -> Row:
    tally = Tally()
    with httpx.Client(
        trust_env=False, base_url=server.base_url, timeout=FUZZ_REQUEST_CAP_SECONDS
    ) as client:
        for body in bodies:
            tally.post(client, body)
    return tally.row(sent)


# --- the server's log ------------------------------------------------------------------------


def log_row(server: Server, rss_start: float, rss_end: float) -> Row:
    log = server.log_path.read_text(errors="replace")
    exceptions, examples = _exceptions(log)
    restarts = f"; restarted {server.restarts}x (stuck)" if server.restarts else ""
    return Row(
        "(the server process)",
        f"RSS {rss_start:.0f} MB at start, {rss_end:.0f} MB at the end{restarts}; "
        f"log: {log.count('Traceback')} tracebacks ({exceptions.total()} exceptions "
        f"of {len(exceptions)} types)",
        {"rss_mb": [rss_start, rss_end], "tracebacks": log.count("Traceback")},
        [
            f"log: {count}x {kind}, e.g. {examples[kind]}"
            for kind, count in exceptions.most_common(EXAMPLES)
        ],
    )


def _exceptions(log: str) -> tuple[Counter[str], dict[str, str]]:
    """The exception ending each traceback in the log, counted by type, with one example."""
    found: Counter[str] = Counter()
    examples: dict[str, str] = {}
    lines = log.splitlines()
    for index, line in enumerate(lines):
        if not line.startswith("Traceback (most recent call last)"):
            continue
        for following in lines[index + 1 :]:
            if following and not following[0].isspace():
                kind = following.split(":", 1)[0]
                found[kind] += 1
                examples.setdefault(kind, following[:160])
                break
    return found, examples


# --- running it all --------------------------------------------------------------------------


def measure_all(server: Server, sdl: str, generated: int) -> list[Row]:
    steps: list[tuple[str, Callable[[], Row]]] = [
        ("diamond 22", lambda: asyncio.run(measure_diamond(server, 22))),
        ("diamond 30", lambda: asyncio.run(measure_diamond(server, 30))),
        ("big bodies", lambda: asyncio.run(measure_big_bodies(server, chunked=False))),
        ("big chunked bodies", lambda: asyncio.run(measure_big_bodies(server, chunked=True))),
        ("garbage body", lambda: asyncio.run(measure_garbage_body(server))),
        ("trickle", lambda: asyncio.run(measure_trickle(server))),
        ("negative first", lambda: asyncio.run(measure_negative_first(server))),
        ("persisted garbage", lambda: asyncio.run(measure_garbage_persisted_query(server))),
        (
            "generated",
            lambda: measure_generated_queries(server, sdl, generated, _scalar_strategies()).row(
                f"{generated:,} valid queries generated from the schema (hypothesis-graphql), "
                "scalars as in tests/test_fuzz.py"
            ),
        ),
        (
            "generated, hostile scalars",
            lambda: measure_generated_queries(
                server, sdl, generated, _hostile_scalar_strategies()
            ).row(
                f"{generated:,} generated queries whose DateTime, Decimal and PartialDate "
                "values may be naive or any text"
            ),
        ),
        (
            "random JSON",
            lambda: measure_bodies(server, "1,000 random JSON bodies", random_bodies(1_000)),
        ),
        (
            "mutated",
            lambda: measure_bodies(
                server, "1,000 byte-mutated documents", mutated_documents(1_000)
            ),
        ),
    ]
    rows = []
    for name, step in steps:
        print(f"… {name}", file=sys.stderr, flush=True)
        rows.append(step())
        if not server.wait_responsive(RESPONSIVE_SECONDS):
            rows.append(
                Row(
                    f"(after {name})",
                    f"/health unanswered for {RESPONSIVE_SECONDS:.0f} s: server killed, restarted",
                )
            )
            server.restart()
    return rows


def print_table(checkout: Path, rows: list[Row]) -> None:
    print(f"\n# {checkout}\n")
    print("| what was sent | what happened |")
    print("| --- | --- |")
    for row in rows:
        print(f"| {row.sent} | {row.happened} |")
    details = [f"- {row.sent}: {detail}" for row in rows for detail in row.details]
    if details:
        print("\nExamples:")
        print("\n".join(details))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--checkout", type=Path, required=True, help="the code to serve")
    parser.add_argument("--database-url", help="default: a fresh SQLite file in a temp dir")
    parser.add_argument("--port", type=int, default=8260)
    parser.add_argument("--generated", type=int, default=1_000, help="generated valid queries")
    parser.add_argument("--json", type=Path, help="also write the rows and figures here")
    parser.add_argument("--log", type=Path, help="keep the server's log here")
    args = parser.parse_args()
    checkout = args.checkout.resolve()
    with tempfile.TemporaryDirectory(prefix="hostile-") as scratch:
        database_url = args.database_url or f"sqlite:///{scratch}/smartcity.db"
        server = Server(checkout, database_url, args.port, args.log or Path(scratch, "server.log"))
        sdl = schema_sdl(checkout)
        server.start()
        try:
            rss_start = server.rss_mb()
            rows = measure_all(server, sdl, args.generated)
            rows.append(log_row(server, rss_start, server.rss_mb()))
        finally:
            server.stop()
    print_table(checkout, rows)
    if args.json:
        args.json.write_text(
            json.dumps({"checkout": str(checkout), "rows": [vars(r) for r in rows]}, indent=2)
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
