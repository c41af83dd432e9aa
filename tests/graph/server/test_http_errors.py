"""One table from domain error codes to HTTP statuses, one authentication for every route."""

from __future__ import annotations

import pytest

from domain.kernel.errors import ErrorCode
from graph.server.http_errors import HTTP_STATUS
from tests.builders import codes


def test_every_domain_error_code_has_one_http_status():
    assert set(HTTP_STATUS) == set(ErrorCode)
    assert all(400 <= status < 600 for status in HTTP_STATUS.values())


@pytest.mark.parametrize("path", ["/graphql", "/uploads"])
@pytest.mark.parametrize("authorization", [None, "Bearer nope", "Basic abc", "Bearer "])
async def test_every_route_refuses_a_bad_token_the_same_way(client, path, authorization):
    headers = {"authorization": authorization} if authorization is not None else {}
    response = await client.post(path, json={"query": "{ viewer { role } }"}, headers=headers)
    assert response.status_code == 401
    assert codes(response.json()) == ["UNAUTHENTICATED"]
    assert response.json()["errors"][0]["message"].startswith("missing, unknown, revoked or expired token")
