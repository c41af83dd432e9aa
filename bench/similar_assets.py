"""Similar assets at scale: `similarAssets` over 100,000 assets with perceptual hashes.

The library of bench/library_seed.py, each asset with an `image_facts` row: most hashes
random 64-bit, the rest in clusters of near-duplicates (each member a few bits from its
cluster's centre, as resized, recompressed or re-seeded variations are). Each figure is
the median and p95 of R requests through the whole GraphQL stack (the ASGI app in process),
and of the domain query over the read port alone (the two SQL statements and the exact check):

- one asset's `similarAssets(first: 10, maxDistance: d)` for d = 4, 8, 12, on a different
  asset each request, half of them in a cluster;
- the library page `assets(first: 50)` with each asset's `similarAssets(first: 10, maxDistance: 10)`.

Run from the repository root:

    .venv/bin/python bench/similar_assets.py                     # SQLite, 100,000 assets
    .venv/bin/python bench/similar_assets.py --assets 20000 --requests 20
    .venv/bin/python bench/similar_assets.py \\
        --database-url postgresql+asyncpg://postgres@127.0.0.1:5432/test
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from rich.console import Console
from rich.table import Table
from sqlalchemy.ext.asyncio import AsyncEngine

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.library_seed import Seeded
from bench.seeded_app import seeded_app, timed, timed_each
from domain.kernel.access import Actor, Role
from domain.search.similarity import Similarity, similar_assets
from graph.relay.ids import to_global_id
from storage.sql import tables as t
from storage.sql.database import WRITE

CLUSTERED = 0.2
"""The share of assets in a cluster of near-duplicates."""
CLUSTER_SIZE = (2, 20)
CLUSTER_SPREAD = 8
"""A cluster member differs from its centre in up to this many bits."""
CHUNK = 5_000

ONE = """query($id: ID!, $d: Int!) { node(id: $id) { ... on Asset {
  similarAssets(first: 10, maxDistance: $d) { distance asset { id name } } } } }"""
PAGE = """{ assets(first: 50) { edges { node { id
  similarAssets(first: 10, maxDistance: 10) { distance asset { id name } } } } } }"""


def _signed(unsigned: int) -> int:
    return unsigned - 2**64 if unsigned >= 2**63 else unsigned


def _hashes(n: int, rng: random.Random) -> tuple[list[int], list[int]]:
    """`n` hashes in a random order, and the positions of those in a cluster."""
    hashes: list[tuple[int, bool]] = []
    while len(hashes) < n * CLUSTERED:
        centre = rng.getrandbits(64)
        for _ in range(rng.randint(*CLUSTER_SIZE)):
            flips = sum(1 << b for b in rng.sample(range(64), rng.randint(0, CLUSTER_SPREAD)))
            hashes.append((centre ^ flips, True))
    hashes += [(rng.getrandbits(64), False) for _ in range(n - len(hashes))]
    hashes = hashes[:n]
    rng.shuffle(hashes)
    return [_signed(h) for h, _ in hashes], [i for i, (_, clustered) in enumerate(hashes) if clustered]


async def _hashes_of(engine: AsyncEngine, seeded: Seeded, hashes: list[int]) -> list[int]:
    """An image_facts row per asset with `hashes` in the order of the assets' ids; the ids."""
    async with engine.connect() as conn:
        await conn.execution_options(**{WRITE: True})
        async with conn.begin():
            ids = list(
                (
                    await conn.execute(
                        sa.select(t.assets.c.id)
                        .where(t.assets.c.org_id == seeded.org_id)
                        .order_by(t.assets.c.id)
                    )
                ).scalars()
            )
            at = datetime.now(UTC)
            for start in range(0, len(ids), CHUNK):
                await conn.execute(
                    sa.insert(t.image_facts),
                    [
                        {
                            "org_id": seeded.org_id,
                            "subject_type": "asset",
                            "subject_id": ids[i],
                            "format": "PNG",
                            "colour_mode": "RGB",
                            "dominant_colours": [],
                            "processed_at": at,
                            **t.perceptual_hash_columns(hashes[i]),
                        }
                        for i in range(start, min(start + CHUNK, len(ids)))
                    ],
                )
    return ids


async def main(n_assets: int, requests: int, database_url: str | None) -> None:
    console = Console()
    rng = random.Random(7)
    hashes, clustered = _hashes(n_assets, rng)
    ids: list[int] = []

    async def with_hashes(engine: AsyncEngine, seeded: Seeded) -> None:
        began = time.perf_counter()
        ids.extend(await _hashes_of(engine, seeded, hashes))
        console.print(
            f"and their hashes in {time.perf_counter() - began:.1f} s ({len(clustered):,} in clusters)"
        )

    async with seeded_app(n_assets, database_url, console, with_hashes) as bench:
        reads = bench.adapters.reads.similar
        actor = Actor(org_id=bench.seeded.org_id, member_id=0, role=Role.VIEWER)
        picks = [ids[i] for i in rng.sample(clustered, requests // 2)]
        picks += rng.sample(ids, requests - len(picks))
        table = Table(title=f"{n_assets:,} assets, {bench.database.backend}, {requests} requests per row")
        for column in ("case", "found (mean)", "GraphQL median / p95 ms", "read port median / p95 ms"):
            table.add_column(column)
        for d in (4, 8, 12):
            found = [
                len(
                    (await bench.gql(ONE, {"id": to_global_id("Asset", pk), "d": d}))["node"]["similarAssets"]
                )
                for pk in picks
            ]
            graph = await timed_each(
                [lambda pk=pk, d=d: bench.gql(ONE, {"id": to_global_id("Asset", pk), "d": d}) for pk in picks]
            )
            port = await timed_each(
                [
                    lambda pk=pk, d=d: similar_assets(
                        reads, actor, asset_ids=[pk], similarity=Similarity(10, d)
                    )
                    for pk in picks
                ]
            )
            table.add_row(
                f"one asset, maxDistance {d}",
                f"{statistics.mean(found):.1f}",
                f"{graph[0]:.1f} / {graph[1]:.1f}",
                f"{port[0]:.2f} / {port[1]:.2f}",
            )
        page_ids = ids[-50:]
        graph = await timed(lambda: bench.gql(PAGE, {}), requests)
        port = await timed(
            lambda: similar_assets(reads, actor, asset_ids=page_ids, similarity=Similarity(10, 10)), requests
        )
        table.add_row(
            "page of 50, each maxDistance 10",
            "",
            f"{graph[0]:.1f} / {graph[1]:.1f}",
            f"{port[0]:.2f} / {port[1]:.2f}",
        )
        console.print(table)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--assets", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--database-url", default=None, help="a PostgreSQL server; SQLite when omitted")
    args = parser.parse_args()
    asyncio.run(main(args.assets, args.requests, args.database_url))
