"""The retention sweep: expired unkept generations go with their scratch images; kept ones stay whole."""

from __future__ import annotations

import asyncio
import os
import time
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from storage.blobs.local import LocalBlobStore
from storage.sql import tables as t
from storage.sql.database import create_engine
from storage.sql.migrate import migrate
from storage.unit_of_work import SqlUnitOfWork
from tests.builders import make_tenant
from tests.conftest import create_database, drop_database
from tests.services import sql_studio

PAST = datetime.now(UTC) - timedelta(days=1)


@pytest.fixture(scope="module")
async def engine(tmp_path_factory):
    """A database of this module's own: the sweep spans every organisation, so here its counts are exact."""
    url = await create_database(tmp_path_factory.mktemp("retention"))
    engine = create_engine(url)
    await migrate(engine)
    yield engine
    await engine.dispose()
    await drop_database(url)


async def _blob(store: LocalBlobStore, data: bytes, *, age_hours: float) -> str:
    blob = await store.put("scratch", data)
    old = time.time() - age_hours * 3600
    os.utime(store.path("scratch", blob.key), (old, old))
    return blob.key


async def _ids(engine, org_id: int) -> set[int]:
    async with engine.connect() as conn:
        rows = await conn.execute(sa.select(t.generations.c.id).where(t.generations.c.org_id == org_id))
        return {r.id for r in rows}


async def test_expired_unkept_generations_and_their_images_are_deleted(engine, tmp_path):
    store = LocalBlobStore(tmp_path)
    tenant = await make_tenant(engine)
    session = await tenant.session("S", state="closed")
    stale = await _blob(store, b"stale image", age_hours=3)
    shared = await _blob(store, b"shared image", age_hours=3)
    fresh_copy = await _blob(store, b"stored again a moment ago", age_hours=0)
    expired = await tenant.generation(session, "expired", expires_at=PAST, blob_key=stale)
    liked = await tenant.generation(session, "liked", expires_at=PAST, blob_key=shared)
    approved = await tenant.generation(session, "approved", expires_at=PAST, review_state="approved")
    saved = await tenant.generation(session, "saved", expires_at=PAST, saved_asset_id=await tenant.asset("a"))
    not_yet = await tenant.generation(
        session, "later", expires_at=datetime.now(UTC) + timedelta(days=1), blob_key=shared
    )
    expired_shared = await tenant.generation(
        session, "expired, blob shared", expires_at=PAST, blob_key=shared
    )
    expired_fresh = await tenant.generation(
        session, "expired, blob just stored", expires_at=PAST, blob_key=fresh_copy
    )
    await tenant.like(liked)

    assert await sql_studio(engine, store).expired_count() == 3
    seen: list[int] = []
    report = await sql_studio(engine, store).cleanup_expired(batch_size=2, on_progress=seen.append)

    assert await _ids(engine, tenant.org_id) == {liked, approved, saved, not_yet}
    assert report.deleted == 3 and sum(seen) == 3
    assert not store.path("scratch", stale).exists()
    assert store.path("scratch", shared).exists()  # still used by the liked and the later generation
    assert store.path("scratch", fresh_copy).exists()  # within its grace period
    assert expired not in await _ids(engine, tenant.org_id) and expired_shared and expired_fresh
    async with engine.connect() as conn:
        events = (
            await conn.execute(
                sa.select(sa.func.count())
                .select_from(t.events)
                .where(t.events.c.org_id == tenant.org_id, t.events.c.type == "generation.expired")
            )
        ).scalar_one()
    assert events == 3


async def test_a_save_racing_the_cleanup_leaves_the_generation_whole(engine, tmp_path):  # row 34
    store = LocalBlobStore(tmp_path)
    tenant = await make_tenant(engine)
    session = await tenant.session("S", state="closed")
    generations = [await tenant.generation(session, f"g{i}", expires_at=PAST) for i in range(20)]
    asset = await tenant.asset("saved")

    won: set[int] = set()  # the saves that found their generation still there

    async def save_half() -> None:
        for g in generations[::2]:
            async with SqlUnitOfWork(engine) as uow:
                await uow.generations.get_many(tenant.org_id, [g], for_update=True)
                if await uow.generations.mark_saved(tenant.org_id, g, asset):
                    won.add(g)
                await uow.commit()

    await asyncio.gather(save_half(), sql_studio(engine, store).cleanup_expired(batch_size=3))
    await sql_studio(engine, store).cleanup_expired()
    left = await _ids(engine, tenant.org_id)
    async with engine.connect() as conn:
        saved = {
            r.id
            for r in await conn.execute(
                sa.select(t.generations.c.id).where(
                    t.generations.c.org_id == tenant.org_id, t.generations.c.saved_asset_id.is_not(None)
                )
            )
        }
    # each of the ten saves either won (its generation is saved and kept) or lost to the sweep
    # (its generation is gone); a generation both saved and deleted, or neither, fails here
    assert left == saved == won and won <= set(generations[::2])
    async with engine.connect() as conn:
        expired_events = (
            await conn.execute(
                sa.select(sa.func.count())
                .select_from(t.events)
                .where(t.events.c.org_id == tenant.org_id, t.events.c.type == "generation.expired")
            )
        ).scalar_one()
    assert expired_events == len(generations) - len(won)  # one per deleted generation, none for a kept one


async def test_blobs_no_row_refers_to_are_swept_after_their_grace_period(engine, tmp_path):
    store = LocalBlobStore(tmp_path)
    tenant = await make_tenant(engine)
    used_scratch = await _blob(store, b"used by a generation", age_hours=5)
    used_library = (await store.put("library", b"used by an asset")).key
    old = time.time() - 5 * 3600
    os.utime(store.path("library", used_library), (old, old))
    orphan_scratch = await _blob(store, b"left by a failed write", age_hours=5)
    orphan_library = (await store.put("library", b"left by a refused save")).key
    os.utime(store.path("library", orphan_library), (old, old))
    young_orphan = await _blob(store, b"being written right now", age_hours=0)
    crashed = store.path("scratch", used_scratch).parent / ".tmp-crashed"
    crashed.write_bytes(b"half")
    os.utime(crashed, (old, old))
    await tenant.generation(await tenant.session(), blob_key=used_scratch)
    await tenant.asset("kept", blob_key=used_library)

    assert await sql_studio(engine, store).sweep_orphan_blobs() == 2
    assert store.path("scratch", used_scratch).exists() and store.path("library", used_library).exists()
    assert (
        not store.path("scratch", orphan_scratch).exists()
        and not store.path("library", orphan_library).exists()
    )
    assert store.path("scratch", young_orphan).exists() and not crashed.exists()
