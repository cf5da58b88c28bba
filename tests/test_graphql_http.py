"""GraphQL over HTTP: the graphql-http package's audits, warnings included, all pass."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

from tests.graphql import GraphQLClient

AUDIT = Path(__file__).resolve().parent.parent / "web" / "tools" / "audit-graphql-http.mjs"


def test_every_graphql_over_http_audit_passes(site: str) -> None:
    node = shutil.which("node")
    assert node, "Node.js is needed for the audit (make install needs it too)"
    done = subprocess.run(
        [node, str(AUDIT), f"{site}/graphql"], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stdout + done.stderr
    summary = re.search(r"^(\d+) audits, (\d+) not ok$", done.stdout, re.MULTILINE)
    assert summary is not None, done.stdout
    # graphql-http 1.23.1 (pinned in web/package-lock.json) has 61 audits; none may be skipped.
    assert summary.groups() == ("61", "0")


async def test_request_errors_are_400_without_data_in_the_graphql_media_type(
    seeded_client: GraphQLClient,
) -> None:
    accept = {"Accept": "application/graphql-response+json"}
    bad = await seeded_client.http.post("/graphql", json={"query": "{ nope }"}, headers=accept)
    assert bad.status_code == 400
    assert bad.headers["content-type"].startswith("application/graphql-response+json")
    assert "data" not in bad.json()
    good = await seeded_client.http.post(
        "/graphql", json={"query": '{ city(slug: "atlantis") { slug } }'}, headers=accept
    )
    assert good.status_code == 200  # a field error during execution keeps its data entry
    assert good.json()["data"] == {"city": None}
    legacy = await seeded_client.http.post("/graphql", json={"query": "{ nope }"})
    assert legacy.status_code == 200
    assert legacy.headers["content-type"].startswith("application/json")
