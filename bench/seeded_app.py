"""The in-process benchmarks' common start: a fresh database, seeded, and the app over it.

bench/library_search.py, bench/processing_filter.py and bench/similar_assets.py each seed
bench/library_seed.py's library (plus rows of their own), gather the planner's statistics,
build the app with its adapters and post GraphQL to it in process (httpx's ASGI transport:
no network). `seeded_app` does all of that; `timed` takes the median and p95 of a call.
"""

from __future__ import annotations

import contextlib
import statistics
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from rich.console import Console
from sqlalchemy.ext.asyncio import AsyncEngine

from bench.fresh_database import BenchError, Database, fresh_database
from bench.library_seed import Seeded, seed
from graph.server.app import create_app
from graph.server.bootstrap import Adapters
from graph.server.settings import Settings
from storage.sql.database import create_engine
from storage.sql.migrate import migrate


def stats(samples: list[float]) -> tuple[float, float]:
    """(median, p95) in milliseconds of samples in seconds."""
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered) * 1000, p95 * 1000


async def timed(call: Callable[[], Awaitable[Any]], requests: int) -> tuple[float, float]:
    """Median and p95 ms of `requests` sequential calls, after one untimed call."""
    return await timed_each([call] * requests)


async def timed_each(calls: list[Callable[[], Awaitable[Any]]]) -> tuple[float, float]:
    """Median and p95 ms of the calls in turn, after an untimed first call."""
    await calls[0]()  # warm the caches (parser, validation, the database's pages)
    samples = []
    for call in calls:
        began = time.perf_counter()
        await call()
        samples.append(time.perf_counter() - began)
    return stats(samples)


async def analyze(engine: AsyncEngine) -> None:
    """The statistics a live database has (on PostgreSQL, with the dead row versions of a bulk load gone)."""
    async with engine.connect() as conn:
        await conn.execution_options(isolation_level="AUTOCOMMIT")
        await conn.exec_driver_sql("VACUUM ANALYZE" if conn.dialect.name == "postgresql" else "ANALYZE")


@dataclass
class SeededApp:
    """A seeded database and the app over it."""

    database: Database
    engine: AsyncEngine
    seeded: Seeded
    adapters: Adapters
    client: httpx.AsyncClient

    async def gql(self, document: str, variables: dict[str, Any] | None = None) -> Any:
        """The `data` of a GraphQL request as the seeded admin; errors raise."""
        response = await self.client.post(
            "/graphql",
            json={"query": document, "variables": variables or {}},
            headers={"authorization": f"Bearer {self.seeded.token}"},
        )
        body = response.json()
        if "errors" in body:
            raise BenchError(str(body["errors"]))
        return body["data"]


@contextlib.asynccontextmanager
async def seeded_app(
    n_assets: int,
    database_url: str | None,
    console: Console,
    extra: Callable[[AsyncEngine, Seeded], Awaitable[None]] | None = None,
) -> AsyncIterator[SeededApp]:
    """A fresh database with `n_assets` seeded (then `extra`, then ANALYZE), and the app over it."""
    with tempfile.TemporaryDirectory(prefix="atelier-bench-") as tmp:
        async with fresh_database(database_url, Path(tmp)) as database:
            engine = create_engine(database.url)
            try:
                await migrate(engine)
                seeded = await seed(engine, n_assets, console)
                console.print(f"seeded {n_assets:,} assets in {seeded.seconds:.1f} s ({database.backend})")
                if extra is not None:
                    await extra(engine, seeded)
                await analyze(engine)
                settings = Settings(data_dir=Path(tmp), database_url=database.url, cleanup_interval_seconds=0)
                adapters = Adapters.build(settings)
                try:
                    app = create_app(settings, adapters=adapters)
                    transport = httpx.ASGITransport(app=app)
                    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
                        yield SeededApp(database, engine, seeded, adapters, client)
                finally:
                    await adapters.engine.dispose()
            finally:
                await engine.dispose()
