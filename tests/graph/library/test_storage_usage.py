"""organisation.storage: the storage used stays exact through saves, trashes and purges."""

from __future__ import annotations

import sqlalchemy as sa

from domain.kernel.access import Role
from graph.relay.ids import to_global_id
from storage.sql import tables as t
from tests.builders import gql, make_tenant
from tests.graph.library.test_save_to_library import generated
from tests.graph.mutations import SAVE
from tests.graph.org_state import set_org

STORAGE = "{ viewer { organisation { storage { usedBytes limitBytes assetCount } } } }"
TRASH = "mutation($ids: [ID!]!) { trashAssets(input: {ids: $ids}) { userErrors { code } } }"
PURGE = "mutation($ids: [ID!]!) { purgeAssets(input: {ids: $ids}) { purgedAssetIds userErrors { code } } }"


async def storage(client, token):
    _, body = await gql(client, token, STORAGE)
    return body["data"]["viewer"]["organisation"]["storage"]


async def bytes_of_rows(tenant) -> int:
    """What the organisation's asset rows, live and trashed, hold."""
    async with tenant.engine.connect() as conn:
        stmt = sa.select(sa.func.coalesce(sa.func.sum(t.assets.c.byte_size), 0)).where(
            t.assets.c.org_id == tenant.org_id
        )
        return int((await conn.execute(stmt)).scalar_one())


class TestStorageUsage:
    async def test_used_bytes_follow_saves_trashes_and_purges_exactly(self, client, tenant):
        assert await storage(client, tenant.token) == {
            "usedBytes": "0",
            "limitBytes": str(10 * 1024**3),
            "assetCount": 0,
        }
        ids = await generated(client, tenant, count=3)
        _, body = await gql(client, tenant.token, SAVE, {"input": {"generationIds": ids}})
        assets = body["data"]["saveToLibrary"]["assets"]
        sizes = [a["byteSize"] for a in assets]
        assert all(size > 0 for size in sizes)
        saved = await storage(client, tenant.token)
        assert saved["usedBytes"] == str(sum(sizes)) == str(await bytes_of_rows(tenant))
        assert saved["assetCount"] == 3

        await gql(client, tenant.token, TRASH, {"ids": [assets[0]["id"]]})
        trashed = await storage(client, tenant.token)
        assert trashed == saved  # a trashed file is still kept: it counts until purged

        _, body = await gql(client, tenant.token, PURGE, {"ids": [assets[0]["id"]]})
        assert body["data"]["purgeAssets"]["userErrors"] == []
        purged = await storage(client, tenant.token)
        assert purged["usedBytes"] == str(sum(sizes[1:])) == str(await bytes_of_rows(tenant))
        assert purged["assetCount"] == 2

    async def test_a_purge_frees_room_for_a_save_the_quota_refused(self, client, tenant):  # row 35
        first = await generated(client, tenant, count=1)
        _, body = await gql(client, tenant.token, SAVE, {"input": {"generationIds": first}})
        asset = body["data"]["saveToLibrary"]["assets"][0]
        second = await generated(client, tenant, count=1, prompt="a lighthouse at dawn")
        _, body = await gql(
            client,
            tenant.token,
            "query($id: ID!) { node(id: $id) { ... on Generation { byteSize } } }",
            {"id": second[0]},
        )
        # room for either image, not for both
        await set_org(tenant, storage_quota_bytes=asset["byteSize"] + body["data"]["node"]["byteSize"] - 1)
        _, body = await gql(client, tenant.token, SAVE, {"input": {"generationIds": second}})
        assert [e["code"] for e in body["data"]["saveToLibrary"]["userErrors"]] == ["QUOTA_EXCEEDED"]
        assert (await storage(client, tenant.token))["assetCount"] == 1  # nothing saved
        await gql(client, tenant.token, TRASH, {"ids": [asset["id"]]})
        _, body = await gql(client, tenant.token, SAVE, {"input": {"generationIds": second}})
        assert [e["code"] for e in body["data"]["saveToLibrary"]["userErrors"]] == ["QUOTA_EXCEEDED"]
        await gql(client, tenant.token, PURGE, {"ids": [asset["id"]]})
        _, body = await gql(client, tenant.token, SAVE, {"input": {"generationIds": second}})
        assert body["data"]["saveToLibrary"]["userErrors"] == []
        assert (await storage(client, tenant.token))["usedBytes"] == str(await bytes_of_rows(tenant))

    async def test_every_role_reads_its_own_organisations_storage_only(self, client, engine, tenant):
        await tenant.asset("Ours", byte_size=123)
        await set_org(tenant, storage_used_bytes=123)
        other = await make_tenant(engine)
        await other.asset("Theirs", byte_size=999)
        _, viewer = await tenant.member(Role.VIEWER)
        assert await storage(client, viewer) == {
            "usedBytes": "123",
            "limitBytes": str(10 * 1024**3),
            "assetCount": 1,
        }
        assert (await storage(client, other.token))["assetCount"] == 1
        org = to_global_id("Organisation", other.org_id)
        _, body = await gql(
            client,
            tenant.token,
            "query($id: ID!) { node(id: $id) { ... on Organisation { storage { usedBytes } } } }",
            {"id": org},
        )
        assert body["data"]["node"] is None
