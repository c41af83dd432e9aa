"""The seed tutorials, end to end over HTTP against a real server: from a Studio session into the library."""

from __future__ import annotations

import subprocess

import httpx
import pytest

from tests import images
from tests.e2e.conftest import ATELIER

pytestmark = pytest.mark.e2e
ALT = "A beach umbrella on golden sand under a warm orange evening sky."


def call(base: str, token: str, query: str, variables: dict | None = None) -> dict:
    response = httpx.post(
        f"{base}/graphql",
        json={"query": query, "variables": variables or {}},
        headers={"authorization": f"Bearer {token}"},
        timeout=30,
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert "errors" not in body, body
    payload = next(iter(body["data"].values()))
    assert payload.get("userErrors", []) == [], payload
    return payload


def test_from_generation_to_library_with_provenance(server, server_env):
    base, admin = server
    editor = subprocess.run(
        [ATELIER, "token", "create", "--org", "demo", "--role", "editor"],
        env=server_env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    creator = subprocess.run(
        [ATELIER, "token", "create", "--org", "demo", "--role", "creator"],
        env=server_env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()

    # 1. a project and a folder for the campaign
    project = call(
        base,
        editor,
        'mutation { createProject(input: {name: "Beach week"}) { project { id } userErrors { code } } }',
    )["project"]["id"]
    folder = call(
        base,
        editor,
        'mutation { createFolder(input: {name: "Beach week"}) { folder { id } userErrors { code } } }',
    )["folder"]["id"]

    # 2. a session, several images, some liked
    session = call(
        base,
        creator,
        'mutation { createSession(input: {title: "Beach week", platform: INSTAGRAM, aspectRatio: PORTRAIT}) { session { id } userErrors { code } } }',
    )["session"]["id"]
    generations = call(
        base,
        creator,
        """mutation($s: ID!) { generate(input: {sessionId: $s, prompt: "a beach umbrella at golden hour", count: 4}) {
        generations { id } userErrors { code } } }""",
        {"s": session},
    )["generations"]
    liked = [g["id"] for g in generations[:3]]
    call(
        base,
        creator,
        "mutation($ids: [ID!]!) { like(input: {generationIds: $ids}) { generations { id } userErrors { code } } }",
        {"ids": liked},
    )

    # 3. an image made elsewhere joins the session, its prompt read from the file
    upload = httpx.post(
        f"{base}/uploads",
        content=images.png(text={"parameters": images.A1111}),
        headers={"authorization": f"Bearer {creator}", "content-type": "image/png"},
        params={"filename": "nook.png"},
    )
    assert upload.status_code == 201, upload.text
    imported = call(
        base,
        creator,
        """mutation($s: ID!, $u: ID!) { importGeneration(input: {sessionId: $s, uploadId: $u}) {
        generation { id prompt provider } userErrors { code } } }""",
        {"s": session, "u": upload.json()["id"]},
    )["generation"]
    assert imported["provider"] == "automatic1111" and imported["prompt"].startswith("a cozy reading nook")

    # 4. close the session; the likes are still there
    call(
        base,
        creator,
        "mutation($s: ID!) { closeSession(input: {id: $s}) { session { state } userErrors { code } } }",
        {"s": session},
    )
    found = httpx.post(
        f"{base}/graphql",
        json={"query": "{ likedGenerations(first: 50) { edges { node { id session { state } } } } }"},
        headers={"authorization": f"Bearer {creator}"},
    ).json()["data"]["likedGenerations"]["edges"]
    # the creator is new and liked these three only
    assert sorted(e["node"]["id"] for e in found) == sorted(liked)
    assert all(e["node"]["session"]["state"] == "CLOSED" for e in found)

    # 5. review: approve the liked ones with alt text, reject the last
    call(
        base,
        admin,
        """mutation($ids: [ID!]!, $alt: String!) { approve(input: {generationIds: $ids, altText: $alt,
        rightsNotes: "Generated in-house", source: "procedural", intendedPlacement: "Instagram feed"}) {
        generations { reviewState } userErrors { code } } }""",
        {"ids": liked, "alt": ALT},
    )
    call(
        base,
        admin,
        'mutation($id: ID!) { reject(input: {generationIds: [$id], reason: "off-brand"}) { generations { id } userErrors { code } } }',
        {"id": generations[3]["id"]},
    )

    # 6. bulk-save to the folder and project with campaign tags
    assets = call(
        base,
        editor,
        """mutation($ids: [ID!]!, $f: ID!, $p: ID!) { saveToLibrary(input: {generationIds: $ids, folderId: $f,
        projectIds: [$p], tags: ["beach-week-2026", "hero"], idempotencyKey: "beach-week-save-1"}) {
        assets { id } userErrors { code } } }""",
        {"ids": liked, "f": folder, "p": project},
    )["assets"]
    assert len(assets) == 3

    # 7. the library shows them with their provenance
    library = httpx.post(
        f"{base}/graphql",
        headers={"authorization": f"Bearer {editor}"},
        json={
            "query": """query($f: ID!) {
        assets(filter: {folderId: $f}) { totalCount edges { node { name altText tags { name } projects { name } folder { name }
        provenance { prompt platform aspectRatio provider seed creditsUsed rightsNotes intendedPlacement session { title } reviewedBy { name } } } } } }""",
            "variables": {"f": folder},
        },
    ).json()["data"]["assets"]
    assert library["totalCount"] == 3
    node = library["edges"][0]["node"]
    assert (
        node["altText"] == ALT
        and node["folder"] == {"name": "Beach week"}
        and node["projects"] == [{"name": "Beach week"}]
    )
    assert {t["name"] for t in node["tags"]} == {"beach-week-2026", "hero"}
    p = node["provenance"]
    assert (p["prompt"], p["platform"], p["aspectRatio"], p["provider"], p["creditsUsed"]) == (
        "a beach umbrella at golden hour",
        "INSTAGRAM",
        "PORTRAIT",
        "procedural",
        1,
    )
    assert p["session"] == {"title": "Beach week"} and p["reviewedBy"] == {"name": "Ada Admin"}
    assert (p["rightsNotes"], p["intendedPlacement"]) == ("Generated in-house", "Instagram feed")

    # 8. the rejected draft stays out, whatever is tried
    refused = httpx.post(
        f"{base}/graphql",
        headers={"authorization": f"Bearer {editor}"},
        json={
            "query": "mutation($id: ID!) { saveToLibrary(input: {generationIds: [$id]}) { assets { id } userErrors { code } } }",
            "variables": {"id": generations[3]["id"]},
        },
    ).json()["data"]["saveToLibrary"]
    assert refused == {"assets": [], "userErrors": [{"code": "INVALID_STATE"}]}


def test_cleanup_runs_from_the_cli_with_a_summary(server_env):
    result = subprocess.run([ATELIER, "cleanup"], env=server_env, capture_output=True, text=True, check=True)
    assert "Deleted" in result.stderr and "expired generation" in result.stderr
    assert "rendition(s) nothing uses" in result.stderr
