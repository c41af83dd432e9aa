"""saveToLibrary copies its images with no transaction open; a copy left by a lost race is swept later."""

from __future__ import annotations

import os
import secrets
import sqlite3
import time
from collections.abc import Awaitable, Callable, Sequence
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from domain.kernel.access import Actor, Role
from domain.kernel.errors import ItemErrors, QuotaExceeded
from domain.studio.retention import BLOB_GRACE
from storage.blobs.local import LocalBlobStore
from storage.sql import tables as t
from storage.sql.database import is_sqlite
from tests.builders import Tenant, make_tenant
from tests.graph.org_state import count_rows, set_org
from tests.services import sql_library, sql_studio

ALT = "A lighthouse on a cliff at dusk, its beam sweeping over calm sea."


class WatchedBlobStore(LocalBlobStore):
    """The real store, running `during_copy` at the start of each copy."""

    def __init__(self, root: Path, during_copy: Callable[[], Awaitable[None]] | None = None) -> None:
        super().__init__(root)
        self.during_copy = during_copy
        self.copies: list[list[str]] = []

    async def copy(self, from_area: str, to_area: str, keys: Sequence[str]) -> None:
        self.copies.append(list(keys))
        if self.during_copy is not None:
            await self.during_copy()
        await super().copy(from_area, to_area, keys)


async def approved_generation(tenant: Tenant, store: LocalBlobStore, **values: object) -> tuple[int, str]:
    blob = await store.put("scratch", f"image {secrets.token_hex(8)}".encode())
    session = await tenant.session("Shoot")
    values = {
        "review_state": "approved",
        "alt_text": ALT,
        "blob_key": blob.key,
        "byte_size": blob.size,
        **values,
    }
    return await tenant.generation(session, "a lighthouse at dusk", **values), blob.key


async def save(engine: AsyncEngine, tenant: Tenant, store: LocalBlobStore, ids: list[int]):
    actor = Actor(tenant.org_id, tenant.member_id, Role.ADMIN)
    return await sql_library(engine, store).save(actor, generation_ids=ids)


def age(path: Path, by: timedelta) -> None:
    then = time.time() - by.total_seconds()
    os.utime(path, (then, then))


class TestSavingCopiesBeforeTheWriteTransaction:
    async def test_no_transaction_is_open_and_no_write_lock_held_while_the_image_is_copied(
        self, engine, tmp_path
    ):
        tenant = await make_tenant(engine)
        seen: list[str] = []

        async def probe() -> None:
            if is_sqlite(engine):  # any writer could take the lock now, without waiting
                raw = sqlite3.connect(engine.url.database or "", timeout=0, isolation_level=None)
                try:
                    raw.execute("BEGIN IMMEDIATE")
                    raw.execute("ROLLBACK")
                finally:
                    raw.close()
            async with engine.connect() as conn:  # nothing of this save is stored yet
                stmt = (
                    sa.select(sa.func.count()).select_from(t.assets).where(t.assets.c.org_id == tenant.org_id)
                )
                seen.append(f"assets: {(await conn.execute(stmt)).scalar_one()}")

        store = WatchedBlobStore(tmp_path / "blobs", probe)
        generation, key = await approved_generation(tenant, store)
        [asset] = await save(engine, tenant, store, [generation])
        assert seen == ["assets: 0"] and store.copies == [[key]]
        assert asset.blob_key == key and store.path("library", key).exists()

    async def test_a_save_refused_by_its_checks_copies_no_file(self, engine, tmp_path):
        tenant = await make_tenant(engine)
        store = WatchedBlobStore(tmp_path / "blobs")
        generation, key = await approved_generation(tenant, store)
        rejected, rejected_key = await approved_generation(tenant, store, review_state="rejected")
        with pytest.raises(ItemErrors):
            await save(engine, tenant, store, [generation, rejected])
        await set_org(tenant, storage_quota_bytes=0)
        with pytest.raises(QuotaExceeded):
            await save(engine, tenant, store, [generation])
        assert store.copies == []
        assert not store.path("library", key).exists() and not store.path("library", rejected_key).exists()

    async def test_a_save_that_loses_a_race_after_copying_leaves_a_file_the_orphan_sweep_removes_later(
        self, engine, tmp_path
    ):
        tenant = await make_tenant(engine)

        async def quota_taken_meanwhile() -> None:
            await set_org(tenant, storage_quota_bytes=0)

        store = WatchedBlobStore(tmp_path / "blobs", quota_taken_meanwhile)
        generation, key = await approved_generation(tenant, store)
        with pytest.raises(QuotaExceeded):  # the write transaction's compare-and-set on the quota
            await save(engine, tenant, store, [generation])
        assert await count_rows(tenant, t.assets) == 0
        left = store.path("library", key)
        assert left.exists()
        assert await sql_studio(engine, store).sweep_orphan_blobs() == 0  # within its grace period
        age(left, BLOB_GRACE + timedelta(minutes=1))
        assert await sql_studio(engine, store).sweep_orphan_blobs() == 1
        assert not left.exists() and store.path("scratch", key).exists()  # the generation still uses it


class TestCopyingCountsAsStoring:
    async def test_a_copy_of_an_old_image_gets_its_grace_period(self, tmp_path):
        store = LocalBlobStore(tmp_path / "blobs")
        key = (await store.put("scratch", b"made three hours ago")).key
        age(store.path("scratch", key), timedelta(hours=3))
        await store.copy("scratch", "library", [key])  # a hard link: it shares the old inode
        assert not await store.delete("library", key, unless_stored_within=BLOB_GRACE)
        assert await store.stale_keys("library", untouched_for=BLOB_GRACE, limit=10) == []

    async def test_copying_again_refreshes_a_copy_already_there(self, tmp_path):
        store = LocalBlobStore(tmp_path / "blobs")
        key = (await store.put("scratch", b"saved, then saved again")).key
        await store.copy("scratch", "library", [key])
        age(store.path("library", key), timedelta(hours=3))
        await store.copy("scratch", "library", [key])
        assert not await store.delete("library", key, unless_stored_within=BLOB_GRACE)
