"""The real thing: `atelier serve --demo` in a subprocess, spoken to over HTTP, and the token CLI."""

from __future__ import annotations

import os
import re
import subprocess
import time
from pathlib import Path

import httpx
import pytest

from tests.e2e.conftest import ATELIER, free_port

pytestmark = pytest.mark.e2e

LIBRARY = """{ assets(first: 50) { totalCount edges { node {
    name altText folder { name path { name } } tags { name } projects { name }
    provenance { prompt seed provider session { title } reviewedBy { name } }
    generation { prompt likeCount reviewState session { title } }
} } } }"""


def post(base: str, token: str | None, query: str) -> httpx.Response:
    headers = {"authorization": f"Bearer {token}"} if token else {}
    return httpx.post(f"{base}/graphql", json={"query": query}, headers=headers, timeout=10)


def test_the_demo_library_answers_with_its_provenance(server):
    base, token = server
    response = post(base, token, LIBRARY)
    assert response.status_code == 200, response.text
    assets = response.json()["data"]["assets"]
    assert assets["totalCount"] == 4
    hero = next(e["node"] for e in assets["edges"] if e["node"]["folder"]["name"] == "Summer sale 2026")
    assert [f["name"] for f in hero["folder"]["path"]] == ["Campaigns", "Summer sale 2026"]
    assert {t["name"] for t in hero["tags"]} == {"hero", "summer-sale-2026"}
    assert hero["provenance"]["provider"] == "procedural"
    assert hero["provenance"]["reviewedBy"] == {"name": "Rex Reviewer"}
    assert hero["generation"]["reviewState"] == "APPROVED"
    assert hero["generation"]["session"]["title"] == hero["provenance"]["session"]["title"]


def test_the_demo_is_processed_by_the_servers_worker_and_counts_its_storage(server):
    base, token = server
    query = """{ viewer { organisation { storage { usedBytes assetCount } } }
        assets(first: 50) { edges { node { byteSize processingStatus thumbnailUrl
            generation { processingStatus } } } } }"""
    deadline = time.monotonic() + 60
    while True:
        data = post(base, token, query).json()["data"]
        nodes = [e["node"] for e in data["assets"]["edges"]]
        if all(n["processingStatus"] == n["generation"]["processingStatus"] == "READY" for n in nodes):
            break
        assert time.monotonic() < deadline, nodes
        time.sleep(0.5)
    assert all(n["thumbnailUrl"] for n in nodes)
    storage = data["viewer"]["organisation"]["storage"]
    assert storage == {"usedBytes": str(sum(int(n["byteSize"]) for n in nodes)), "assetCount": len(nodes)}


def test_health_graphiql_and_auth(server):
    base, _ = server
    assert httpx.get(f"{base}/healthz").json() == {"ok": True}
    assert httpx.get(f"{base}/readyz").json() == {"ok": True, "database": "ok"}
    page = httpx.get(f"{base}/graphql", headers={"accept": "text/html"})
    assert page.status_code == 200 and "graphiql" in page.text.lower()
    response = post(base, None, "{ viewer { role } }")
    assert response.status_code == 401
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


def test_tokens_made_and_revoked_by_the_cli_work_against_the_running_server(server, server_env):
    base, _ = server
    made = subprocess.run(
        [ATELIER, "token", "create", "--org", "demo", "--role", "viewer"],
        env=server_env,
        capture_output=True,
        text=True,
        check=True,
    )
    token = made.stdout.strip()
    assert token.startswith("atl_") and "\n" not in token  # stdout holds the token and nothing else
    assert post(base, token, "{ viewer { role } }").json()["data"] == {"viewer": {"role": "VIEWER"}}
    subprocess.run([ATELIER, "token", "revoke", token], env=server_env, capture_output=True, check=True)
    assert post(base, token, "{ viewer { role } }").status_code == 401


def test_the_cli_explains_what_went_wrong(server_env):
    result = subprocess.run(
        [ATELIER, "token", "create", "--org", "no-such-org", "--role", "admin"],
        env=server_env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1 and result.stdout == ""
    assert "NOT_FOUND" in result.stderr and "no-such-org" in result.stderr


def test_the_readme_queries_run_against_the_demo(server):
    base, token = server
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    blocks = [block.split("```")[0] for block in readme.split("```graphql\n")[1:]]
    # the workflow walkthrough needs ids from earlier answers (test_readme_workflow.py runs it)
    queries = [query for query in blocks if "mutation" not in query]
    assert [re.search(r"\{\s*(\w+)", query).group(1) for query in queries] == ["assets", "viewer", "node"]
    for query in queries:
        response = post(base, token, query)
        assert response.status_code == 200 and "errors" not in response.json(), (query, response.text)


def test_production_never_seeds_the_demo_nor_prints_a_token(tmp_path):
    env = {**os.environ, "ATELIER_ENV": "production", "ATELIER_DATA_DIR": str(tmp_path)}
    env.pop("ATELIER_DATABASE_URL", None)  # SQLite in its own data folder: a first start on an empty database
    refused = subprocess.run(
        [ATELIER, "serve", "--demo", "--port", str(free_port())], env=env, capture_output=True, text=True
    )
    assert refused.returncode == 1 and "atelier org create" in refused.stderr
    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [ATELIER, "serve", "--port", str(port)], env=env, stdout=out, stderr=subprocess.STDOUT
        )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        text = log.read_text()
        assert "atelier org create" in text and "atelier token create" in text
        assert "Admin token" not in text and "atl_" not in text
    finally:
        process.terminate()
        process.wait(timeout=10)
    made = subprocess.run(
        [ATELIER, "token", "create", "--org", "demo", "--role", "admin"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert made.returncode == 1 and "NOT_FOUND" in made.stderr  # no demo organisation was made
