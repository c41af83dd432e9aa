"""Library page benchmark: the real GraphQL server against a hand-written SQL floor.

What it measures: the latency and throughput of the library's first page, the
query a client sends most often,

    assets(first: 50) { totalCount edges { cursor node { id name altText width height
      folder { id name } tags { id name } projects { id name } generation { id prompt } } }
      pageInfo { hasNextPage endCursor } }

answered by the real server (`uvicorn graph.asgi:app`: bearer authentication,
GraphQL parsing, validation and execution, DataLoader batches, one short
connection per batch) and by the floor (bench/floor_app.py: one hand-written SQL
query and orjson, no GraphQL, no authentication). Both run as single uvicorn
processes over the same database with the same pool size, and answer the same
JSON, which the script checks before it measures. The ratio graphql/floor is
the price of the GraphQL server's layers on this page.

How: it creates a fresh database (SQLite in a temporary data folder; or, with
`--database-url postgresql+asyncpg://user@host:port/admin_db`, a database with
a random name on that server, dropped at the end), migrates it, seeds one
organisation with N AI-generated assets (tags, projects, folders, a generation
each) with bulk Core inserts, starts both servers on free ports, and sends R
requests at 1 and at 8 concurrent clients (asyncio tasks, one keep-alive
httpx.AsyncClient each) after a warm-up. Client and servers share the machine's
CPUs, so compare the two rows of one run rather than runs on different machines.

Run from the repository root:

    .venv/bin/python bench/library_page.py                      # 10,000 assets, 300 requests
    .venv/bin/python bench/library_page.py --assets 2000 --requests 100
    .venv/bin/python bench/library_page.py \\
        --database-url postgresql+asyncpg://postgres@127.0.0.1:5432/test
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import secrets
import signal
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from rich.console import Console

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.fresh_database import BenchError, fresh_database
from bench.http_load import Result, bearer, fetch, graphql_body, measure
from bench.library_seed import seed
from bench.uvicorn_servers import server
from storage.sql.database import create_engine
from storage.sql.migrate import migrate

BENCH = Path(__file__).resolve().parent
PAGE_SIZE = 50
CONCURRENCY = (1, 8)

QUERY = """query LibraryPage {
  assets(first: 50) {
    totalCount
    edges {
      cursor
      node {
        id name altText width height
        folder { id name }
        tags { id name }
        projects { id name }
        generation { id prompt }
      }
    }
    pageInfo { hasNextPage endCursor }
  }
}"""


# --- the check ----------------------------------------------------------------------------------


def _body() -> bytes:
    return graphql_body(QUERY, "LibraryPage")


def verify(graphql: dict[str, Any], floor: dict[str, Any], n_assets: int) -> None:
    """The GraphQL page has 50 edges and the expected count, and the floor answers the same data."""
    page = graphql.get("data", {}).get("assets") or {}
    edges = page.get("edges") or []
    if len(edges) != PAGE_SIZE:
        raise BenchError(f"the GraphQL page has {len(edges)} edges, expected {PAGE_SIZE}")
    if page.get("totalCount") != n_assets:
        raise BenchError(f"the GraphQL page counts {page.get('totalCount')} assets, expected {n_assets}")
    if graphql["data"] != floor["data"]:  # extensions (the query cost) are GraphQL's alone
        for i, (ours, theirs) in enumerate(zip(edges, floor["data"]["assets"]["edges"], strict=False)):
            if ours != theirs:
                raise BenchError(f"the floor differs from GraphQL at edge {i}:\n  {ours}\n  {theirs}")
        raise BenchError(
            "the floor's data differs from GraphQL's outside the edges:\n"
            f"  {_outside_edges(graphql)}\n  {_outside_edges(floor)}"
        )


def _outside_edges(body: dict[str, Any]) -> dict[str, Any]:
    page = body.get("data", {}).get("assets") or {}
    return {"assets": {k: v for k, v in page.items() if k != "edges"}}


# --- the run --------------------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--assets", type=int, default=10_000, help="assets to seed (default 10000)")
    parser.add_argument(
        "--requests", type=int, default=300, help="timed requests per server and concurrency (default 300)"
    )
    parser.add_argument("--warmup", type=int, default=30, help="untimed requests before each (default 30)")
    parser.add_argument(
        "--database-url",
        help="a PostgreSQL server URL, e.g. postgresql+asyncpg://postgres@127.0.0.1:5432/test: "
        "a database with a random name is created on it and dropped at the end (default: SQLite)",
    )
    args = parser.parse_args(argv)
    if args.assets <= PAGE_SIZE:
        parser.error(f"--assets must be more than {PAGE_SIZE}")
    if args.requests < 2:
        parser.error("--requests must be at least 2")
    return args


async def main(args: argparse.Namespace) -> None:
    console = Console(highlight=False, soft_wrap=True)
    current = asyncio.current_task()
    if current is not None:  # SIGTERM cleans up like Ctrl-C does
        asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, current.cancel)

    async with contextlib.AsyncExitStack() as stack:
        data_dir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="atelier-bench-")))
        db = await stack.enter_async_context(fresh_database(args.database_url, data_dir))
        console.print(f"database: {db.backend} ({sa.make_url(db.url).render_as_string()})")

        engine = create_engine(db.url)
        try:
            await migrate(engine)
            seeded = await seed(engine, args.assets, console)
        finally:
            await engine.dispose()
        console.print(f"seeded {seeded.assets:,} assets in {seeded.seconds:.1f} s")

        key = secrets.token_hex(32)  # both servers sign cursors alike, so their answers compare equal
        graphql_base = await stack.enter_async_context(
            server(
                "GraphQL",
                ["graph.server.asgi:app"],
                {
                    "ATELIER_DATABASE_URL": db.url,
                    "ATELIER_DATA_DIR": str(data_dir),
                    "ATELIER_SECRET_KEY": key,
                },
            )
        )
        floor_base = await stack.enter_async_context(
            server(
                "floor",
                ["floor_app:app", "--app-dir", str(BENCH)],
                {"FLOOR_DATABASE_URL": db.url, "FLOOR_ORG_ID": str(seeded.org_id), "FLOOR_SECRET_KEY": key},
            )
        )
        urls = {"graphql": f"{graphql_base}/graphql", "floor": f"{floor_base}/library"}
        headers = bearer(seeded.token)
        verify(
            await fetch("graphql", urls["graphql"], _body(), headers),
            await fetch("floor", urls["floor"], _body(), headers),
            seeded.assets,
        )
        console.print(f"both servers answer the same {PAGE_SIZE}-asset page; measuring\n")

        results: dict[tuple[str, int], Result] = {}
        for concurrency in CONCURRENCY:
            for name, url in urls.items():
                result = await measure(
                    name,
                    url,
                    _body(),
                    headers,
                    concurrency=concurrency,
                    requests=args.requests,
                    warmup=args.warmup,
                )
                results[name, concurrency] = result
                console.print(result.line())

        console.print(
            f"\n{db.backend}, {seeded.assets:,} assets, {args.requests} requests per row, "
            f"{os.cpu_count()} CPUs shared by client and servers"
        )
        for concurrency in CONCURRENCY:
            ours, base = results["graphql", concurrency], results["floor", concurrency]
            console.print(
                f"graphql/floor c={concurrency:<2}  median latency x{ours.median_ms / base.median_ms:.2f}"
                f"  throughput x{ours.per_second / base.per_second:.2f}"
            )


def run() -> int:
    args = parse_args()
    try:
        asyncio.run(main(args))
    except BenchError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    except (KeyboardInterrupt, asyncio.CancelledError):
        print("interrupted; servers stopped and temporary data removed", file=sys.stderr)
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(run())
