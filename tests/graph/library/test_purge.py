"""purgeAssets and the retention purge: rows, links and storage go in one transaction, files after."""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
import time
from datetime import timedelta

import sqlalchemy as sa

from domain.kernel.access import Role
from domain.library.services import Library
from graph.relay.ids import to_global_id
from graph.server.bootstrap import bootstrap
from graph.server.sweep import sweep_once
from storage.demo.seeding import now
from storage.sql import tables as t
from tests.builders import gql, make_tenant
from tests.graph.events import events_of
from tests.graph.org_state import org_row, set_org

PURGE = """mutation($ids: [ID!]!) { purgeAssets(input: {ids: $ids}) {
    purgedAssetIds userErrors { code message field index id } } }"""


def aid(pk: int) -> str:
    return to_global_id("Asset", pk)


def errors_of(body):
    return [(e["code"], e["field"], e["index"]) for e in body["data"]["purgeAssets"]["userErrors"]]


async def exists(tenant, table, **where) -> bool:
    async with tenant.engine.connect() as conn:
        stmt = (
            sa.select(sa.func.count()).select_from(table).where(*(table.c[k] == v for k, v in where.items()))
        )
        return (await conn.execute(stmt)).scalar_one() > 0


async def old_file(adapters, age=timedelta(days=2)) -> str:
    """A library file last stored `age` ago: past the grace that protects a save in progress."""
    stored = await adapters.blobs.put("library", secrets.token_bytes(64))
    then = time.time() - age.total_seconds()
    os.utime(adapters.blobs.path("library", stored.key), (then, then))
    return stored.key


class TestPurge:
    async def test_a_purge_deletes_the_rows_links_and_placements_and_frees_exactly_their_bytes(
        self, client, tenant
    ):
        project, tag = await tenant.project("Launch"), await tenant.tag("hero")
        a = await tenant.asset("A", byte_size=1_000, trashed_at=now(), projects=(project,), tags=(tag,))
        b = await tenant.asset("B", byte_size=234, trashed_at=now())
        live = await tenant.asset("Live", byte_size=50)
        await set_org(tenant, storage_used_bytes=1_284)
        async with tenant.engine.begin() as conn:
            await conn.execute(
                sa.insert(t.asset_favourites).values(
                    org_id=tenant.org_id, asset_id=a, member_id=tenant.member_id, created_at=now()
                )
            )
        session = await tenant.session()
        generation = await tenant.generation(session, saved_asset_id=a, expires_at=None)
        _, body = await gql(client, tenant.token, PURGE, {"ids": [aid(a), aid(b)]})
        assert body["data"]["purgeAssets"] == {"purgedAssetIds": [aid(a), aid(b)], "userErrors": []}
        assert not await exists(tenant, t.assets, id=a) and not await exists(tenant, t.assets, id=b)
        for table in (t.asset_tags, t.asset_projects, t.asset_favourites):
            assert not await exists(tenant, table, asset_id=a)
        assert await exists(tenant, t.assets, id=live)
        assert (await org_row(tenant)).storage_used_bytes == 50
        assert await events_of(tenant, "asset.purged") == 2
        async with tenant.engine.connect() as conn:
            saved = (
                await conn.execute(
                    sa.select(t.generations.c.saved_asset_id).where(t.generations.c.id == generation)
                )
            ).scalar_one()
        assert saved is None  # the generation may be saved again

    async def test_a_live_asset_is_refused_and_nothing_is_purged(self, client, tenant):
        trashed = await tenant.asset("Trashed", trashed_at=now())
        live = await tenant.asset("Live")
        _, body = await gql(client, tenant.token, PURGE, {"ids": [aid(trashed), aid(live)]})
        assert errors_of(body) == [("INVALID_STATE", "ids[1]", 1)]
        assert body["data"]["purgeAssets"]["purgedAssetIds"] == []
        assert await exists(tenant, t.assets, id=trashed)
        assert await events_of(tenant, "asset.purged") == 0

    async def test_only_admins_purge_and_another_organisations_asset_is_not_found(
        self, client, engine, tenant
    ):
        trashed = await tenant.asset("Trashed", trashed_at=now())
        for role in (Role.EDITOR, Role.APPROVER):
            _, token = await tenant.member(role)
            _, body = await gql(client, token, PURGE, {"ids": [aid(trashed)]})
            assert errors_of(body) == [("FORBIDDEN", None, None)]
        theirs = await (await make_tenant(engine)).asset("Theirs", trashed_at=now())
        _, body = await gql(client, tenant.token, PURGE, {"ids": [aid(theirs)]})
        assert errors_of(body) == [("NOT_FOUND", "ids[0]", 0)]
        assert await exists(tenant, t.assets, id=trashed)
        assert await exists(tenant, t.assets, id=theirs)

    async def test_two_purges_of_one_asset_at_once_free_its_bytes_once(self, client, tenant):
        asset = await tenant.asset("Twice", byte_size=700, trashed_at=now())
        await set_org(tenant, storage_used_bytes=1_000)
        bodies = await asyncio.gather(
            *(gql(client, tenant.token, PURGE, {"ids": [aid(asset)]}) for _ in range(2))
        )
        purged = [body["data"]["purgeAssets"]["purgedAssetIds"] for _, body in bodies]
        assert sorted(purged) == [[], [aid(asset)]]  # one purge deleted it; the other found it gone
        assert (await org_row(tenant)).storage_used_bytes == 300
        assert await events_of(tenant, "asset.purged") == 1


class TestPurgedFiles:
    async def test_a_file_goes_when_its_last_asset_is_purged_and_not_before(self, client, adapters, tenant):
        key = await old_file(adapters)
        first = await tenant.asset("First", blob_key=key, trashed_at=now())
        second = await tenant.asset("Second", blob_key=key, trashed_at=now())
        path = adapters.blobs.path("library", key)
        await gql(client, tenant.token, PURGE, {"ids": [aid(first)]})
        assert path.exists()  # the same bytes are still the second asset's
        await gql(client, tenant.token, PURGE, {"ids": [aid(second)]})
        assert not path.exists()

    async def test_a_file_stored_within_the_grace_is_left_to_the_orphan_sweep(self, client, adapters, tenant):
        key = await old_file(adapters, age=timedelta(0))
        asset = await tenant.asset("Fresh", blob_key=key, trashed_at=now())
        _, body = await gql(client, tenant.token, PURGE, {"ids": [aid(asset)]})
        assert body["data"]["purgeAssets"]["purgedAssetIds"] == [aid(asset)]
        assert adapters.blobs.path("library", key).exists()  # a save of the same bytes may be under way


class TestRetentionPurge:
    async def test_the_sweep_purges_what_was_trashed_before_the_window_a_bounded_batch_at_a_time(
        self, adapters, tenant
    ):
        library = Library(uow=adapters.uow, clock=adapters.clock, blobs=adapters.blobs)  # 30 days
        while await library.purge_expired_trash():  # what earlier tests left behind
            pass
        long_ago = now() - timedelta(days=31)
        old = [await tenant.asset(f"Old {i}", byte_size=100, trashed_at=long_ago) for i in range(3)]
        recent = await tenant.asset("Recent", byte_size=100, trashed_at=now() - timedelta(days=29))
        live = await tenant.asset("Live", byte_size=100)
        await set_org(tenant, storage_used_bytes=500)
        assert await library.purge_expired_trash(limit=2) == 2
        assert await library.purge_expired_trash(limit=2) == 1
        assert await library.purge_expired_trash(limit=2) == 0
        assert [await exists(tenant, t.assets, id=a) for a in old] == [False] * 3
        assert await exists(tenant, t.assets, id=recent) and await exists(tenant, t.assets, id=live)
        assert (await org_row(tenant)).storage_used_bytes == 200
        async with tenant.engine.connect() as conn:
            rows = (
                await conn.execute(
                    sa.select(t.events.c.actor_id, t.events.c.payload).where(
                        t.events.c.org_id == tenant.org_id, t.events.c.type == "asset.purged"
                    )
                )
            ).all()
        assert [(r.actor_id, r.payload) for r in rows] == [(None, {"byte_size": 100, "automatic": True})] * 3

    async def test_the_periodic_sweep_says_how_many_it_purged_in_one_line(self, adapters, tenant, caplog):
        library = Library(
            uow=adapters.uow, clock=adapters.clock, blobs=adapters.blobs, trash_retention=timedelta(days=1)
        )
        while await library.purge_expired_trash():
            pass
        await tenant.asset("Old", trashed_at=now() - timedelta(days=2))
        services = bootstrap(adapters)
        with caplog.at_level(logging.INFO, logger="atelier"):
            await sweep_once(services.studio, library, services.files)
        lines = [
            r.getMessage()
            for r in caplog.records
            if r.name == "atelier" and r.getMessage().startswith("trash")
        ]
        assert lines == ["trash: purged 1 asset(s) past the retention window"]
