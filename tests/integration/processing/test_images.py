"""Processing real images through the real queue and a real spawn pool: renditions, facts, failures."""

from __future__ import annotations

import io
import os
import signal
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from PIL import Image
from sqlalchemy.ext.asyncio import AsyncEngine

from domain.kernel.access import Actor, Role
from domain.processing.model import RetryPolicy
from storage.blobs.local import LocalBlobStore
from storage.images.procedural import render_png
from storage.processing.imaging import difference_hash
from storage.sql import tables as t
from storage.unit_of_work import SqlUnitOfWork
from tests.builders import Tenant, make_tenant
from tests.images import photo, png
from tests.services import sql_library, sql_processing, sql_studio
from tests.unit.fakes import FakeClock


async def state_of(
    engine: AsyncEngine, org_id: int, subject: str, subject_id: int
) -> tuple[str, int, str | None]:
    j = t.jobs
    async with engine.connect() as conn:
        r = (
            await conn.execute(
                sa.select(j.c.state, j.c.attempts, j.c.last_error).where(
                    j.c.org_id == org_id, j.c.subject_type == subject, j.c.subject_id == subject_id
                )
            )
        ).one()
    return r.state, r.attempts, r.last_error


async def renditions(engine: AsyncEngine, org_id: int, subject: str, subject_id: int):
    r = t.renditions
    async with engine.connect() as conn:
        return (
            await conn.execute(
                sa.select(r)
                .where(r.c.org_id == org_id, r.c.subject_type == subject, r.c.subject_id == subject_id)
                .order_by(r.c.size)
            )
        ).all()


async def asset_with_image(tenant: Tenant, blobs: LocalBlobStore, data: bytes) -> int:
    """An asset whose original is `data`, queued as saving queues it."""
    blob = await blobs.put("library", data)
    asset_id = await tenant.asset(blob_key=blob.key, byte_size=blob.size)
    async with SqlUnitOfWork(tenant.engine) as uow:
        await uow.jobs.enqueue(tenant.org_id, "asset", {asset_id: blob.key}, datetime.now(UTC))
        await uow.commit()
    return asset_id


def opened(blobs: LocalBlobStore, key: str) -> Image.Image:
    image = Image.open(io.BytesIO(blobs.path("renditions", key).read_bytes()))
    image.load()
    return image


class TestGeneratedAndSaved:
    async def test_a_generation_and_the_asset_saved_from_it_are_processed_to_ready(
        self, engine, blobs, processor
    ):
        tenant = await make_tenant(engine)
        actor = Actor(tenant.org_id, tenant.member_id, Role.ADMIN)
        session = await tenant.session("Shoot")
        [generation] = await sql_studio(engine, blobs).generate(
            actor, session_id=session, prompt="a red kite"
        )
        processing = sql_processing(engine, processor)
        assert await state_of(engine, tenant.org_id, "generation", generation.id) == ("queued", 0, None)
        async with engine.begin() as conn:  # approved, so it may be saved
            await conn.execute(
                sa.update(t.generations)
                .where(t.generations.c.id == generation.id)
                .values(review_state="approved", alt_text="A red kite against a pale sky.")
            )
        [asset] = await sql_library(engine, blobs).save(actor, generation_ids=[generation.id])
        assert await state_of(engine, tenant.org_id, "asset", asset.id) == ("queued", 0, None)

        assert await processing.work_once("test", 10) == 2
        for subject, subject_id in (("generation", generation.id), ("asset", asset.id)):
            assert await state_of(engine, tenant.org_id, subject, subject_id) == ("done", 1, None)
            small, large = await renditions(engine, tenant.org_id, subject, subject_id)
            assert (small.size, large.size) == (256, 1024)
            assert max(small.width, small.height) == 256
            assert max(large.width, large.height) == min(1024, max(generation.width, generation.height))
            image = opened(blobs, small.blob_key)
            assert (image.format, image.size) == ("WEBP", (small.width, small.height))
            assert blobs.path("renditions", small.blob_key).stat().st_size == small.byte_size
        facts = (await sql_processing(engine, processor).reads.facts(tenant.org_id, "asset", [asset.id]))[
            asset.id
        ]
        assert facts.format == "PNG" and facts.colour_mode in ("RGB", "RGBA")
        assert 1 <= len(facts.dominant_colours) <= 5
        assert all(len(c) == 7 and c.startswith("#") for c in facts.dominant_colours)
        assert -(2**63) <= facts.perceptual_hash < 2**63


class TestRenditions:
    async def test_a_photo_is_turned_upright_before_resizing(self, engine, blobs, processor):
        tenant = await make_tenant(engine)
        asset = await asset_with_image(tenant, blobs, photo(300, 200, orientation=6))  # 90 degrees clockwise
        await sql_processing(engine, processor).work_once("test", 10)
        [small, large] = await renditions(engine, tenant.org_id, "asset", asset)
        assert (small.width, small.height) == (171, 256)  # portrait now
        assert (large.width, large.height) == (200, 300)  # never upscaled past the original
        assert opened(blobs, large.blob_key).size == (200, 300)

    async def test_an_image_smaller_than_every_size_gets_each_rendition_at_its_own_size_in_one_blob(
        self, engine, blobs, processor
    ):
        tenant = await make_tenant(engine)
        asset = await asset_with_image(tenant, blobs, png(200, 100, color=(5, 6, 7)))
        await sql_processing(engine, processor).work_once("test", 10)
        [small, large] = await renditions(engine, tenant.org_id, "asset", asset)
        assert (small.size, small.width, small.height) == (256, 200, 100)
        assert (large.size, large.width, large.height) == (1024, 200, 100)
        assert small.blob_key == large.blob_key  # the same bytes: one blob

    async def test_no_exif_gps_owner_or_serial_reaches_a_rendition(self, engine, blobs, processor):
        tenant = await make_tenant(engine)
        original = photo(1600, 1200)
        assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)  # the original has GPS
        asset = await asset_with_image(tenant, blobs, original)
        await sql_processing(engine, processor).work_once("test", 10)
        for r in await renditions(engine, tenant.org_id, "asset", asset):
            data = blobs.path("renditions", r.blob_key).read_bytes()
            image = opened(blobs, r.blob_key)
            assert not image.getexif()
            assert "exif" not in image.info and "xmp" not in image.info
            assert b"EXIF" not in data[:64] and b"Jane" not in data and b"SN-123456" not in data

    async def test_the_facts_describe_the_image(self, engine, blobs, processor):
        tenant = await make_tenant(engine)
        asset = await asset_with_image(tenant, blobs, photo(400, 200, gps=False))
        await sql_processing(engine, processor).work_once("test", 10)
        facts = (await sql_processing(engine, processor).reads.facts(tenant.org_id, "asset", [asset]))[asset]
        assert (facts.format, facts.colour_mode) == ("JPEG", "RGB")
        top = {c for c in facts.dominant_colours[:2]}
        assert any(int(c[1:3], 16) > 180 and int(c[5:7], 16) < 80 for c in top)  # the red half
        assert any(int(c[5:7], 16) > 180 and int(c[1:3], 16) < 80 for c in top)  # the blue half

    async def test_near_identical_images_have_near_identical_hashes_and_different_ones_do_not(
        self, engine, blobs, processor
    ):
        tenant = await make_tenant(engine)
        a = await asset_with_image(tenant, blobs, photo(400, 300, gps=False))
        b = await asset_with_image(tenant, blobs, photo(800, 600, gps=False))  # the same picture, larger
        c = await asset_with_image(tenant, blobs, png(400, 300, color=(40, 200, 40)))
        await sql_processing(engine, processor).work_once("test", 10)
        facts = await sql_processing(engine, processor).reads.facts(tenant.org_id, "asset", [a, b, c])

        def distance(x: int, y: int) -> int:
            return bin((facts[x].perceptual_hash ^ facts[y].perceptual_hash) & (2**64 - 1)).count("1")

        assert distance(a, b) <= 4
        assert distance(a, c) > 10


class TestFailures:
    async def test_an_undecodable_file_ends_failed_and_no_rendition_is_left(self, engine, blobs, processor):
        tenant = await make_tenant(engine)
        asset = await asset_with_image(tenant, blobs, b"\x89PNG\r\n\x1a\n" + b"not really a png" * 50)
        await sql_processing(engine, processor).work_once("test", 10)
        assert await state_of(engine, tenant.org_id, "asset", asset) == ("failed", 1, "UNREADABLE_IMAGE")
        assert await renditions(engine, tenant.org_id, "asset", asset) == []

    async def test_a_missing_original_ends_failed(self, engine, blobs, processor):
        tenant = await make_tenant(engine)
        asset = await asset_with_image(tenant, blobs, png(50, 40, color=(1, 2, 3)))
        async with engine.begin() as conn:
            await conn.execute(
                sa.update(t.jobs).where(t.jobs.c.subject_id == asset).values(source_key="f" * 64)
            )
        await sql_processing(engine, processor).work_once("test", 10)
        assert await state_of(engine, tenant.org_id, "asset", asset) == ("failed", 1, "SOURCE_MISSING")

    async def test_a_crashed_pool_process_is_retried_with_backoff_on_a_fresh_pool_and_then_succeeds(
        self, engine, blobs, processor
    ):
        tenant = await make_tenant(engine)
        asset = await asset_with_image(tenant, blobs, png(120, 80, color=(9, 9, 9)))
        clock = FakeClock(datetime.now(UTC))
        policy = RetryPolicy(max_attempts=3, backoff=timedelta(seconds=30))
        processing = sql_processing(engine, processor, clock=clock, policy=policy)
        for pid in _started(processor._executor()):
            os.kill(pid, signal.SIGKILL)  # as the kernel's OOM killer would
        await processing.work_once("test", 10)
        assert await state_of(engine, tenant.org_id, "asset", asset) == ("queued", 1, "WORKER_CRASHED")
        assert await processing.work_once("test", 10) == 0  # backing off
        clock.advance(timedelta(seconds=30))
        await processing.work_once("test", 10)
        assert await state_of(engine, tenant.org_id, "asset", asset) == ("done", 2, None)


def _started(pool) -> list[int]:
    """The pids of the pool's processes, started first if need be (it spawns them on first use)."""
    list(pool.map(abs, [1, 2]))
    return list(pool._processes)


class TestDifferenceHash:
    @pytest.mark.parametrize(("seed", "expected"), [(7, "9d99991959793311"), (8, "c783839bcbc665f8")])
    def test_it_equals_imagehash_dhash_bit_for_bit(self, seed, expected):
        # the expected values are imagehash 4.3.2's `str(dhash(image))` of these very images
        image = Image.open(io.BytesIO(render_png("hash", seed, 1024, 768)))
        assert f"{difference_hash(image) & (2**64 - 1):016x}" == expected

    def test_the_top_bit_makes_a_negative_number_that_fits_a_signed_bigint(self):
        image = Image.open(io.BytesIO(render_png("hash", 8, 1024, 768)))  # c7...: top bit set
        assert -(2**63) <= difference_hash(image) < 0
