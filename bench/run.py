"""The benchmark suite: one entry point that seeds, measures through a real uvicorn over HTTP, and reports.

For each database (SQLite in a temporary folder; PostgreSQL: a database with a random name on
the server at `--postgresql-url`, dropped at the end) it seeds N assets once (bench/library_seed.py:
tags, projects, folders, a generation each in six sessions, and likes by five members), then
for each server process count (`uvicorn --workers N --loop uvloop --http httptools`; the
server's background processing worker and retention sweep off, so that only requests count):

- pages, at 1 and 8 concurrent keep-alive clients, each next to a hand-written floor measured
  in the same run over the same database (bench/floor_app.py: one SQL statement and orjson
  behind a bare Starlette route, as many uvicorn workers), after checking that the floor
  answers the same data as the GraphQL page:
  - the library page: `assets(first: 50)` with folder, tags, projects and the generation's prompt;
  - the Studio page: a session's 50 newest generations with reviewState, likeCount, likedByViewer;
  - the folder page: a folder's 50 newest live assets with their tags;
  each request sent with `Cache-Control: no-cache`, so the response cache makes it afresh;
- the same pages answered from the response cache (one request repeated: hits), against the
  same floors;
- with the first process count only: search for a rare word (one asset) and a common one
  (one in eight), newest first and by relevance, and the seven facets of the library and of
  the common word (bench/library_search.py's queries), one client;
- the peak resident memory of the servers' processes (VmHWM from /proc, read before they stop:
  with workers, uvicorn's supervisor and multiprocessing's resource tracker are listed too);

and, unless left out with `--parts`, one row of subscription fan-out (bench/subscriptions.py:
commit to delivery at 1,000 subscribers, one process) one of webhook deliveries
(bench/webhooks.py: events per second to a verifying receiver, its own fresh database), and one of
saving (bench/library_save.py: `saveToLibrary` of a Studio session's 500 generations through a
uvicorn with the worker on, until every asset is READY, against Pillow's own speed times the
CPUs; its own fresh database).

It prints one table and writes the same as JSON (`--json PATH`) with the machine: CPUs and
their model, Python and the packages' versions, the databases' versions, the date. The
client runs on the same machine as the servers, in one process: compare ratios within a run.

Run from the repository root:

    .venv/bin/python bench/run.py                                  # both databases, 100,000 assets
    .venv/bin/python bench/run.py --quick                          # 2,000 assets, fewer requests
    .venv/bin/python bench/run.py --database sqlite --processes 1 --json bench.json
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import importlib.metadata
import json
import os
import platform
import secrets
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import sqlalchemy as sa
from rich.console import Console
from rich.table import Table

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import library_save, subscriptions
from bench.fresh_database import BenchError, Database, fresh_database
from bench.http_load import Result, bearer, fetch, graphql_body, measure
from bench.library_page import QUERY as LIBRARY  # the page bench/library_page.py measures
from bench.library_search import search_cases
from bench.library_seed import Seeded, seed, seed_likes
from bench.seeded_app import analyze
from bench.uvicorn_servers import Running, peak_rss_kib, server_process
from graph.relay.ids import to_global_id
from storage.sql import tables as t
from storage.sql.database import create_engine
from storage.sql.migrate import migrate

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
POSTGRESQL = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
PAGE_SIZE = 50
CLIENTS = (1, 8)
UVICORN = ["--loop", "uvloop", "--http", "httptools"]


STUDIO = """query StudioPage($id: ID!) {
  node(id: $id) {
    ... on Session {
      id title
      generations(first: 50) {
        totalCount
        edges { cursor node { id prompt width height reviewState likeCount likedByViewer } }
        pageInfo { hasNextPage endCursor }
      }
    }
  }
}"""

FOLDER = """query FolderPage($id: ID!) {
  node(id: $id) {
    ... on Folder {
      id name
      assets(first: 50) {
        totalCount
        edges { cursor node { id name altText width height tags { id name } } }
        pageInfo { hasNextPage endCursor }
      }
    }
  }
}"""


@dataclass(frozen=True)
class Page:
    """A page measured against the floor: its GraphQL request and the floor's route."""

    name: str
    body: bytes
    floor_path: str
    connection: tuple[str, ...]
    """Where the page's connection is in `data`."""


@dataclass(frozen=True)
class Row:
    """One line of the table."""

    measurement: str
    database: str
    processes: int
    clients: int
    median_ms: float | None
    p95_ms: float | None
    per_second: float
    floor_median_ms: float | None = None
    floor_per_second: float | None = None

    @property
    def latency_ratio(self) -> float | None:
        if self.floor_median_ms is None or self.median_ms is None:
            return None
        return self.median_ms / self.floor_median_ms

    @property
    def throughput_share(self) -> float | None:
        return None if self.floor_per_second is None else self.per_second / self.floor_per_second

    def as_json(self) -> dict[str, Any]:
        return asdict(self) | {
            "ratio_median": self.latency_ratio,
            "share_of_floor_rps": self.throughput_share,
        }


@dataclass(frozen=True)
class Memory:
    database: str
    processes: int
    server: str
    peak_rss_mib_by_process: list[float]

    @property
    def total_mib(self) -> float:
        return sum(self.peak_rss_mib_by_process)


@dataclass
class Report:
    rows: list[Row] = field(default_factory=list)
    memory: list[Memory] = field(default_factory=list)
    seeding: dict[str, dict[str, Any]] = field(default_factory=dict)


# --- the settings and the machine -----------------------------------------------------------------


@dataclass(frozen=True)
class Settings:
    databases: tuple[str, ...]
    assets: int
    processes: tuple[int, ...]
    requests: int
    warmup: int
    search_requests: int
    subscribers: int
    events: int
    webhook_events: int
    save_images: int
    parts: tuple[str, ...]
    postgresql_url: str
    json: Path | None


PARTS = ("pages", "cache", "search", "subscriptions", "webhooks", "save")


def parse_args(argv: Sequence[str] | None = None) -> Settings:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--database", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--assets", type=int, help="assets to seed (default 100000; 2000 with --quick)")
    parser.add_argument(
        "--processes", type=int, nargs="+", default=[1, 2], help="uvicorn workers per server (default 1 2)"
    )
    parser.add_argument("--quick", action="store_true", help="fewer assets, requests and subscribers")
    parser.add_argument("--requests", type=int, help="timed requests per page row (default 300; quick 60)")
    parser.add_argument("--warmup", type=int, help="untimed requests before each row (default 30; quick 10)")
    parser.add_argument("--search-requests", type=int, help="timed requests per search row (default 50)")
    parser.add_argument("--subscribers", type=int, help="fan-out subscribers (default 1000; quick 100)")
    parser.add_argument("--save-images", type=int, help="generations saved in the save row (default 500)")
    parser.add_argument("--parts", nargs="+", choices=PARTS, default=list(PARTS), help="what to measure")
    parser.add_argument("--json", type=Path, help="write the results and the machine here")
    parser.add_argument(
        "--postgresql-url",
        default=os.environ.get("ATELIER_TEST_PG_URL", POSTGRESQL),
        help=f"the PostgreSQL server to create a database on (default {POSTGRESQL})",
    )
    args = parser.parse_args(argv)
    quick = args.quick
    assets = args.assets or (2_000 if quick else 100_000)
    if assets <= PAGE_SIZE * 8:
        parser.error(f"--assets must be more than {PAGE_SIZE * 8}")
    if any(n < 1 for n in args.processes):
        parser.error("--processes must be 1 or more")
    return Settings(
        databases=("sqlite", "postgresql") if args.database == "both" else (args.database,),
        assets=assets,
        processes=tuple(args.processes),
        requests=args.requests or (60 if quick else 300),
        warmup=args.warmup or (10 if quick else 30),
        search_requests=args.search_requests or (20 if quick else 50),
        subscribers=args.subscribers or (100 if quick else 1000),
        events=10 if quick else 20,
        webhook_events=500 if quick else 2000,
        save_images=args.save_images or (60 if quick else 500),
        parts=tuple(args.parts),
        postgresql_url=args.postgresql_url,
        json=args.json,
    )


PACKAGES = (
    "strawberry-graphql",
    "graphql-core",
    "starlette",
    "uvicorn",
    "uvloop",
    "httptools",
    "sqlalchemy",
    "aiosqlite",
    "asyncpg",
    "orjson",
    "httpx",
    "websockets",
)


def machine() -> dict[str, Any]:
    model = None
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    versions = {}
    for name in PACKAGES:
        with contextlib.suppress(importlib.metadata.PackageNotFoundError):
            versions[name] = importlib.metadata.version(name)
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=False
    ).stdout.strip()
    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "cpus": os.cpu_count(),
        "cpu_model": model,
        "platform": platform.platform(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "packages": versions,
        "commit": commit or None,
    }


# --- the data -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Data:
    """The seeded organisation, and the session and folder whose pages are measured."""

    seeded: Seeded
    session_id: int
    folder_id: int


async def prepare(db: Database, n_assets: int, console: Console, report: Report) -> Data:
    """Migrate, seed, like, gather statistics; the session and folder with the most rows."""
    engine = create_engine(db.url)
    try:
        await migrate(engine)
        seeded = await seed(engine, n_assets, console)
        began = time.perf_counter()
        likes = await seed_likes(engine, seeded)
        await analyze(engine)
        G, A = t.generations, t.assets
        async with engine.connect() as conn:
            session_id = (
                await conn.execute(
                    sa.select(G.c.session_id)
                    .where(G.c.org_id == seeded.org_id)
                    .group_by(G.c.session_id)
                    .order_by(sa.func.count().desc(), G.c.session_id)
                    .limit(1)
                )
            ).scalar_one()
            folder_id = (
                await conn.execute(
                    sa.select(A.c.folder_id)
                    .where(A.c.org_id == seeded.org_id, A.c.folder_id.is_not(None))
                    .group_by(A.c.folder_id)
                    .order_by(sa.func.count().desc(), A.c.folder_id)
                    .limit(1)
                )
            ).scalar_one()
            version = (
                (await conn.exec_driver_sql("SELECT version()")).scalar_one()
                if db.backend == "postgresql"
                else None
            )
    finally:
        await engine.dispose()
    report.seeding[db.backend] = {
        "assets": n_assets,
        "seconds": round(seeded.seconds, 1),
        "likes": likes,
        "likes_and_analyze_seconds": round(time.perf_counter() - began, 1),
        "server_version": version or f"SQLite {sqlite3.sqlite_version}",
    }
    console.print(
        f"{db.backend}: seeded {n_assets:,} assets in {seeded.seconds:.1f} s, {likes:,} likes and ANALYZE "
        f"in {time.perf_counter() - began:.1f} s"
    )
    return Data(seeded, session_id, folder_id)


def pages(data: Data) -> list[Page]:
    session = to_global_id("Session", data.session_id)
    folder = to_global_id("Folder", data.folder_id)
    return [
        Page("library page", graphql_body(LIBRARY, "LibraryPage"), "/library", ("assets",)),
        Page(
            "Studio page",
            graphql_body(STUDIO, "StudioPage", {"id": session}),
            "/studio",
            ("node", "generations"),
        ),
        Page(
            "folder page", graphql_body(FOLDER, "FolderPage", {"id": folder}), "/folder", ("node", "assets")
        ),
    ]


def first_difference(ours: Any, theirs: Any, path: str = "data") -> str | None:
    """Where two decoded JSON values first differ, or None."""
    if isinstance(ours, dict) and isinstance(theirs, dict):
        if list(ours) != list(theirs):
            return f"{path}: keys {list(ours)} != {list(theirs)}"
        for key in ours:
            found = first_difference(ours[key], theirs[key], f"{path}.{key}")
            if found:
                return found
        return None
    if isinstance(ours, list) and isinstance(theirs, list):
        if len(ours) != len(theirs):
            return f"{path}: {len(ours)} items != {len(theirs)}"
        for i, (a, b) in enumerate(zip(ours, theirs, strict=True)):
            found = first_difference(a, b, f"{path}[{i}]")
            if found:
                return found
        return None
    return None if ours == theirs and type(ours) is type(theirs) else f"{path}: {ours!r} != {theirs!r}"


def verify(page: Page, graphql: dict[str, Any], floor: dict[str, Any]) -> None:
    """A full page of 50 with more behind it, and the floor's data the same as GraphQL's."""
    connection: Any = graphql.get("data")
    for key in page.connection:
        connection = (connection or {}).get(key)
    edges = (connection or {}).get("edges") or []
    if len(edges) != PAGE_SIZE or not connection["pageInfo"]["hasNextPage"]:
        raise BenchError(f"the GraphQL {page.name} has {len(edges)} edges, expected {PAGE_SIZE} and more")
    difference = first_difference(graphql["data"], floor["data"])
    if difference:
        raise BenchError(f"the floor's {page.name} differs from GraphQL's at {difference}")


# --- the servers ----------------------------------------------------------------------------------


def peak_mib(running: Running) -> list[float]:
    return [kib / 1024 for _, kib in sorted(peak_rss_kib(running.pid).items())]


async def measure_servers(
    settings: Settings,
    db: Database,
    data_dir: Path,
    data: Data,
    processes: int,
    console: Console,
    report: Report,
) -> None:
    """Both servers with `processes` workers: the pages against the floor, and search on the first count."""
    key = secrets.token_hex(32)  # both servers sign cursors alike, so their answers compare equal
    async with contextlib.AsyncExitStack() as servers:
        workers = ["--workers", str(processes), *UVICORN]
        graphql = await servers.enter_async_context(
            server_process(
                "GraphQL",
                ["graph.server.asgi:app", *workers],
                {
                    "ATELIER_DATABASE_URL": db.url,
                    "ATELIER_DATA_DIR": str(data_dir),
                    "ATELIER_SECRET_KEY": key,
                    "ATELIER_WORKER": "off",
                    "ATELIER_CLEANUP_INTERVAL_SECONDS": "0",
                },
            )
        )
        floor = await servers.enter_async_context(
            server_process(
                "floor",
                ["floor_app:app", "--app-dir", str(BENCH), *workers],
                {
                    "FLOOR_DATABASE_URL": db.url,
                    "FLOOR_ORG_ID": str(data.seeded.org_id),
                    "FLOOR_SECRET_KEY": key,
                    "FLOOR_MEMBER_ID": str(data.seeded.member_id),
                },
            )
        )
        headers = bearer(data.seeded.token)
        # pages and search are made afresh each time (a miss of the response cache: what a first
        # view, or a view after any change, costs); the cache rows repeat one request (hits)
        fresh = {**headers, "cache-control": "no-cache"}
        graphql_url = f"{graphql.base}/graphql"
        floors: dict[tuple[str, int], Result] = {}
        try:
            if "pages" in settings.parts or "cache" in settings.parts:
                measured = pages(data)
                for page in measured:
                    verify(
                        page,
                        await fetch("GraphQL", graphql_url, page.body, headers),
                        await fetch("floor", floor.base + page.floor_path, page.body, headers),
                    )
                console.print(f"{db.backend}, {processes} process(es): the floor answers each page alike")
                for page in measured:
                    for clients in CLIENTS:
                        run = {
                            "concurrency": clients,
                            "requests": settings.requests,
                            "warmup": settings.warmup,
                        }
                        base = await measure("floor", floor.base + page.floor_path, page.body, headers, **run)
                        floors[page.name, clients] = base
                        if "pages" in settings.parts:
                            ours = await measure("graphql", graphql_url, page.body, fresh, **run)
                            add(report, console, page.name, db, processes, ours, base)
                if "cache" in settings.parts:
                    for page in measured:
                        await expect_hits(graphql_url, page, headers)
                        for clients in CLIENTS:
                            run = {
                                "concurrency": clients,
                                "requests": settings.requests,
                                "warmup": settings.warmup,
                            }
                            ours = await measure("graphql", graphql_url, page.body, headers, **run)
                            name = f"{page.name}, cached"
                            add(report, console, name, db, processes, ours, floors[page.name, clients])
            if "search" in settings.parts and processes == settings.processes[0]:
                rare = str(min(4242, data.seeded.assets - 1))  # prompts end with "(take N)"
                for name, document, variables in search_cases(rare)[1:]:
                    body = graphql_body(document, None, variables)
                    await fetch("GraphQL", graphql_url, body, headers)
                    run = {"concurrency": 1, "requests": settings.search_requests, "warmup": 3}
                    ours = await measure("graphql", graphql_url, body, fresh, **run)
                    add(report, console, name, db, processes, ours, None)
        finally:
            for name, running in (("graphql", graphql), ("floor", floor)):
                with contextlib.suppress(OSError):
                    report.memory.append(Memory(db.backend, processes, name, peak_mib(running)))


async def expect_hits(url: str, page: Page, headers: dict[str, str]) -> None:
    """The cache rows measure hits: check the third of three requests is one."""
    async with httpx.AsyncClient(headers=headers, timeout=60.0) as client:
        states = [(await client.post(url, content=page.body)).headers.get("atelier-cache") for _ in range(3)]
    if states[-1] != "hit":
        raise BenchError(f"the {page.name} is not answered from the response cache: {states}")


def add(
    report: Report,
    console: Console,
    name: str,
    db: Database,
    processes: int,
    ours: Result,
    base: Result | None,
) -> None:
    row = Row(
        name,
        db.backend,
        processes,
        ours.concurrency,
        ours.median_ms,
        ours.p95_ms,
        ours.per_second,
        base.median_ms if base else None,
        base.per_second if base else None,
    )
    report.rows.append(row)
    floor = f"   floor {base.median_ms:6.2f} ms {base.per_second:5.0f} req/s" if base else ""
    console.print(
        f"  {name:<40} p={processes} c={ours.concurrency:<2} median {ours.median_ms:7.2f} ms "
        f"p95 {ours.p95_ms:7.2f} ms {ours.per_second:5.0f} req/s{floor}"
    )


async def fan_out(
    settings: Settings, db: Database, data_dir: Path, data: Data, console: Console, report: Report
) -> None:
    """One row: commit-to-delivery latency of `settings.subscribers` subscribers on one process."""
    env = {
        "ATELIER_DATABASE_URL": db.url,
        "ATELIER_DATA_DIR": str(data_dir),
        "ATELIER_WORKER": "off",
        "ATELIER_CLEANUP_INTERVAL_SECONDS": "0",
    }
    async with server_process("GraphQL", ["graph.server.asgi:app", *UVICORN], env) as running:
        began = time.perf_counter()
        latencies = await subscriptions.row(
            running.base, data.seeded.token, settings.subscribers, settings.events
        )
        wall = time.perf_counter() - began
        memory = peak_mib(running)
    ms = [s * 1000 for s in latencies]
    result = Result("graphql", settings.subscribers, ms, wall)
    name = f"fan-out to {settings.subscribers:,} subscribers"
    row = Row(name, db.backend, 1, settings.subscribers, result.median_ms, result.p95_ms, len(ms) / wall)
    report.rows.append(row)
    report.memory.append(Memory(db.backend, 1, f"graphql, {settings.subscribers:,} websockets", memory))
    console.print(
        f"  {name:<40} median {result.median_ms:7.2f} ms p95 {result.p95_ms:7.2f} ms "
        f"({len(ms):,} messages in {wall:.1f} s)"
    )


async def deliveries(settings: Settings, backend: str, console: Console, report: Report) -> None:
    """One row: webhook deliveries per second (bench/webhooks.py, its own fresh database)."""
    if backend == "postgresql":
        os.environ.setdefault("ATELIER_TEST_PG_URL", settings.postgresql_url)
    batch = 32  # deliveries in flight, the default of ATELIER_WEBHOOK_BATCH
    # it reuses the tests' fixtures, whose import clears ATELIER_* for the tests: the servers
    # measured afterwards keep the operator's settings (ATELIER_DB_POOL_SIZE, ...)
    operator = {name: value for name, value in os.environ.items() if name.startswith("ATELIER_")}
    from bench import webhooks

    os.environ.update(operator)
    delivered = await webhooks.measure(backend, settings.webhook_events, settings.webhook_events, batch)
    if delivered.verified != delivered.events:
        raise BenchError(f"webhooks: {delivered.verified} of {delivered.events} deliveries verified")
    name = f"webhook deliveries ({delivered.events:,} events)"
    report.rows.append(Row(name, backend, 1, batch, None, None, delivered.per_second))
    console.print(f"  {name:<40} {delivered.per_second:,.0f} per second ({delivered.seconds:.2f} s)")


async def saving(settings: Settings, backend: str, console: Console, report: Report) -> None:
    """One row: images per second saved and processed, against Pillow's own speed times the CPUs."""
    with tempfile.TemporaryDirectory(prefix="atelier-bench-save-") as tmp:
        url = settings.postgresql_url if backend == "postgresql" else None
        async with fresh_database(url, Path(tmp)) as db:
            saved = await library_save.measure(db, Path(tmp), settings.save_images)
    name = f"saveToLibrary, {saved.images:,} processed"
    row = Row(name, backend, 1, 1, None, None, saved.per_second, None, saved.floor_per_second)
    report.rows.append(row)
    console.print(
        f"  {name:<40} {saved.per_second:.2f} images/s ({saved.seconds:.1f} s); Pillow alone "
        f"{1 / saved.floor_seconds_per_image:.2f} images/s x {saved.cpus} CPUs = "
        f"{saved.floor_per_second:.2f}; ratio {saved.ratio:.2f} (target 0.8); CPU s: server "
        f"{saved.server_cpu_seconds:.1f}, pool {saved.pool_cpu_seconds:.1f} "
        f"({saved.pool_cpu_seconds / saved.images * 1000:.0f} ms per image, Pillow alone "
        f"{saved.floor_seconds_per_image * 1000:.0f})"
    )


# --- the report -----------------------------------------------------------------------------------


def _ms(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:,.1f}" if value >= 10 else f"{value:.2f}"


def table(report: Report, settings: Settings) -> Table:
    title = (
        f"Atelier bench: {settings.assets:,} assets, {settings.requests} requests per page row, "
        f"{os.cpu_count()} CPUs shared by the client and the servers"
    )
    out = Table(title=title)
    for column in ("measurement", "database", "proc", "clients", "median ms", "p95 ms", "req/s"):
        out.add_column(column, justify="left" if column in ("measurement", "database") else "right")
    for column in ("floor median", "floor req/s", "x floor median", "req/s / floor"):
        out.add_column(column, justify="right")
    for r in report.rows:
        out.add_row(
            r.measurement,
            r.database,
            str(r.processes),
            f"{r.clients:,}",
            _ms(r.median_ms),
            _ms(r.p95_ms),
            f"{r.per_second:,.0f}",
            _ms(r.floor_median_ms),
            "" if r.floor_per_second is None else f"{r.floor_per_second:,.0f}",
            "" if r.latency_ratio is None else f"x{r.latency_ratio:.2f}",
            "" if r.throughput_share is None else f"{r.throughput_share:.2f}",
        )
    return out


def memory_table(report: Report) -> Table:
    out = Table(title="Peak resident memory (VmHWM) of the servers' processes")
    for column in ("database", "proc", "server", "per process MiB", "total MiB"):
        out.add_column(column)
    for m in report.memory:
        each = ", ".join(f"{v:.0f}" for v in m.peak_rss_mib_by_process)
        out.add_row(m.database, str(m.processes), m.server, each, f"{m.total_mib:.0f}")
    return out


def write_json(path: Path, report: Report, settings: Settings, host: dict[str, Any], seconds: float) -> None:
    document = {
        "machine": host,
        "settings": asdict(settings) | {"postgresql_url": None},
        "seconds": round(seconds, 1),
        "seeding": report.seeding,
        "rows": [r.as_json() for r in report.rows],
        "memory": [asdict(m) | {"total_mib": m.total_mib} for m in report.memory],
    }
    path.write_text(json.dumps(document, indent=2, default=str) + "\n")


# --- the run --------------------------------------------------------------------------------------


async def on_seeded_library(settings: Settings, backend: str, console: Console, report: Report) -> None:
    """The parts measured on a library of `settings.assets` assets: pages, search, fan-out."""
    async with contextlib.AsyncExitStack() as stack:
        data_dir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="atelier-bench-")))
        url = settings.postgresql_url if backend == "postgresql" else None
        db = await stack.enter_async_context(fresh_database(url, data_dir))
        data = await prepare(db, settings.assets, console, report)
        if {"pages", "cache", "search"} & set(settings.parts):
            for processes in settings.processes:
                await measure_servers(settings, db, data_dir, data, processes, console, report)
        if "subscriptions" in settings.parts:
            await fan_out(settings, db, data_dir, data, console, report)


async def main(settings: Settings) -> None:
    # piped to a file, rich would fold the table into 80 columns
    console = Console(highlight=False, soft_wrap=True, width=None if sys.stdout.isatty() else 180)
    current = asyncio.current_task()
    if current is not None:  # SIGTERM cleans up like Ctrl-C does
        asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, current.cancel)
    began = time.perf_counter()
    host = machine()
    console.print(
        f"{host['cpus']} CPUs ({host['cpu_model']}), Python {host['python']}, "
        f"uvicorn {host['packages'].get('uvicorn')} with uvloop and httptools"
    )
    report = Report()
    for backend in settings.databases:
        # the other parts seed their own
        if {"pages", "cache", "search", "subscriptions"}.intersection(settings.parts):
            await on_seeded_library(settings, backend, console, report)
        if "webhooks" in settings.parts:
            await deliveries(settings, backend, console, report)
        if "save" in settings.parts:
            await saving(settings, backend, console, report)
    seconds = time.perf_counter() - began
    console.print()
    console.print(table(report, settings))
    console.print(memory_table(report))
    console.print(f"{seconds:.0f} s in all")
    if settings.json is not None:
        write_json(settings.json, report, settings, host, seconds)
        console.print(f"wrote {settings.json}")


def run() -> int:
    settings = parse_args()
    try:
        asyncio.run(main(settings))
    except BenchError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    except (KeyboardInterrupt, asyncio.CancelledError):
        print("interrupted; servers stopped and temporary data removed", file=sys.stderr)
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(run())
