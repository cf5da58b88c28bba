"""README's commands name what the system lacks, and how to get it, before installing."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "prerequisites"
# What the script itself runs; every other program is what it looks for.
TOOLS = ("bash", "python3", "id", "grep", "sort", "tr")


def run(tmp_path: Path, *arguments: str, **env: str) -> subprocess.CompletedProcess[str]:
    """The script on a system that has only `TOOLS`."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    for tool in TOOLS:
        found = shutil.which(tool)
        assert found is not None
        if not (bin_dir / tool).exists():
            (bin_dir / tool).symlink_to(found)
    return subprocess.run(
        ["bash", str(SCRIPT), *arguments, "--check"],
        env={"PATH": str(bin_dir), "HOME": str(tmp_path), **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_what_the_tests_need_is_named_with_how_to_get_it(tmp_path: Path) -> None:
    done = run(tmp_path, "test")
    assert done.returncode == 1
    for package in ("make", "npm", "redis-server", "chromium", "fonts-thai-tlwg"):
        assert f"  - {package}: " in done.stderr
    if not list(Path("/usr/lib/postgresql").glob("*/bin/initdb")):
        assert "  - postgresql-15: " in done.stderr
    assert "sudo apt-get install " in done.stderr
    assert "SMARTCITY_TEST_POSTGRES_URL" in done.stderr


def test_servers_already_running_need_no_install(tmp_path: Path) -> None:
    done = run(
        tmp_path,
        "test",
        SMARTCITY_TEST_POSTGRES_URL="postgresql://elsewhere/db",
        SMARTCITY_TEST_REDIS_URL="redis://elsewhere/0",
    )
    assert "postgresql" not in done.stderr
    assert "redis-server" not in done.stderr


def test_serving_needs_less(tmp_path: Path) -> None:
    done = run(tmp_path, "serve")
    assert done.returncode == 1
    assert "`make serve` cannot run" in done.stderr
    assert "  - npm: " in done.stderr
    assert "chromium" not in done.stderr


@pytest.mark.parametrize("purpose", ["serve", "test"])
def test_this_machine_has_everything(purpose: str) -> None:
    done = subprocess.run(
        ["bash", str(SCRIPT), purpose, "--check"],
        env=dict(os.environ),
        capture_output=True,
        text=True,
        check=False,
    )
    assert (done.returncode, done.stderr) == (0, "")
