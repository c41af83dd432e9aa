"""A worker process killed (SIGKILL) mid-job: its job is claimed again and finishes; no half rendition is served."""

from __future__ import annotations

import asyncio
import io
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from PIL import Image

from storage.sql import tables as t
from tests.builders import make_tenant
from tests.images import png
from tests.integration.processing.test_images import asset_with_image, renditions, state_of
from tests.services import sql_processing
from tests.unit.fakes import FakeClock

ROOT = Path(__file__).resolve().parents[3]


async def test_a_killed_workers_job_is_claimed_again_after_its_lease_and_finishes(
    engine, database_url, blobs, processor
):
    tenant = await make_tenant(engine)
    asset = await asset_with_image(tenant, blobs, png(640, 480, color=(200, 10, 10)))
    worker = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tests.integration.processing.hanging_worker",
        database_url,
        str(blobs.root),
        cwd=ROOT,
        stdout=asyncio.subprocess.PIPE,
    )
    try:
        line = await asyncio.wait_for(worker.stdout.readline(), timeout=60)
        assert line.startswith(b"claimed")
        assert await state_of(engine, tenant.org_id, "asset", asset) == ("running", 1, None)
    finally:
        worker.kill()  # SIGKILL: no cleanup runs
        await worker.wait()
    assert worker.returncode == -9

    clock = FakeClock(datetime.now(UTC) + timedelta(seconds=2))  # its one-second lease has passed
    assert await sql_processing(engine, processor, clock=clock).work_once("survivor", 10) == 1
    assert await state_of(engine, tenant.org_id, "asset", asset) == ("done", 2, None)
    for r in await renditions(engine, tenant.org_id, "asset", asset):
        with Image.open(io.BytesIO(blobs.path("renditions", r.blob_key).read_bytes())) as image:
            image.load()  # every rendition under a real key is whole
            assert image.size == (r.width, r.height)
    # the killed write is a temp file only, never under a key; the orphan sweep removes temp files
    leftovers = [p for p in (blobs.root / "renditions").glob("*/*/*") if p.name.startswith(".tmp-")]
    assert leftovers
    async with engine.connect() as conn:
        keys = set((await conn.execute(sa.select(t.renditions.c.blob_key))).scalars())
    assert not {p.name for p in leftovers} & keys
