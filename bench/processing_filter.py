"""The processing-status filter and thumbnail links at scale, over bench/library_seed.py's assets.

Jobs are laid down as a library some time after an import looks: 94% done (each with its
two renditions), 3% queued, 1% running, 1% failed, 1% never queued. Measured as the median
and p95 of R calls through the whole GraphQL stack (the ASGI app in process) and of the
search read port alone:

- the library page (`assets(first: 50)`) with `thumbnailUrl` and the generation's, beside
  the same page with the original links (the same generation loader, no renditions), and
  with neither: what the thumbnails cost;
- a page and its totalCount filtered by each status (PENDING includes the never queued).

Run from the repository root:

    .venv/bin/python bench/processing_filter.py                  # SQLite, 100,000 assets
    .venv/bin/python bench/processing_filter.py --assets 20000 --requests 20
    .venv/bin/python bench/processing_filter.py \\
        --database-url postgresql+asyncpg://postgres@127.0.0.1:5432/test
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from rich.console import Console
from rich.table import Table

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.library_seed import Seeded
from bench.seeded_app import seeded_app, timed
from domain.kernel.pagination import PageRequest
from domain.library.filters import AssetFilter
from domain.processing.model import ProcessingStatus
from domain.search.model import AssetQuery, SearchText
from storage.sql import tables as t

PAGE = "query($f: AssetFilter) { assets(first: 50, filter: $f) { edges { node { id name %s } } } }"
THUMBS = "thumbnailUrl generation { thumbnailUrl }"
LINKS = "downloadUrl generation { imageUrl }"
COUNT = "query($f: AssetFilter) { assets(first: 0, filter: $f) { totalCount } }"
STATES = [("done", 94), ("queued", 3), ("running", 1), ("failed", 1), (None, 1)]
"""Per hundred assets (by id), the job state laid down; None: never queued."""


def _state_of(i: int) -> str | None:
    slot = i % 100
    for state, share in STATES:
        if slot < share:
            return state
        slot -= share
    return None


async def _jobs(engine: Any, org_id: int) -> None:
    """A job per asset as STATES says, and two renditions for each done one, in chunks."""
    at = datetime.now(UTC)
    async with engine.begin() as conn:
        ids = [r.id for r in await conn.execute(sa.select(t.assets.c.id).where(t.assets.c.org_id == org_id))]
        for start in range(0, len(ids), 5_000):
            chunk = [(pk, _state_of(pk)) for pk in ids[start : start + 5_000]]
            jobs = [
                {
                    "org_id": org_id,
                    "subject_type": "asset",
                    "subject_id": pk,
                    "source_key": f"{pk:064x}",
                    "state": state,
                    "attempts": 1,
                    "due_at": None,
                    "created_at": at,
                    "updated_at": at,
                }
                for pk, state in chunk
                if state is not None
            ]
            await conn.execute(sa.insert(t.jobs), jobs)
            renditions = [
                {
                    "org_id": org_id,
                    "subject_type": "asset",
                    "subject_id": pk,
                    "size": size,
                    "blob_key": f"{pk * 2 + size:064x}",
                    "width": size,
                    "height": size,
                    "byte_size": size * 40,
                }
                for pk, state in chunk
                if state == "done"
                for size in (256, 1024)
            ]
            await conn.execute(sa.insert(t.renditions), renditions)


async def main(n_assets: int, requests: int, database_url: str | None) -> None:
    console = Console()

    async def jobs(engine: Any, seeded: Seeded) -> None:
        await _jobs(engine, seeded.org_id)

    async with seeded_app(n_assets, database_url, console, jobs) as bench:
        org = bench.seeded.org_id
        reads = bench.adapters.reads.search
        table = Table(title=f"{n_assets:,} assets, {bench.database.backend}, {requests} requests per row")
        for column in ("case", "matches", "GraphQL median / p95 ms", "read port median / p95 ms"):
            table.add_column(column)
        cases: list[tuple[str, str, dict[str, Any], Any]] = [
            ("page of 50, no links", PAGE % "", {}, None),
            ("page of 50 with downloadUrl (asset) + imageUrl (generation)", PAGE % LINKS, {}, None),
            ("page of 50 with thumbnailUrl (asset + generation)", PAGE % THUMBS, {}, None),
        ]
        for status in ProcessingStatus:
            f = {"processingStatuses": [status.name]}
            query = AssetQuery(AssetFilter(processing_statuses=(status,)), SearchText.parse(None))
            cases.append((f"page of 50, {status.name}", PAGE % "", {"f": f}, query))
            cases.append((f"totalCount, {status.name}", COUNT, {"f": f}, query))
        for name, document, variables, query in cases:
            total = await bench.gql(COUNT, {"f": variables.get("f")})
            g = await timed(lambda d=document, v=variables: bench.gql(d, v), requests)
            port = "-"
            if query is not None:
                call = (
                    (lambda q=query: reads.count(org, q))
                    if document == COUNT
                    else (lambda q=query: reads.page(org, q, PageRequest(first=50)))
                )
                p = await timed(call, requests)
                port = f"{p[0]:.2f} / {p[1]:.2f}"
            table.add_row(name, f"{total['assets']['totalCount']:,}", f"{g[0]:.1f} / {g[1]:.1f}", port)
        console.print(table)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--assets", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--database-url", default=None, help="a PostgreSQL server; SQLite when omitted")
    args = parser.parse_args()
    asyncio.run(main(args.assets, args.requests, args.database_url))
