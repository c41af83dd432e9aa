"""The README's Studio walkthrough, run as printed, one operation after the other, on a fresh demo."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest

from tests import images

pytestmark = pytest.mark.e2e

README = Path(__file__).resolve().parents[2] / "README.md"


def walkthrough() -> list[str]:
    """The operations of the README's graphql blocks that hold mutations, in order."""
    blocks = [b.split("```")[0] for b in README.read_text().split("```graphql\n")[1:]]
    operations = []
    for block in blocks:
        if "mutation" in block:
            operations += [op.strip() for op in re.split(r"\n(?=mutation |query )", block) if op.strip()]
    return operations


def test_the_readme_walkthrough_runs_as_printed(server):
    base, token = server
    auth = {"authorization": f"Bearer {token}"}
    operations = walkthrough()
    # each operation found whole and in order: a split or merged block would change this list
    assert [re.search(r"\{\s*(\w+)", op).group(1) for op in operations] == [
        "createProject",
        "createFolder",
        "createSession",
        "generate",
        "like",
        "closeSession",
        "likedGenerations",
        "approve",
        "saveToLibrary",
        "importGeneration",
    ]
    for operation in operations:
        if "importGeneration" in operation:  # the README's curl step, before its import
            upload = httpx.post(
                f"{base}/uploads?filename=fox.png",
                content=images.png(text={"parameters": images.A1111}),
                headers={**auth, "content-type": "image/png"},
                timeout=10,
            )
            assert upload.status_code == 201, upload.text
        response = httpx.post(f"{base}/graphql", json={"query": operation}, headers=auth, timeout=30)
        body = response.json()
        assert response.status_code == 200 and "errors" not in body, (operation, body)
        for payload in body["data"].values():
            if isinstance(payload, dict) and "userErrors" in payload:
                assert payload["userErrors"] == [], (operation, payload)
