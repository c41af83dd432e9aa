"""Two checkouts' servers on one seeded database, the same pages alternately: before and after a change.

On a shared machine a page's latency swings by a third from one minute to the next, so two
runs of bench/run.py minutes apart cannot tell a 5% change. This seeds one library, starts
a uvicorn from each checkout (its own code, this virtualenv's packages) on the same database
and key, checks both answer each page alike, then times the pages in alternating batches and
reads each server's CPU time from /proc around them. The CPU a request costs the server is
the steadier of the two figures.

    git worktree add /tmp/before HEAD~1
    .venv/bin/python bench/compare_checkouts.py /tmp/before . --assets 20000
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import secrets
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import httpx
from rich.console import Console

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import uvicorn_servers
from bench.fresh_database import fresh_database
from bench.http_load import bearer
from bench.run import UVICORN, Report, pages, prepare


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of a process so far (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def compare(args: argparse.Namespace) -> None:
    console = Console()
    checkouts: list[Path] = args.checkouts
    with tempfile.TemporaryDirectory() as data_dir:
        async with fresh_database(args.postgresql_url, Path(data_dir)) as db:
            data = await prepare(db, args.assets, console, Report())
            env = {
                "ATELIER_DATABASE_URL": db.url,
                "ATELIER_DATA_DIR": data_dir,
                "ATELIER_SECRET_KEY": secrets.token_hex(32),
                "ATELIER_WORKER": "off",
                "ATELIER_CLEANUP_INTERVAL_SECONDS": "0",
            }
            async with contextlib.AsyncExitStack() as stack:
                servers = []
                for checkout in checkouts:
                    uvicorn_servers.ROOT = checkout  # the server imports the checkout it runs in
                    servers.append(
                        await stack.enter_async_context(
                            uvicorn_servers.server_process(
                                str(checkout), ["graph.server.asgi:app", *UVICORN], env
                            )
                        )
                    )
                headers = {**bearer(data.seeded.token), "cache-control": "no-cache"}
                async with httpx.AsyncClient(timeout=60) as client:
                    for page in pages(data):
                        await measure(client, page, servers, checkouts, headers, args, console)


async def measure(
    client: httpx.AsyncClient,
    page: object,
    servers: Sequence[uvicorn_servers.Running],
    checkouts: Sequence[Path],
    headers: dict[str, str],
    args: argparse.Namespace,
    console: Console,
) -> None:
    body, name = page.body, page.name  # type: ignore[attr-defined]

    async def post(base: str) -> httpx.Response:
        return await client.post(f"{base}/graphql", content=body, headers=headers)

    answers = [(await post(s.base)).json().get("data") for s in servers]
    if any(answer != answers[0] for answer in answers[1:]):
        raise SystemExit(f"the checkouts answer the {name} differently")
    for server in servers:
        for _ in range(args.warmup):
            await post(server.base)
    latencies: list[list[float]] = [[] for _ in servers]
    cpu = [0.0 for _ in servers]
    for _ in range(args.rounds):
        for i, server in enumerate(servers):
            began_cpu = cpu_seconds(server.pid)
            for _ in range(args.batch):
                began = time.perf_counter()
                await post(server.base)
                latencies[i].append(time.perf_counter() - began)
            cpu[i] += cpu_seconds(server.pid) - began_cpu
    first_cpu = cpu[0] / len(latencies[0])
    for i, checkout in enumerate(checkouts):
        per_request = cpu[i] / len(latencies[i])
        console.print(
            f"{name:12} {checkout!s:32} median {1000 * statistics.median(latencies[i]):7.2f} ms"
            f"   server CPU {1000 * per_request:6.2f} ms a request   x first {per_request / first_cpu:.2f}"
        )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("checkouts", nargs="+", help="directories of the checkouts to compare")
    parser.add_argument("--assets", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=10, help="alternations (default 10)")
    parser.add_argument("--batch", type=int, default=30, help="requests per server per round (default 30)")
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument(
        "--postgresql-url", help="measure on a fresh database on this server instead of SQLite"
    )
    args = parser.parse_args(argv)
    args.checkouts = [Path(c).resolve() for c in args.checkouts]
    asyncio.run(compare(args))


if __name__ == "__main__":
    main()
