"""Bearer authentication: who may call, and what the others get."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from domain.kernel.access import Role
from tests.builders import codes, gql, new_token

VIEWER = "{ viewer { role member { name } organisation { slug } } }"


class TestBearerTokens:
    async def test_a_valid_token_reads_its_viewer(self, client, tenant):
        status, body = await gql(client, tenant.token, VIEWER)
        assert status == 200, body
        assert body["data"]["viewer"] == {
            "role": "ADMIN",
            "member": {"name": "Owner"},
            "organisation": {"slug": tenant.slug},
        }

    async def test_no_token_is_unauthenticated(self, client):
        status, body = await gql(client, None, VIEWER)
        assert status == 401
        assert codes(body) == ["UNAUTHENTICATED"]
        assert "data" not in body

    async def test_an_unknown_or_malformed_token_is_unauthenticated(self, client):
        for token in (new_token(), "nonsense", "atl_" + "x" * 43 + "\x00", "' OR 1=1 --"):
            status, body = await gql(client, token, VIEWER)
            assert (status, codes(body)) == (401, ["UNAUTHENTICATED"]), token

    async def test_a_revoked_token_is_unauthenticated(self, client, tenant):
        _, token = await tenant.member(Role.VIEWER, revoked_at=datetime.now(UTC))
        status, body = await gql(client, token, VIEWER)
        assert (status, codes(body)) == (401, ["UNAUTHENTICATED"])

    async def test_an_expired_token_is_unauthenticated_and_a_live_one_works(self, client, tenant):
        _, expired = await tenant.member(Role.VIEWER, expires_at=datetime.now(UTC) - timedelta(seconds=1))
        _, live = await tenant.member(Role.VIEWER, expires_at=datetime.now(UTC) + timedelta(hours=1))
        assert codes((await gql(client, expired, VIEWER))[1]) == ["UNAUTHENTICATED"]
        status, body = await gql(client, live, VIEWER)
        assert status == 200 and body["data"]["viewer"]["role"] == "VIEWER"

    async def test_a_basic_auth_header_is_not_a_bearer_token(self, client, tenant):
        response = await client.post(
            "/graphql", json={"query": VIEWER}, headers={"authorization": f"Basic {tenant.token}"}
        )
        assert response.status_code == 401
