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
import random
import secrets
import signal
import socket
import statistics
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import orjson
import sqlalchemy as sa
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

from domain.kernel.access import Role
from domain.library.model import name_key
from domain.organisations.model import DEFAULT_CREDIT_BUDGET, DEFAULT_STORAGE_QUOTA_BYTES
from domain.organisations.tokens import hash_token
from storage.sql import tables as t
from storage.sql.database import WRITE, create_engine
from storage.sql.migrate import migrate

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
PAGE_SIZE = 50
CONCURRENCY = (1, 8)
CHUNK = 1_000
READY_TIMEOUT_S = 60.0

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

TAGS = (  # noqa: SIM905 (fifty words read better as text than as fifty lines)
    "summer sale spring autumn winter holiday beach city nature food fashion travel portrait product "
    "lifestyle minimal bold pastel neon vintage retro abstract pattern texture gradient flat-lay "
    "outdoor indoor studio night sunrise sunset urban rural ocean mountain forest desert coffee tea "
    "fitness wellness tech office team launch hero banner story carousel"
).split()
PROJECTS = (
    "Summer sale 2026",
    "Spring collection",
    "Product launch",
    "Brand refresh",
    "Holiday campaign",
    "Recruiting",
    "Newsletter",
    "Trade fair",
    "Loyalty programme",
    "Back to school",
)
FOLDERS = {
    "Campaigns": ("Summer", "Winter", "Launch"),
    "Social": ("Instagram", "LinkedIn", "Pinterest"),
    "Web": ("Heroes", "Blog", "Landing pages"),
    "Print": ("Flyers", "Posters", "Catalogue"),
    "Archive": ("2024", "2025", "Drafts"),
}
SESSIONS = (
    ("Summer sale hero images", "instagram", "4:5"),
    ("LinkedIn product launch", "linkedin", "16:9"),
    ("Moodboard experiments", None, "1:1"),
    ("Pinterest autumn boards", "pinterest", "9:16"),
    ("Website refresh", "web", "3:2"),
    ("Print catalogue", None, "4:3"),
)
SIZES = {"1:1": (1024, 1024), "4:5": (1024, 1280), "16:9": (1344, 768), "9:16": (768, 1344)}
SIZES |= {"3:2": (1216, 832), "4:3": (1152, 864)}
SUBJECTS = (
    "a sunlit beach towel flat lay with sunglasses",
    "a minimal desk with a laptop showing a dashboard",
    "an abstract composition of overlapping circles",
    "a risograph-style poster of a lighthouse",
    "a close-up of a straw hat on turquoise water",
    "a team of three discussing charts on a whiteboard",
    "an isometric illustration of connected cloud servers",
    "a pastel beach hut row with a sale banner",
)
STYLES = (
    "soft morning light",
    "golden hour, warm orange sky",
    "brand colours, playful mood",
    "grainy texture, muted palette",
    "high contrast studio lighting",
    "candid documentary photo",
)


class BenchError(Exception):
    """Something that stops the benchmark, with a message for the person running it."""


# --- the database ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Database:
    """The database to benchmark on."""

    url: str

    @property
    def backend(self) -> str:
        return sa.make_url(self.url).get_backend_name()


@contextlib.asynccontextmanager
async def fresh_database(server_url: str | None, data_dir: Path) -> AsyncIterator[Database]:
    """SQLite in `data_dir`, or a database with a random name on the PostgreSQL server at `server_url`."""
    if server_url is None:
        yield Database(f"sqlite+aiosqlite:///{data_dir / 'atelier.db'}")
        return
    admin_url = sa.make_url(server_url)
    if admin_url.get_backend_name() != "postgresql":
        raise BenchError("--database-url must be a PostgreSQL URL; omit it for SQLite")
    name = f"atelier_bench_{secrets.token_hex(6)}"
    admin = create_async_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        async with admin.connect() as conn:
            await conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        try:
            yield Database(admin_url.set(database=name).render_as_string(hide_password=False))
        finally:
            async with admin.connect() as conn:
                await conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        await admin.dispose()


@dataclass(frozen=True)
class Seeded:
    """The organisation the benchmark reads, and a token of its admin."""

    org_id: int
    token: str
    assets: int
    seconds: float


async def _insert(conn: AsyncConnection, table: sa.Table, **values: Any) -> int:
    return int((await conn.execute(sa.insert(table).values(**values).returning(table.c.id))).scalar_one())


async def _insert_many(conn: AsyncConnection, table: sa.Table, rows: list[dict[str, Any]]) -> list[int]:
    """Bulk insert; the new ids in the order of `rows`."""
    stmt = sa.insert(table).returning(table.c.id, sort_by_parameter_order=True)
    return list((await conn.execute(stmt, rows)).scalars())


def _chunks(n: int) -> Iterator[range]:
    for start in range(0, n, CHUNK):
        yield range(start, min(start + CHUNK, n))


@dataclass(frozen=True)
class Catalogue:
    """The rows every asset refers to."""

    org: int
    admin: int
    brand_kit: int
    tags: list[int]
    projects: list[int]
    folders: list[int]
    sessions: list[int]


async def _catalogue(conn: AsyncConnection, token: str, at: datetime) -> Catalogue:
    """The organisation, its admin with `token`, and its brand kit, tags, projects, folders and sessions."""
    slug = f"bench-{secrets.token_hex(4)}"
    org = await _insert(
        conn,
        t.organisations,
        slug=slug,
        name="Bench Studio",
        storage_quota_bytes=DEFAULT_STORAGE_QUOTA_BYTES,
        credit_budget=DEFAULT_CREDIT_BUDGET,
        require_approval=True,
        require_alt_text=True,
        created_at=at,
    )
    owned = {"org_id": org, "created_at": at}
    admin = await _insert(
        conn, t.members, **owned, name="Bench Admin", email=f"admin@{slug}.example", role=Role.ADMIN.value
    )
    await _insert(
        conn,
        t.api_tokens,
        **owned,
        member_id=admin,
        name="bench",
        token_hash=hash_token(token),
        prefix=token[:10],
    )
    brand_kit = await _insert(
        conn,
        t.brand_kits,
        **owned,
        name="Sunny Goods",
        name_key=name_key("Sunny Goods"),
        description="Warm, optimistic, never loud.",
        colors=["#FF7A59", "#1F3A5F", "#FFF4E0"],
    )
    tags = await _insert_many(
        conn, t.tags, [{**owned, "name": n.title(), "name_key": name_key(n)} for n in TAGS]
    )
    projects = await _insert_many(
        conn, t.projects, [{**owned, "name": n, "name_key": name_key(n)} for n in PROJECTS]
    )
    roots = await _insert_many(
        conn, t.folders, [{**owned, "parent_id": None, "name": n, "name_key": name_key(n)} for n in FOLDERS]
    )
    folders = list(roots)
    for parent, children in zip(roots, FOLDERS.values(), strict=True):
        folders += await _insert_many(
            conn,
            t.folders,
            [{**owned, "parent_id": parent, "name": n, "name_key": name_key(n)} for n in children],
        )
    sessions = await _insert_many(
        conn,
        t.sessions,
        [
            {
                **owned,
                "title": title,
                "platform": platform,
                "brand_kit_id": brand_kit,
                "aspect_ratio": ratio,
                "state": "open",
                "created_by_id": admin,
            }
            for title, platform, ratio in SESSIONS
        ],
    )
    return Catalogue(org, admin, brand_kit, tags, projects, folders, sessions)


def _generation_row(c: Catalogue, rng: random.Random, i: int, at: datetime) -> dict[str, Any]:
    """Generation number `i`, made at `at` in a random session and approved five minutes later."""
    s = rng.randrange(len(SESSIONS))
    title, platform, ratio = SESSIONS[s]
    width, height = SIZES[ratio]
    return {
        "org_id": c.org,
        "session_id": c.sessions[s],
        "prompt": f"{rng.choice(SUBJECTS)}, {rng.choice(STYLES)} (take {i})",
        "negative_prompt": "blurry, watermark, text",
        "platform": platform,
        "brand_kit_id": c.brand_kit,
        "aspect_ratio": ratio,
        "width": width,
        "height": height,
        "provider": "procedural",
        "model": "procedural-v1",
        "seed": rng.randrange(2**31),
        "credits_used": 1,
        "review_state": "approved",
        "alt_text": f"Image {i} for {title}",
        "rights_notes": "Generated in house; free to use.",
        "source": "procedural",
        "intended_placement": platform or "general",
        "review_reason": "",
        "reviewed_by_id": c.admin,
        "reviewed_at": at + timedelta(minutes=5),
        "blob_key": secrets.token_hex(32),
        "mime_type": "image/png",
        "byte_size": rng.randrange(200_000, 2_000_000),
        "created_by_id": c.admin,
        "created_at": at,
        "expires_at": None,
    }


# What an asset keeps of its generation: the provenance, and the image itself.
COPIED = [c.key for c in t.assets.c if c.key in t.generations.c and c.key not in ("id", "created_at")]


def _asset_row(c: Catalogue, rng: random.Random, i: int, g: dict[str, Any], gid: int) -> dict[str, Any]:
    """The asset saved from generation row `g` (id `gid`) when it was approved, in a random folder."""
    return {
        **{column: g[column] for column in COPIED},
        "name": f"{g['prompt'].split(',')[0].capitalize()} {i}",
        "description": "",
        "folder_id": rng.choice(c.folders),
        "ai_generated": True,
        "generation_id": gid,
        "trashed_at": None,
        "created_at": g["reviewed_at"],
        "updated_at": g["reviewed_at"],
    }


async def seed(engine: AsyncEngine, n_assets: int, console: Console) -> Seeded:
    """One organisation with `n_assets` live AI-generated assets, in one transaction, in chunks."""
    began = time.perf_counter()
    rng = random.Random(42)
    start = datetime.now(UTC) - timedelta(days=365)
    step = timedelta(days=365) / n_assets
    token = "atl_" + secrets.token_urlsafe(32)
    columns = (TextColumn("{task.description:<22}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())

    async with engine.connect() as conn:
        await conn.execution_options(**{WRITE: True})
        async with conn.begin():
            c = await _catalogue(conn, token, start)
            with Progress(*columns, console=console) as progress:
                generations = progress.add_task("generations", total=n_assets)
                assets = progress.add_task("assets", total=n_assets)
                links = progress.add_task("tag and project links", total=n_assets)
                for chunk in _chunks(n_assets):
                    made = [_generation_row(c, rng, i, start + step * i) for i in chunk]
                    generation_ids = await _insert_many(conn, t.generations, made)
                    progress.advance(generations, len(chunk))

                    rows = [
                        _asset_row(c, rng, i, g, gid)
                        for i, g, gid in zip(chunk, made, generation_ids, strict=True)
                    ]
                    asset_ids = await _insert_many(conn, t.assets, rows)
                    progress.advance(assets, len(chunk))

                    tagged = [(a, tag) for a in asset_ids for tag in rng.sample(c.tags, rng.randint(2, 3))]
                    await conn.execute(
                        sa.insert(t.asset_tags),
                        [{"org_id": c.org, "asset_id": a, "tag_id": tag} for a, tag in tagged],
                    )
                    linked = [(a, p) for a in asset_ids for p in rng.sample(c.projects, rng.randint(1, 2))]
                    await conn.execute(
                        sa.insert(t.asset_projects),
                        [{"org_id": c.org, "asset_id": a, "project_id": p} for a, p in linked],
                    )
                    progress.advance(links, len(chunk))
    # A live database has planner statistics (PostgreSQL's autovacuum gathers them within a
    # minute of a bulk load); without them both servers would be measured on guessed plans.
    async with engine.connect() as conn:
        await conn.execution_options(isolation_level="AUTOCOMMIT")
        await conn.exec_driver_sql("ANALYZE")
    return Seeded(c.org, token, n_assets, time.perf_counter() - began)


# --- the servers ----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.asynccontextmanager
async def server(name: str, uvicorn_args: Sequence[str], env: dict[str, str]) -> AsyncIterator[str]:
    """A uvicorn subprocess on a free port, ready; yields its base URL and stops it on the way out."""
    port = free_port()
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "uvicorn",
        *uvicorn_args,
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--log-level",
        "warning",
        cwd=ROOT,
        env={**os.environ, **env},
        start_new_session=True,  # Ctrl-C reaches only this script, which then stops the server
    )
    base = f"http://127.0.0.1:{port}"
    try:
        await wait_ready(name, proc, base)
        yield base
    finally:
        await stop(proc)


async def wait_ready(name: str, proc: asyncio.subprocess.Process, base: str) -> None:
    deadline = time.monotonic() + READY_TIMEOUT_S
    async with httpx.AsyncClient(base_url=base, timeout=2.0) as client:
        while time.monotonic() < deadline:
            if proc.returncode is not None:
                raise BenchError(f"the {name} server exited with code {proc.returncode} while starting")
            with contextlib.suppress(httpx.TransportError):
                if (await client.get("/readyz")).status_code == 200:
                    return
            await asyncio.sleep(0.1)
    raise BenchError(f"the {name} server was not ready after {READY_TIMEOUT_S:.0f} s")


async def stop(proc: asyncio.subprocess.Process) -> None:
    if proc.returncode is not None:
        return
    proc.terminate()
    try:
        await asyncio.wait_for(proc.wait(), timeout=10)
    except TimeoutError:
        proc.kill()
        await proc.wait()


# --- the load -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """A server to measure: where to post the page request."""

    name: str
    url: str


@dataclass(frozen=True)
class Result:
    target: str
    concurrency: int
    latencies_ms: list[float]
    seconds: float

    @property
    def median_ms(self) -> float:
        return statistics.median(self.latencies_ms)

    @property
    def p95_ms(self) -> float:
        return statistics.quantiles(self.latencies_ms, n=100, method="inclusive")[94]

    @property
    def per_second(self) -> float:
        return len(self.latencies_ms) / self.seconds

    def line(self) -> str:
        return (
            f"{self.target:<8} c={self.concurrency:<2}  median {self.median_ms:7.2f} ms"
            f"  p95 {self.p95_ms:7.2f} ms  {self.per_second:7.0f} req/s"
        )


def _headers(token: str) -> dict[str, str]:
    return {"authorization": f"Bearer {token}", "content-type": "application/json"}


async def fetch_page(target: Target, token: str) -> dict[str, Any]:
    """One page request, checked: HTTP 200 and no GraphQL errors."""
    async with httpx.AsyncClient(timeout=30.0) as client:
        response = await client.post(target.url, content=_body(), headers=_headers(token))
    body: dict[str, Any] = response.json() if response.content else {}
    if response.status_code != 200 or body.get("errors"):
        raise BenchError(
            f"{target.name} answered HTTP {response.status_code}: {response.text[:500]}"
            if response.status_code != 200
            else f"{target.name} answered with errors: {orjson.dumps(body['errors']).decode()[:500]}"
        )
    return body


def _body() -> bytes:
    return orjson.dumps({"query": QUERY, "operationName": "LibraryPage", "variables": {}})


def verify(graphql: dict[str, Any], floor: dict[str, Any], n_assets: int) -> None:
    """The GraphQL page has 50 edges and the expected count, and the floor answers exactly the same."""
    page = graphql.get("data", {}).get("assets") or {}
    edges = page.get("edges") or []
    if len(edges) != PAGE_SIZE:
        raise BenchError(f"the GraphQL page has {len(edges)} edges, expected {PAGE_SIZE}")
    if page.get("totalCount") != n_assets:
        raise BenchError(f"the GraphQL page counts {page.get('totalCount')} assets, expected {n_assets}")
    if graphql != floor:
        for i, (ours, theirs) in enumerate(zip(edges, floor["data"]["assets"]["edges"], strict=False)):
            if ours != theirs:
                raise BenchError(f"the floor differs from GraphQL at edge {i}:\n  {ours}\n  {theirs}")
        raise BenchError("the floor's answer differs from GraphQL's (outside the edges)")


async def run_requests(
    clients: Sequence[httpx.AsyncClient], target: Target, total: int
) -> tuple[list[float], float]:
    """`total` requests shared by one worker per client; (latencies in ms, wall seconds)."""
    remaining = total
    latencies: list[float] = []
    body = _body()

    async def worker(client: httpx.AsyncClient) -> None:
        nonlocal remaining
        while remaining > 0:
            remaining -= 1
            began = time.perf_counter()
            response = await client.post(target.url, content=body)
            latencies.append((time.perf_counter() - began) * 1000)
            if response.status_code != 200 or b'"errors"' in response.content:
                raise BenchError(f"{target.name} failed under load: HTTP {response.status_code}")

    began = time.perf_counter()
    async with asyncio.TaskGroup() as group:
        for client in clients:
            group.create_task(worker(client))
    return latencies, time.perf_counter() - began


async def measure(target: Target, token: str, concurrency: int, requests: int, warmup: int) -> Result:
    """Warm up, then time `requests` requests from `concurrency` keep-alive clients."""
    async with contextlib.AsyncExitStack() as stack:
        clients = [
            await stack.enter_async_context(httpx.AsyncClient(headers=_headers(token), timeout=30.0))
            for _ in range(concurrency)
        ]
        await run_requests(clients, target, max(warmup, concurrency))
        latencies, seconds = await run_requests(clients, target, requests)
    return Result(target.name, concurrency, latencies, seconds)


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

        graphql_base = await stack.enter_async_context(
            server(
                "GraphQL",
                ["graph.server.asgi:app"],
                {"ATELIER_DATABASE_URL": db.url, "ATELIER_DATA_DIR": str(data_dir)},
            )
        )
        floor_base = await stack.enter_async_context(
            server(
                "floor",
                ["floor_app:app", "--app-dir", str(BENCH)],
                {"FLOOR_DATABASE_URL": db.url, "FLOOR_ORG_ID": str(seeded.org_id)},
            )
        )
        graphql = Target("graphql", f"{graphql_base}/graphql")
        floor = Target("floor", f"{floor_base}/library")
        verify(await fetch_page(graphql, seeded.token), await fetch_page(floor, seeded.token), seeded.assets)
        console.print(f"both servers answer the same {PAGE_SIZE}-asset page; measuring\n")

        results: dict[tuple[str, int], Result] = {}
        for concurrency in CONCURRENCY:
            for target in (graphql, floor):
                result = await measure(target, seeded.token, concurrency, args.requests, args.warmup)
                results[target.name, concurrency] = result
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
