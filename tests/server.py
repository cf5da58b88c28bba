"""`smartcity serve` in a subprocess, as a newcomer or a browser meets it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from sqlalchemy.engine import URL


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def live_server(
    database: URL | None,
    directory: Path,
    settings: Mapping[str, str] | None = None,
    command: Sequence[str] = (sys.executable, "-m", "api.cli"),
    arguments: Sequence[str] = (),
) -> Iterator[str]:
    """Serve `database` (None: the default, made on first run) on a free loopback port from
    `directory`, with `command` (the checkout's CLI, or an installed `smartcity`) and further
    `arguments` to `serve`; yields the
    base URL once healthy. `settings` are extra environment variables (e.g.
    `{"BODY_TIMEOUT_SECONDS": "1"}`)."""
    port = _free_port()
    env = {**os.environ, **(settings or {})}
    if database is not None:
        env["DATABASE_URL"] = database.render_as_string(hide_password=False)
    log_path = directory / "serve.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [*command, "serve", "--port", str(port), *arguments],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=directory,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                assert process.poll() is None, log_path.read_text()
                try:
                    if httpx.get(f"{base}/health").status_code == 200:
                        break
                except httpx.TransportError:
                    time.sleep(0.2)
            else:
                pytest.fail("server did not become healthy: " + log_path.read_text())
            yield base
        finally:
            process.terminate()
            process.wait(timeout=20)
