"""The schema is published, recorded and changed only as the policy allows (CHANGELOG.md)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from schema import identity, policy
from schema.build import build_schema
from tests.graphql import GraphQLClient

ROOT = Path(__file__).resolve().parent.parent
COMMITTED = ROOT / "schema" / "schema.graphql"
RELEASES = ROOT / "schema" / "releases"
CHANGELOG = ROOT / "CHANGELOG.md"


def last_release() -> Path:
    """The newest release's schema, by version number."""
    releases = sorted(
        RELEASES.glob("*.graphql"),
        key=lambda path: tuple(int(part) for part in path.stem.split(".")),
    )
    assert releases, "schema/releases/ holds each release's schema"
    return releases[-1]


def test_the_committed_schema_is_the_one_the_code_builds() -> None:
    built = identity.sdl(build_schema())
    assert COMMITTED.read_text(encoding="utf-8") == built, (
        "schema/schema.graphql is not the schema the code builds: run `make schema`, read "
        "the diff, and record any breaking change in CHANGELOG.md"
    )


def test_the_schema_keeps_the_last_release_s_contract() -> None:
    old = last_release().read_text(encoding="utf-8")
    new = COMMITTED.read_text(encoding="utf-8")
    assert policy.refusals(old, new, CHANGELOG.read_text(encoding="utf-8")) == []


async def test_the_served_schema_and_version(seeded_client: GraphQLClient) -> None:
    http: httpx.AsyncClient = seeded_client.http
    served = await http.get("/schema.graphql")
    assert served.status_code == 200
    assert served.headers["content-type"] == "text/plain; charset=utf-8"
    assert served.text == COMMITTED.read_text(encoding="utf-8")
    etag = served.headers["etag"]
    again = await http.get("/schema.graphql", headers={"If-None-Match": etag})
    assert (again.status_code, again.content) == (304, b"")

    version = (await http.get("/version")).json()
    assert version["schema"] == etag.strip('"') == identity.digest(build_schema())
    assert version["version"] == "0.1.0"
    changes = await seeded_client.data("{ changes(first: 1) { totalCount } }")
    assert version["dataVersion"] >= changes["changes"]["totalCount"] > 0


OLD = """
type Query { city(slug: String!): City }
type City {
  slug: String!
  name: String
  size: Int @deprecated(reason: "Use area.")
  kind: Kind
}
enum Kind { EXISTING NEW }
"""


@pytest.mark.parametrize(
    ("new", "changelog", "refused"),
    [
        # Only additions (a dangerous one among them): fine, announced or not.
        (OLD.replace("enum Kind { EXISTING NEW }", "enum Kind { EXISTING NEW OTHER }"), "", 0),
        # A deprecated field removed and recorded: fine.
        (OLD.replace('  size: Int @deprecated(reason: "Use area.")\n', ""), "- `City.size`", 0),
        # The same, not recorded: refused.
        (OLD.replace('  size: Int @deprecated(reason: "Use area.")\n', ""), "", 1),
        # A field removed without a deprecation first, though recorded: refused.
        (OLD.replace("  name: String\n", ""), "- `City.name`", 1),
        # Neither: refused twice.
        (OLD.replace("  name: String\n", ""), "", 2),
        # An enum value removed without a deprecation: refused.
        (OLD.replace(" NEW }", " }"), "- `Kind.NEW`", 1),
        # An argument's type changed: recorded, no deprecation needed.
        (OLD.replace("slug: String!)", "slug: Int!)"), "- `Query.city(slug:)`", 0),
        (OLD.replace("slug: String!)", "slug: Int!)"), "", 1),
    ],
)
def test_the_policy(new: str, changelog: str, refused: int) -> None:
    notes = f"# Changelog\n\n## Unreleased\n\n{changelog}\n\n## 0.1.0\n\n- `City.name`\n"
    assert len(policy.refusals(OLD, new, notes)) == refused


def test_a_change_recorded_only_under_a_past_release_does_not_count() -> None:
    new = OLD.replace('  size: Int @deprecated(reason: "Use area.")\n', "")
    notes = "# Changelog\n\n## Unreleased\n\n## 0.1.0\n\n- `City.size`\n"
    [problem] = policy.refusals(OLD, new, notes)
    assert "`City.size`" in problem


def test_the_command_compares_with_a_release(tmp_path: Path) -> None:
    release = tmp_path / "old.graphql"
    # A release that had a field this schema no longer has, undeprecated.
    release.write_text(
        COMMITTED.read_text(encoding="utf-8").replace(
            "type City implements Node {\n", "type City implements Node {\n  vanished: Int\n"
        ),
        encoding="utf-8",
    )
    done = subprocess.run(
        [sys.executable, "-m", "api.cli", "schema", "--against", str(release)],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    assert done.returncode == 1
    assert "breaking\tField City.vanished was removed." in done.stdout
    assert "Deprecate it first" in done.stderr
    current = subprocess.run(
        [sys.executable, "-m", "api.cli", "schema", "--against", str(last_release())],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    assert current.returncode == 0, current.stderr
