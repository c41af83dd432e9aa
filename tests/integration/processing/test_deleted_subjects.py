"""Processing rows never outlive their subject: a purge or an expiry takes the jobs, facts and
renditions with it, a worker holding such a job settles quietly, and the orphan sweep takes the
rendition files nothing refers to any more."""

from __future__ import annotations

import asyncio
import os
import time
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from domain.kernel.access import Actor, Role
from domain.kernel.errors import ErrorCode, ItemErrors
from domain.processing import worker
from domain.processing.model import (
    RENDITIONS_AREA,
    ImageFacts,
    ProcessedImage,
    ProcessingError,
    Rendition,
)
from storage.blobs.local import LocalBlobStore
from storage.sql import tables as t
from storage.unit_of_work import SqlUnitOfWork
from tests.builders import Tenant, make_tenant
from tests.graph.processing.rows import processed
from tests.services import sql_library, sql_processing, sql_studio
from tests.unit.fakes import FakeImageProcessor

LONG_AGO = datetime.now(UTC) - timedelta(days=60)


def admin(tenant: Tenant) -> Actor:
    return Actor(tenant.org_id, tenant.member_id, Role.ADMIN)


async def rows_of(engine: AsyncEngine, org_id: int, subject: str, subject_id: int) -> dict[str, int]:
    """How many jobs, image_facts and renditions rows the subject has."""
    counts = {}
    async with engine.connect() as conn:
        for table in (t.jobs, t.image_facts, t.renditions):
            counts[table.name] = (
                await conn.execute(
                    sa.select(sa.func.count())
                    .select_from(table)
                    .where(
                        table.c.org_id == org_id,
                        table.c.subject_type == subject,
                        table.c.subject_id == subject_id,
                    )
                )
            ).scalar_one()
    return counts


NONE = {"jobs": 0, "image_facts": 0, "renditions": 0}
PROCESSED = {"jobs": 1, "image_facts": 1, "renditions": 2}


async def stored_rendition(blobs: LocalBlobStore, data: bytes, *, age_hours: float) -> str:
    blob = await blobs.put(RENDITIONS_AREA, data)
    old = time.time() - age_hours * 3600
    os.utime(blobs.path(RENDITIONS_AREA, blob.key), (old, old))
    return blob.key


class TestPurgingAnAsset:
    async def test_purging_deletes_its_jobs_facts_and_renditions_and_nothing_of_other_subjects(
        self, engine, tmp_path
    ):
        tenant = await make_tenant(engine)
        purged, kept = await tenant.asset("gone", trashed_at=LONG_AGO), await tenant.asset("kept")
        for asset in (purged, kept):
            await processed(engine, tenant.org_id, "asset", asset)
        # a generation with the purged asset's id: the subject type keeps them apart
        await processed(engine, tenant.org_id, "generation", purged)

        gone = await sql_library(engine, LocalBlobStore(tmp_path)).purge_assets(
            admin(tenant), asset_ids=[purged]
        )

        assert gone == [purged]
        assert await rows_of(engine, tenant.org_id, "asset", purged) == NONE
        assert await rows_of(engine, tenant.org_id, "asset", kept) == PROCESSED
        assert await rows_of(engine, tenant.org_id, "generation", purged) == PROCESSED

    async def test_the_retention_purge_deletes_the_processing_rows_of_every_organisation_it_purges(
        self, engine, tmp_path
    ):
        ours, theirs = await make_tenant(engine), await make_tenant(engine)
        expired = [await tenant.asset("old", trashed_at=LONG_AGO) for tenant in (ours, theirs)]
        for tenant, asset in zip((ours, theirs), expired, strict=True):
            await processed(engine, tenant.org_id, "asset", asset)

        assert await sql_library(engine, LocalBlobStore(tmp_path)).purge_expired_trash() >= 2

        for tenant, asset in zip((ours, theirs), expired, strict=True):
            assert await rows_of(engine, tenant.org_id, "asset", asset) == NONE


class TestExpiringAGeneration:
    async def test_an_expired_generation_takes_its_jobs_facts_and_renditions_with_it(self, engine, tmp_path):
        tenant = await make_tenant(engine)
        session = await tenant.session("S", state="closed")
        expired = await tenant.generation(session, "expired", expires_at=LONG_AGO)
        liked = await tenant.generation(session, "liked", expires_at=LONG_AGO)
        await tenant.like(liked)
        for generation in (expired, liked):
            await processed(engine, tenant.org_id, "generation", generation)

        report = await sql_studio(engine, LocalBlobStore(tmp_path)).cleanup_expired()

        assert report.deleted >= 1
        assert await rows_of(engine, tenant.org_id, "generation", expired) == NONE
        assert await rows_of(engine, tenant.org_id, "generation", liked) == PROCESSED


RESULT = ProcessedImage(
    ImageFacts("PNG", "RGB", ("#ffffff",), -1), (Rendition(256, 256, 128, "c" * 64, 1000),)
)


class TestAWorkerHoldingAJobOfADeletedSubject:
    async def test_it_settles_quietly_writing_no_rows_and_no_event(self, engine, tmp_path):
        tenant = await make_tenant(engine)
        asset = await tenant.asset("in the trash", trashed_at=LONG_AGO)
        async with SqlUnitOfWork(engine) as uow:
            await uow.jobs.enqueue(tenant.org_id, "asset", {asset: "d" * 64}, datetime.now(UTC))
            await uow.commit()
        processing = sql_processing(engine, FakeImageProcessor())
        [job] = await worker.claim(processing, "w1", limit=10)
        assert job.subject_id == asset

        await sql_library(engine, LocalBlobStore(tmp_path)).purge_assets(admin(tenant), asset_ids=[asset])
        await worker.run_job(processing, job)  # processed, then finds its job gone

        assert await rows_of(engine, tenant.org_id, "asset", asset) == NONE
        assert await event_types(engine, tenant.org_id) == ["asset.purged"]

    async def test_one_whose_original_is_gone_too_records_no_failure(self, engine, tmp_path):
        tenant = await make_tenant(engine)
        asset = await tenant.asset("in the trash", trashed_at=LONG_AGO)
        async with SqlUnitOfWork(engine) as uow:
            await uow.jobs.enqueue(tenant.org_id, "asset", {asset: "f" * 64}, datetime.now(UTC))
            await uow.commit()
        processing = sql_processing(engine, FakeImageProcessor(ProcessingError.SOURCE_MISSING))
        [job] = await worker.claim(processing, "w1", limit=10)

        await sql_library(engine, LocalBlobStore(tmp_path)).purge_assets(admin(tenant), asset_ids=[asset])
        await worker.run_job(processing, job)

        assert await rows_of(engine, tenant.org_id, "asset", asset) == NONE
        assert await event_types(engine, tenant.org_id) == ["asset.purged"]  # no asset.unprocessable

    async def test_a_purge_racing_a_worker_that_completes_leaves_no_row_whoever_commits_first(
        self, engine, tmp_path
    ):
        tenant = await make_tenant(engine)
        asset = await tenant.asset("in the trash", trashed_at=LONG_AGO)
        async with SqlUnitOfWork(engine) as uow:
            await uow.jobs.enqueue(tenant.org_id, "asset", {asset: "e" * 64}, datetime.now(UTC))
            await uow.commit()
        processing = sql_processing(engine, FakeImageProcessor())
        [job] = await worker.claim(processing, "w1", limit=10)
        library = sql_library(engine, LocalBlobStore(tmp_path))

        completing = SqlUnitOfWork(engine)
        async with completing:
            assert await completing.jobs.complete(job, RESULT, datetime.now(UTC))
            # the purge starts while the worker's rows are written but not committed: it waits
            # (SQLite: for the write lock; PostgreSQL: for the job's row), then deletes them too
            purge = asyncio.create_task(library.purge_assets(admin(tenant), asset_ids=[asset]))
            await asyncio.sleep(0.3)
            await completing.commit()
        assert await purge == [asset]

        assert await rows_of(engine, tenant.org_id, "asset", asset) == NONE


async def event_types(engine: AsyncEngine, org_id: int) -> list[str]:
    e = t.events
    async with engine.connect() as conn:
        rows = await conn.execute(sa.select(e.c.type).where(e.c.org_id == org_id).order_by(e.c.id))
        return [r.type for r in rows]


class TestTheOrphanSweepOfRenditions:
    async def test_a_purged_assets_rendition_files_go_and_one_shared_with_a_live_generation_stays(
        self, engine, tmp_path
    ):
        blobs = LocalBlobStore(tmp_path)
        tenant = await make_tenant(engine)
        session = await tenant.session("S")
        asset = await tenant.asset("purged", trashed_at=LONG_AGO)
        generation = await tenant.generation(session, "live")
        await processed(engine, tenant.org_id, "asset", asset)
        await processed(engine, tenant.org_id, "generation", generation)
        own = await stored_rendition(blobs, b"the asset's own rendition", age_hours=3)
        shared = await stored_rendition(blobs, b"identical renditions of both", age_hours=3)
        fresh = await stored_rendition(blobs, b"a worker's file, its row not committed yet", age_hours=0)
        r = t.renditions
        async with engine.begin() as conn:  # the asset's 256 its own, its 1024 the same as the generation's
            for subject, subject_id, size, key in (
                ("asset", asset, 256, own),
                ("asset", asset, 1024, shared),
                ("generation", generation, 1024, shared),
            ):
                await conn.execute(
                    sa.update(r)
                    .where(
                        r.c.org_id == tenant.org_id,
                        r.c.subject_type == subject,
                        r.c.subject_id == subject_id,
                        r.c.size == size,
                    )
                    .values(blob_key=key)
                )
        studio = sql_studio(engine, blobs)
        assert await studio.sweep_orphan_renditions() == 0  # all three in use or fresh

        await sql_library(engine, blobs).purge_assets(admin(tenant), asset_ids=[asset])
        report = await studio.cleanup_expired()

        assert report.renditions_deleted == 1
        assert not blobs.path(RENDITIONS_AREA, own).exists()
        assert blobs.path(RENDITIONS_AREA, shared).exists()  # the live generation's too
        assert blobs.path(RENDITIONS_AREA, fresh).exists()  # within its grace period


class TestReprocessingRacingAPurge:
    async def test_a_reprocess_during_a_purge_waits_and_finds_the_asset_gone_leaving_no_job(
        self, engine, tmp_path
    ):
        tenant = await make_tenant(engine)
        asset = await tenant.asset("in the trash", trashed_at=LONG_AGO)
        await processed(engine, tenant.org_id, "asset", asset)
        processing = sql_processing(engine, FakeImageProcessor())

        purging = SqlUnitOfWork(engine)
        async with purging:  # the purge's own steps, its commit held back
            await purging.trash.lock_assets(tenant.org_id, [asset])
            assert [p.id for p in await purging.trash.purge_assets(tenant.org_id, [asset])] == [asset]
            await purging.jobs.forget("asset", {tenant.org_id: [asset]})
            reprocess = asyncio.create_task(processing.reprocess_assets(admin(tenant), asset_ids=[asset]))
            await asyncio.sleep(0.3)
            await purging.commit()

        with pytest.raises(ItemErrors) as refused:
            await reprocess
        assert [e.error.code for e in refused.value.items] == [ErrorCode.NOT_FOUND]
        assert await rows_of(engine, tenant.org_id, "asset", asset) == NONE
