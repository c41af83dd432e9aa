"""Processing throughput: N images through the real job queue, worker and spawn pool.

What it measures: images per second from queued to DONE (decode once, WebP renditions
at 256 and 1024 px stored durably, dominant colours, dHash, rows committed), against the
ideal: Pillow's own time for the same work on one image in this process, times the
pool's processes. The ratio (the issue's target: 0.8 or more) is what the queue, the
worker's transactions and the process pool cost.

How: a fresh database (SQLite in a temporary data folder; or with `--database-url
postgresql+asyncpg://user@host:port/admin_db`, a database with a random name, dropped at
the end), one organisation, N distinct images in the blob store (`--kind png`: the
procedural provider's 1024x1024 PNGs, what a generation is; `--kind jpeg`: 3000x2000
JPEG photos), one job each, then `Processing.serve` (what the server runs) until every
job is DONE. The baseline is `render_file` run in this process on the same images.

Run from the repository root:

    .venv/bin/python bench/processing.py                       # 48 PNGs, a process per CPU
    .venv/bin/python bench/processing.py --images 96 --kind jpeg --processes 2
    .venv/bin/python bench/processing.py --database-url postgresql+asyncpg://postgres@127.0.0.1:5432/test
"""

from __future__ import annotations

import argparse
import asyncio
import io
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa
from PIL import Image, ImageDraw

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from domain.processing.model import RENDITION_SIZES
from storage.blobs.local import LocalBlobStore
from storage.images.procedural import render_png
from storage.processing.imaging import render_file
from storage.processing.pool import PoolImageProcessor
from storage.sql import tables as t
from storage.sql.database import create_engine
from storage.sql.migrate import migrate
from storage.unit_of_work import SqlUnitOfWork
from tests.conftest import create_database, drop_database
from tests.services import sql_processing


def photo(seed: int) -> bytes:
    """A 3000x2000 JPEG with enough detail to cost what a photo costs."""
    rng = random.Random(seed)
    image = Image.effect_noise((3000, 2000), 40).convert("RGB")
    draw = ImageDraw.Draw(image)
    for _ in range(30):
        x, y, r = rng.randrange(3000), rng.randrange(2000), rng.randrange(50, 500)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=tuple(rng.randrange(256) for _ in range(3)))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=88)
    return out.getvalue()


async def run(args: argparse.Namespace) -> None:
    data = Path(tempfile.mkdtemp(prefix="atelier-processing-"))
    if args.database_url:
        os.environ["ATELIER_TEST_DATABASE"] = "postgresql"
        os.environ["ATELIER_TEST_PG_URL"] = args.database_url
    url = await create_database(data) if not args.database_url else await _pg(data)
    engine = create_engine(url)
    blobs = LocalBlobStore(data / "blobs")
    processor = PoolImageProcessor(blobs, processes=args.processes or None)
    try:
        await migrate(engine)
        async with engine.begin() as conn:
            org = (
                await conn.execute(
                    sa.insert(t.organisations)
                    .values(
                        slug="bench",
                        name="Bench",
                        storage_quota_bytes=10**12,
                        credit_budget=0,
                        created_at=_now(),
                    )
                    .returning(t.organisations.c.id)
                )
            ).scalar_one()
        make = (lambda i: render_png(f"bench {i}", i, 1024, 1024)) if args.kind == "png" else photo
        keys = [(await blobs.put("library", make(i))).key for i in range(args.images)]

        # the ideal: Pillow's own time per image here, in one process
        sample = keys[: min(8, len(keys))]
        render_file(str(blobs.path("library", sample[0])), str(blobs.root), RENDITION_SIZES)  # warm
        single = []
        for key in sample:
            start = time.perf_counter()
            render_file(str(blobs.path("library", key)), str(blobs.root), RENDITION_SIZES)
            single.append(time.perf_counter() - start)
        per_image = statistics.median(single)
        ideal = processor.processes / per_image

        # warm the pool: it spawns a process per image in flight, up to its size (a one-off cost
        # of a server's first images, not counted here)
        await asyncio.gather(
            *(processor.process("library", k, RENDITION_SIZES) for k in keys[: 2 * processor.processes])
        )

        # the same pool fed directly, without queue or worker: what the machine gives right now
        loop, pool, root = asyncio.get_running_loop(), processor._executor(), str(blobs.root)
        start = time.perf_counter()
        await asyncio.gather(
            *(
                loop.run_in_executor(pool, render_file, str(blobs.path("library", k)), root, RENDITION_SIZES)
                for k in keys
            )
        )
        bare = args.images / (time.perf_counter() - start)

        async with SqlUnitOfWork(engine) as uow:
            await uow.jobs.enqueue(org, "asset", {i + 1: key for i, key in enumerate(keys)}, _now())
            await uow.commit()
        processing = sql_processing(engine, processor)
        start = time.perf_counter()
        worker = asyncio.create_task(
            processing.serve("bench", concurrency=2 * processor.processes, poll_seconds=0.05)
        )
        reads: list[float] = []  # a read answered by the same process meanwhile, as the server answers one
        while True:  # the jobs' rows say when the work is done, as a client would see it
            asked = time.perf_counter()
            done = await _done(engine)
            reads.append(time.perf_counter() - asked)
            if done >= args.images:
                break
            await asyncio.sleep(0.05)
        elapsed = time.perf_counter() - start
        worker.cancel()
        await asyncio.gather(worker, return_exceptions=True)
        rate = args.images / elapsed
        db = "PostgreSQL" if args.database_url else "SQLite"
        n, cpus = processor.processes, os.cpu_count()
        print(f"{args.images} {args.kind} images, {n} process(es), {db}, {cpus} CPU(s)")
        print(f"Pillow alone, one image in one process: {per_image * 1000:.0f} ms (median of {len(sample)})")
        print(f"ideal: {ideal:.2f} images/s ({processor.processes} x {1 / per_image:.2f})")
        print(f"queue + worker + pool: {rate:.2f} images/s in {elapsed:.1f} s")
        print(f"the same pool fed directly (no queue, no worker): {bare:.2f} images/s")
        print(f"ratio to the ideal: {rate / ideal:.2f} (target 0.8 or more)")
        reads.sort()
        print(
            f"a read in the worker's process meanwhile: median {statistics.median(reads) * 1000:.1f} ms, "
            f"p95 {reads[int(len(reads) * 0.95)] * 1000:.1f} ms, "
            f"max {reads[-1] * 1000:.1f} ms ({len(reads)} reads)"
        )
        print(f"ratio to the bare pool: {rate / bare:.2f}")
        print(f"load average now: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    finally:
        await processor.close()
        await engine.dispose()
        await drop_database(url)


async def _pg(data: Path) -> str:
    import tests.conftest as c

    c.BACKEND, c.PG_ADMIN_URL = "postgresql", os.environ["ATELIER_TEST_PG_URL"]
    return await c.create_database(data)


async def _done(engine) -> int:
    async with engine.connect() as conn:
        return int(
            (
                await conn.execute(
                    sa.select(sa.func.count()).select_from(t.jobs).where(t.jobs.c.state == "done")
                )
            ).scalar_one()
        )


def _now():
    from datetime import UTC, datetime

    return datetime.now(UTC)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--images", type=int, default=48)
    parser.add_argument("--kind", choices=("png", "jpeg"), default="png")
    parser.add_argument("--processes", type=int, default=0, help="pool size (default: the CPU count)")
    parser.add_argument("--database-url", help="a PostgreSQL server's admin URL (default: SQLite)")
    asyncio.run(run(parser.parse_args()))
