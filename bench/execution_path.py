"""The execution path in process: the three pages on graphql-core's executor and on ours, alternately.

bench/run.py measures the pages over HTTP against their floors; this isolates what the
executor costs. It seeds a library (bench/library_seed.py, with likes), builds the app,
and posts the library, Studio and folder pages in process (no network), switching the
schema's executor between graphql-core's (strawberry's default) and
graph/relay/executor.py's before each request, so that both see the same caches and
the same machine load. It checks both answer the same bytes, then prints the medians.
With `--profile DIR` it also writes a pyinstrument profile of each page on each executor.

    .venv/bin/python bench/execution_path.py --assets 2000 --requests 200
    .venv/bin/python bench/execution_path.py --assets 2000 --requests 100 --profile /tmp/profiles
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from rich.console import Console
from starlette.routing import Route

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from bench.library_page import QUERY as LIBRARY
from bench.library_seed import Seeded, seed_likes
from bench.run import FOLDER, STUDIO
from bench.seeded_app import SeededApp, seeded_app
from graph.relay.executor import Counters, PlainFieldExecutor
from graph.relay.ids import to_global_id
from storage.sql import tables as t


def graphql_schema(app: Any) -> Any:
    """The strawberry schema behind the app's /graphql route."""
    for route in app.routes:
        if isinstance(route, Route) and route.path == "/graphql":
            return route.endpoint.schema
    raise LookupError("no /graphql route")


async def page_bodies(sa_app: SeededApp) -> dict[str, dict[str, Any]]:
    """The three pages' requests: the Studio's on the biggest session, the folder's on the biggest folder."""
    G, A = t.generations, t.assets
    org = sa_app.seeded.org_id
    async with sa_app.engine.connect() as conn:
        session_id = (
            await conn.execute(
                sa.select(G.c.session_id)
                .where(G.c.org_id == org)
                .group_by(G.c.session_id)
                .order_by(sa.func.count().desc(), G.c.session_id)
                .limit(1)
            )
        ).scalar_one()
        folder_id = (
            await conn.execute(
                sa.select(A.c.folder_id)
                .where(A.c.org_id == org, A.c.folder_id.is_not(None))
                .group_by(A.c.folder_id)
                .order_by(sa.func.count().desc(), A.c.folder_id)
                .limit(1)
            )
        ).scalar_one()
    return {
        "library": {"query": LIBRARY},
        "studio": {"query": STUDIO, "variables": {"id": to_global_id("Session", session_id)}},
        "folder": {"query": FOLDER, "variables": {"id": to_global_id("Folder", folder_id)}},
    }


async def main(arguments: argparse.Namespace) -> None:
    console = Console()

    async def likes(engine: Any, seeded: Seeded) -> None:
        await seed_likes(engine, seeded)

    async with seeded_app(arguments.assets, arguments.database_url, console, extra=likes) as sa_app:
        transport: Any = sa_app.client._transport  # the ASGI app the client talks to
        schema = graphql_schema(transport.app)
        executors = {
            "graphql-core": StrawberryGraphQLCoreExecutionContext,
            "plain fields": PlainFieldExecutor,
        }
        # asks past the response cache: a hit would run neither executor
        headers = {"authorization": f"Bearer {sa_app.seeded.token}", "cache-control": "no-cache"}
        bodies = await page_bodies(sa_app)

        async def post(executor: type, body: dict[str, Any]) -> bytes:
            schema.execution_context_class = executor
            response = await sa_app.client.post("/graphql", json=body, headers=headers)
            return response.content

        for name, body in bodies.items():
            if name not in arguments.pages:
                continue
            answers = {label: await post(executor, body) for label, executor in executors.items()}
            if len(set(answers.values())) != 1 or b'"errors"' in answers["graphql-core"]:
                raise SystemExit(f"{name}: the executors answer differently or with errors")
            samples: dict[str, list[float]] = {label: [] for label in executors}
            before = Counters.direct
            for _ in range(arguments.requests):
                for label, executor in executors.items():
                    began = time.perf_counter()
                    await post(executor, body)
                    samples[label].append(time.perf_counter() - began)
            direct = (Counters.direct - before) // arguments.requests
            stock, plain = (statistics.median(s) * 1000 for s in samples.values())
            console.print(
                f"{name:8} graphql-core {stock:6.2f} ms   plain fields {plain:6.2f} ms"
                f"   ratio {plain / stock:.2f}   fields read directly per request {direct}"
            )
            if arguments.profile:
                from pyinstrument import Profiler

                arguments.profile.mkdir(parents=True, exist_ok=True)
                for label, executor in executors.items():
                    with Profiler(async_mode="enabled", interval=0.0002) as profiler:
                        for _ in range(arguments.requests):
                            await post(executor, body)
                    out = arguments.profile / f"{name}-{label.replace(' ', '-')}.txt"
                    out.write_text(profiler.output_text(unicode=False, show_all=False))
                    flat = out.with_suffix(".flat.txt")  # where the time goes, by function
                    flat.write_text(profiler.output_text(unicode=False, flat=True, show_all=True))
                    console.print(f"  profile: {out}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--assets", type=int, default=2000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--database-url", default=None, help="a PostgreSQL admin URL; SQLite when omitted")
    parser.add_argument("--pages", nargs="+", default=["library", "studio", "folder"])
    parser.add_argument("--profile", type=Path, default=None, help="write pyinstrument profiles here")
    asyncio.run(main(parser.parse_args()))
