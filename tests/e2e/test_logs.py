"""What the real server writes to its log: one line per expected failure, never a document, value or secret."""

from __future__ import annotations

import time

import httpx
import pytest

pytestmark = pytest.mark.e2e

SECRET = "sk-ant-" + "Zq9" * 16


def test_the_log_keeps_no_document_no_value_and_no_query_string(server, server_log):
    base, token = server
    auth = {"authorization": f"Bearer {token}"}
    # a GET query whose document holds the secret, and a failing POST whose variables hold it
    get = httpx.get(
        f"{base}/graphql", params={"query": f'{{ node(id: "{SECRET}") {{ id }} }}'}, headers=auth, timeout=10
    )
    assert get.status_code == 200
    post = httpx.post(
        f"{base}/graphql",
        json={
            "query": "mutation Gen($i: GenerateInput!) { generate(input: $i) { userErrors { code } } }",
            "variables": {"i": {"sessionId": "junk", "prompt": SECRET, "seed": SECRET}},
        },
        headers=auth,
        timeout=10,
    )
    assert post.status_code == 400 and SECRET not in post.text
    upload = httpx.post(
        f"{base}/uploads?filename={SECRET}.png", content=b"not an image", headers=auth, timeout=10
    )
    assert upload.status_code == 400 and SECRET not in upload.text
    time.sleep(0.3)  # the access log line is written after the response
    text = server_log.read_text()
    assert SECRET not in text
    assert "Traceback" not in text and "GraphQL request" not in text
    assert '"GET /graphql?… HTTP/1.1" 200' in text and '"POST /uploads?… HTTP/1.1" 400' in text
    assert "graphql BAD_USER_INPUT operation=Gen path=-" in text
