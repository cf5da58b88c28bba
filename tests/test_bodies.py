"""Request bodies are capped in size and time; idle, slow and surplus connections are closed."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx
from sqlalchemy.engine import URL
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.conftest import StatementCounter
from tests.graphql import app_client
from tests.server import live_server

LIMIT = 1_000
QUERY = "{ dimensions { code } }"
# Generous bounds so a broken server fails a test instead of hanging it; never a threshold.
PATIENCE = 15.0


def body_of_size(size: int) -> bytes:
    """A valid GraphQL request of exactly `size` bytes: the query, then a comment."""
    head = json.dumps({"query": QUERY + "\n#"}).encode()[:-2]  # without the closing `"}`
    return head + b"x" * (size - len(head) - 2) + b'"}'


async def chunked(body: bytes, size: int = 100) -> AsyncIterator[bytes]:
    """The body as a stream of unknown length (sent chunked, without `Content-Length`)."""
    for start in range(0, len(body), size):
        yield body[start : start + size]


def assert_too_large(response: httpx.Response) -> None:
    assert response.status_code == 413
    assert response.headers["connection"] == "close"
    [error] = response.json()["errors"]
    assert error["extensions"]["code"] == "PAYLOAD_TOO_LARGE"
    assert error["extensions"]["maximum"] == LIMIT
    assert str(LIMIT) in error["message"]


async def test_a_body_at_the_limit_is_served(
    seeded_engine: AsyncEngine, statements: StatementCounter
) -> None:
    async with app_client(seeded_engine, max_body_bytes=LIMIT) as http:
        for content in (body_of_size(LIMIT), chunked(body_of_size(LIMIT))):
            response = await http.post(
                "/graphql", content=content, headers={"content-type": "application/json"}
            )
            assert response.status_code == 200
            assert len(response.json()["data"]["dimensions"]) == 7
    assert statements.count > 0  # a served query reads the database: the counter counts


async def test_a_declared_length_over_the_limit_is_refused_unread(
    seeded_engine: AsyncEngine, statements: StatementCounter
) -> None:
    async with app_client(seeded_engine, max_body_bytes=LIMIT) as http:
        response = await http.post(
            "/graphql",
            content=body_of_size(LIMIT + 1),
            headers={"content-type": "application/json"},
        )
    assert response.request.headers["content-length"] == str(LIMIT + 1)
    assert_too_large(response)
    assert statements.count == 0  # refused before the query ran (nor any key lookup)


async def test_a_streamed_body_is_refused_once_it_passes_the_limit(
    seeded_engine: AsyncEngine, statements: StatementCounter
) -> None:
    async with app_client(seeded_engine, max_body_bytes=LIMIT) as http:
        response = await http.post(
            "/graphql",
            content=chunked(body_of_size(LIMIT + 1)),
            headers={"content-type": "application/json"},
        )
    assert "content-length" not in response.request.headers
    assert_too_large(response)
    assert statements.count == 0


async def test_every_path_is_capped_and_get_is_not_affected(seeded_engine: AsyncEngine) -> None:
    async with app_client(seeded_engine, max_body_bytes=LIMIT) as http:
        assert_too_large(await http.post("/downloads/", content=b"x" * (LIMIT + 1)))
        served = await http.get("/graphql", params={"query": QUERY})
    assert served.status_code == 200
    assert len(served.json()["data"]["dimensions"]) == 7


# Through the real server (uvicorn, as `smartcity serve` runs it), over raw sockets: what
# a slow or idle client does cannot be said with an HTTP client.


async def _connect(base: str) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    port = urlsplit(base).port
    assert port is not None
    return await asyncio.open_connection("127.0.0.1", port)


def _head(body_length: int, *extra: str) -> bytes:
    lines = [
        "POST /graphql HTTP/1.1",
        "Host: localhost",
        "Content-Type: application/json",
        f"Content-Length: {body_length}",
        *extra,
    ]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


class Answer(asyncio.Protocol):
    """Everything the server sends until the connection ends, kept even if it ends with a
    reset: a server closing with unread bytes resets the connection, and asyncio's streams
    then drop what they had buffered (the kernel had delivered it)."""

    def __init__(self) -> None:
        self.received = bytearray()
        self.closed: asyncio.Future[None] = asyncio.get_running_loop().create_future()

    def data_received(self, data: bytes) -> None:
        self.received += data

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed.set_result(None)


async def _answer_and_close(reader: asyncio.StreamReader) -> bytes:
    """Everything the server sends until it closes the connection."""
    return await asyncio.wait_for(reader.read(), PATIENCE)


async def test_a_trickled_body_times_out_and_the_connection_closes(
    seeded_database_url: URL, tmp_path: Path
) -> None:
    body = json.dumps({"query": QUERY}).encode()
    with live_server(seeded_database_url, tmp_path, {"BODY_TIMEOUT_SECONDS": "1"}) as base:
        port = urlsplit(base).port
        assert port is not None
        loop = asyncio.get_running_loop()
        transport, answer = await loop.create_connection(Answer, "127.0.0.1", port)
        transport.write(_head(len(body)))
        # Far slower than the time limit allows, and no more once the answer has begun.
        for byte in body:
            if answer.received or answer.closed.done():
                break
            transport.write(bytes([byte]))
            await asyncio.wait([answer.closed], timeout=0.5)
        await asyncio.wait_for(answer.closed, PATIENCE)
        transport.close()
    head, _, content = bytes(answer.received).partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 408 ")
    assert b"connection: close" in head.lower()
    [error] = json.loads(content)["errors"]
    assert error["extensions"]["code"] == "BODY_TIMEOUT"


async def test_a_client_waiting_to_continue_is_refused_without_sending(
    seeded_database_url: URL, tmp_path: Path
) -> None:
    with live_server(seeded_database_url, tmp_path) as base:
        reader, writer = await _connect(base)
        writer.write(_head(50_000_000, "Expect: 100-continue"))  # and no body, ever
        try:
            answer = await _answer_and_close(reader)
        finally:
            writer.close()
    assert answer.startswith(b"HTTP/1.1 413 ")  # not invited to send with `100 Continue`
    assert b'"PAYLOAD_TOO_LARGE"' in answer


async def test_an_idle_connection_is_closed_after_the_keep_alive_time(
    seeded_database_url: URL, tmp_path: Path
) -> None:
    body = json.dumps({"query": QUERY}).encode()
    with live_server(seeded_database_url, tmp_path, {"KEEP_ALIVE_TIMEOUT_SECONDS": "1"}) as base:
        reader, writer = await _connect(base)
        writer.write(_head(len(body)) + body)
        try:
            answer = await _answer_and_close(reader)  # the answer, then nothing until closed
        finally:
            writer.close()
    assert answer.startswith(b"HTTP/1.1 200 ")
    assert b"connection: close" not in answer.lower()  # kept alive, then closed for idling
    assert answer.endswith(b"}}")  # one whole response, not cut off


async def test_a_request_head_that_never_arrives_in_full_is_closed(
    seeded_database_url: URL, tmp_path: Path
) -> None:
    with live_server(seeded_database_url, tmp_path, {"HEADER_TIMEOUT_SECONDS": "1"}) as base:
        silent = await _connect(base)
        slow = await _connect(base)
        slow[1].write(b"POST /graphql HTTP/1.1\r\nHost: localhost\r\n")  # and no end of head
        try:
            answers = [await _answer_and_close(reader) for reader, _ in (silent, slow)]
        finally:
            for _, writer in (silent, slow):
                writer.close()
    assert answers == [b"", b""]


async def test_a_request_head_over_the_size_limit_is_refused(
    seeded_database_url: URL, tmp_path: Path
) -> None:
    padding = "X-Padding: " + "a" * 2_000
    with live_server(seeded_database_url, tmp_path, {"MAX_HEADER_BYTES": "1000"}) as base:
        reader, writer = await _connect(base)
        writer.write(_head(0, padding)[:-2])  # one header too many, and the head goes on
        try:
            answer = await _answer_and_close(reader)
        finally:
            writer.close()
    head, _, content = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 431 ")
    [error] = json.loads(content)["errors"]
    assert error["extensions"] == {"code": "HEADERS_TOO_LARGE", "maximum": 1000}


async def test_connections_beyond_the_limit_are_refused(
    seeded_database_url: URL, tmp_path: Path
) -> None:
    body = json.dumps({"query": QUERY}).encode()
    request = _head(len(body)) + body
    with live_server(seeded_database_url, tmp_path, {"MAX_CONNECTIONS": "3"}) as base:
        held = [await _connect(base) for _ in range(3)]
        reader, writer = await _connect(base)
        writer.write(request)
        refused = await _answer_and_close(reader)
        writer.close()
        for _, held_writer in held:
            held_writer.close()
            await held_writer.wait_closed()
        async with httpx.AsyncClient(base_url=base) as http:
            served = await http.post("/graphql", json={"query": QUERY})
    assert refused.startswith(b"HTTP/1.1 503 ")
    assert served.status_code == 200  # the limit counts open connections: they are gone
