"""The real server's access log: a credential in the URL path is not written (review of issue 9)."""

from __future__ import annotations

import time

import httpx
import pytest

pytestmark = pytest.mark.e2e

GITHUB = "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8"
OPENAI = "sk-proj-" + "abcDEF123456ghiJKL789012mnoPQR345678stuVWX"


def test_a_path_holding_a_credential_is_logged_redacted(server, server_log):
    base, token = server
    auth = {"authorization": f"Bearer {token}"}
    assert httpx.get(f"{base}/{GITHUB}", headers=auth, timeout=10).status_code == 404
    assert httpx.get(f"{base}/graphql/{OPENAI}?x=1", headers=auth, timeout=10).status_code == 404
    assert httpx.get(f"{base}/nope", headers=auth, timeout=10).status_code == 404
    time.sleep(0.3)  # the access log line is written after the response
    text = server_log.read_text()
    assert GITHUB not in text and OPENAI not in text
    assert text.count('"GET /<redacted> HTTP/1.1" 404') == 1
    assert '"GET /<redacted>?… HTTP/1.1" 404' in text
    assert '"GET /nope HTTP/1.1" 404' in text  # an ordinary unknown path is still shown
