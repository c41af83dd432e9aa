"""saveToLibrary of a Studio session's generations with processing on, against Pillow's own speed.

bench/run.py's `save` part. A fresh database and data folder: one organisation whose Studio
session holds N approved generations, each a distinct 1024x1024 PNG of the procedural
provider (what a generation is) in the blob store. Then:

- the floor: Pillow alone, in this process, one image at a time, doing what processing does
  to each (decode, exif_transpose, RGB, WebP renditions at 1024 and 256 px, dominant colours,
  dHash), without the blob store, the queue or the database: images per second, times the CPUs;
- the row: one `saveToLibrary` of all N through a real uvicorn with the worker on (its process
  pool at the CPU count, the default), timed from the request until every asset's
  `processingStatus` is READY, read as a client would (`assets(filter: {processingStatuses})`).

The ratio of the two is the issue's target (0.8 or more). The pool's start (spawning a
process per CPU) is inside the time, as on a server's first save.
"""

from __future__ import annotations

import asyncio
import io
import os
import statistics
import time
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps

from bench.fresh_database import BenchError, Database
from bench.http_load import bearer, fetch, graphql_body
from bench.library_seed import seed_studio_session
from bench.uvicorn_servers import cpu_seconds, server_process
from graph.relay.ids import to_global_id
from storage.blobs.local import LocalBlobStore
from storage.images.procedural import render_png
from storage.sql.database import create_engine
from storage.sql.migrate import migrate

SIZE = 1024
RENDITIONS = (1024, 256)
FLOOR_SAMPLE = 12
POLL_SECONDS = 0.5
"""Between two looks at the progress: each look costs the server a request that the pool's images
wait behind (twice every 0.1 s cost it a third of a CPU), and adds at most this much to a minute."""
TIMEOUT_SECONDS = 1800

SAVE = """mutation Save($ids: [ID!]!) {
  saveToLibrary(input: {generationIds: $ids}) { assets { id } userErrors { code message } }
}"""
PROGRESS = """query Progress {
  ready: assets(filter: {processingStatuses: [READY]}) { totalCount }
  failed: assets(filter: {processingStatuses: [FAILED]}) { totalCount }
}"""


@dataclass(frozen=True)
class Saved:
    images: int
    cpus: int
    floor_seconds_per_image: float
    seconds: float
    server_cpu_seconds: float
    """CPU time of the server's own process (requests, the worker's loop, SQL), beside the pool's."""
    pool_cpu_seconds: float

    @property
    def per_second(self) -> float:
        return self.images / self.seconds

    @property
    def floor_per_second(self) -> float:
        """Pillow's own images per second on one CPU, times the CPUs."""
        return self.cpus / self.floor_seconds_per_image

    @property
    def ratio(self) -> float:
        return self.per_second / self.floor_per_second


def pillow_alone(path: Path) -> None:
    """What processing does to one image, in Pillow only: no blob store, no fsync, no database."""
    with Image.open(path) as image:
        image.load()
        base = ImageOps.exif_transpose(image).convert("RGB")
    current = base
    for size in RENDITIONS:
        scale = size / max(current.size)
        if scale < 1:
            target = (round(current.width * scale), round(current.height * scale))
            current = current.resize(target, Image.Resampling.LANCZOS, reducing_gap=3.0)
        current.save(io.BytesIO(), "WEBP", quality=80, method=4)
    small = current.copy()
    small.thumbnail((64, 64))
    small.quantize(colors=5, method=Image.Quantize.MEDIANCUT).getcolors()
    base.convert("L").resize((9, 8), Image.Resampling.LANCZOS).tobytes()


def floor_seconds(paths: list[Path]) -> float:
    """The median seconds of `pillow_alone` per image, after one untimed image."""
    pillow_alone(paths[0])
    samples = []
    for path in paths:
        began = time.perf_counter()
        pillow_alone(path)
        samples.append(time.perf_counter() - began)
    return statistics.median(samples)


async def measure(db: Database, data_dir: Path, images: int) -> Saved:
    """Seed `images` generations, take the floor, then save them all through a server and time it."""
    blobs = LocalBlobStore(data_dir / "blobs")
    stored = []
    for i in range(images):
        blob = await blobs.put("scratch", render_png(f"save bench {i}", i, SIZE, SIZE))
        stored.append((blob.key, blob.size, SIZE, SIZE))
    engine = create_engine(db.url)
    try:
        await migrate(engine)
        seeded, generation_ids = await seed_studio_session(engine, stored)
    finally:
        await engine.dispose()
    sample = [blobs.path("scratch", key) for key, *_ in stored[:FLOOR_SAMPLE]]
    per_image = floor_seconds(sample)
    env = {
        "ATELIER_DATABASE_URL": db.url,
        "ATELIER_DATA_DIR": str(data_dir),
        "ATELIER_WORKER": "on",
        "ATELIER_CLEANUP_INTERVAL_SECONDS": "0",
    }
    headers = bearer(seeded.token)
    ids = [to_global_id("Generation", g) for g in generation_ids]
    async with server_process("GraphQL", ["graph.server.asgi:app", "--loop", "uvloop"], env) as running:
        url = f"{running.base}/graphql"
        began = time.perf_counter()
        saved = await fetch("GraphQL", url, graphql_body(SAVE, "Save", {"ids": ids}), headers)
        payload = saved["data"]["saveToLibrary"]
        if payload["userErrors"] or len(payload["assets"]) != images:
            raise BenchError(f"saveToLibrary: {payload['userErrors'] or len(payload['assets'])}")
        while True:
            ready, failed = await _progress(url, headers)
            if ready >= images:
                break
            if failed:
                raise BenchError("saveToLibrary: an asset's processing FAILED")
            if time.perf_counter() - began > TIMEOUT_SECONDS:
                raise BenchError(f"saveToLibrary: {ready} of {images} READY after {TIMEOUT_SECONDS} s")
            await asyncio.sleep(POLL_SECONDS)
        seconds = time.perf_counter() - began
        used = cpu_seconds(running.pid)
    server = used.pop(running.pid, 0.0)
    return Saved(images, os.cpu_count() or 1, per_image, seconds, server, sum(used.values()))


async def _progress(url: str, headers: dict[str, str]) -> tuple[int, int]:
    """How many saved assets are READY, and how many FAILED, in one request."""
    data = (await fetch("GraphQL", url, graphql_body(PROGRESS, "Progress", {}), headers))["data"]
    return int(data["ready"]["totalCount"]), int(data["failed"]["totalCount"])
