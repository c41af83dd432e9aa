"""Content identity: Asset.sha256 is the hash of the bytes, and assetBySha256 finds the asset."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from graph.relay.ids import to_global_id
from tests.builders import codes, gql, make_tenant

BY_HASH = """query($h: String!) { assetBySha256(sha256: $h) { id name sha256 } }"""


class TestAssetBySha256:
    async def test_the_asset_with_those_bytes_is_found_with_its_hash(self, client, tenant):
        asset = await tenant.asset("original", blob_key="0f" * 32)
        _, body = await gql(client, tenant.token, BY_HASH, {"h": "0F" * 32})
        assert body["data"]["assetBySha256"] == {
            "id": to_global_id("Asset", asset),
            "name": "original",
            "sha256": "0f" * 32,
        }

    async def test_a_live_asset_comes_before_a_trashed_one_then_the_newest(self, client, tenant):
        await tenant.asset("older", blob_key="1e" * 32)
        await tenant.asset("newer", blob_key="1e" * 32)
        await tenant.asset("trashed newest", blob_key="1e" * 32, trashed_at=datetime.now(UTC))
        _, body = await gql(client, tenant.token, BY_HASH, {"h": "1e" * 32})
        assert body["data"]["assetBySha256"]["name"] == "newer"

    async def test_bytes_the_organisation_does_not_have_answer_null(self, client, engine, tenant):
        other = await make_tenant(engine)
        await other.asset("theirs", blob_key="2d" * 32)
        for h in ("2d" * 32, "3c" * 32):
            _, body = await gql(client, tenant.token, BY_HASH, {"h": h})
            assert body["data"] == {"assetBySha256": None} and "errors" not in body

    @pytest.mark.parametrize("h", ["", "abc", "g" * 64, "0" * 63, "0" * 65, "0" * 63 + "\x00", "é" * 64])
    async def test_a_malformed_hash_is_invalid_input(self, client, tenant, h):
        _, body = await gql(client, tenant.token, BY_HASH, {"h": h})
        assert codes(body) == ["INVALID_INPUT"]
        assert body["errors"][0]["extensions"]["field"] == "sha256"
