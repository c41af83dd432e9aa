"""Execution time of the most expensive queries the cost limit still accepts, on a seeded library.

What it measures: seeds one organisation with N assets (as bench/library_page.py
does), builds the app in process, grows each hostile query shape until the next
step would pass `ATELIER_MAX_QUERY_COST`, and prints for the largest accepted one
its cost, the median time through the ASGI app, and the response size; then the
same for the README's library page as the yardstick. The attack of issue 9 is
shown refused.

Run from the repository root:

    .venv/bin/python bench/cost_worst_case.py [--assets 2000] [--database-url postgresql+asyncpg://...]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import httpx
from asgi_lifespan import LifespanManager
from rich.console import Console

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.fresh_database import fresh_database
from bench.library_seed import seed
from bench.uvicorn_servers import ROOT
from graph.server.app import create_app
from graph.server.settings import Settings
from storage.sql.database import create_engine
from storage.sql.migrate import migrate

ASSET = "id name altText width height createdAt"
README_LIBRARY_PAGE = (ROOT / "README.md").read_text().split("```graphql\n")[1].split("```")[0]

SHAPES: dict[str, Callable[[int], str]] = {
    "assets(first: n) with tags and each tag's 20 assets": lambda n: (
        f"{{ assets(first: {n}) {{ edges {{ node {{ {ASSET} tags {{ name "
        f"assets(first: 20) {{ edges {{ node {{ {ASSET} }} }} }} }} }} }} }} }}"
    ),
    "tags(first: 100) each with assets(first: n) and their tags": lambda n: (
        f"{{ tags(first: 100) {{ edges {{ node {{ name assets(first: {n}) {{ edges {{ node {{ {ASSET} "
        f"tags {{ name }} projects {{ name }} }} }} }} }} }} }} }}"
    ),
    "n aliases of the library page": lambda n: (
        "{ "
        + " ".join(
            f"a{i}: assets(first: 100) {{ edges {{ node {{ {ASSET} tags {{ name }} projects {{ name }} "
            f"generation {{ prompt seed likeCount }} }} }} }}"
            for i in range(n)
        )
        + " }"
    ),
}
ATTACK = (
    "{ a: nodes(ids: [IDS]) { ... on Asset { tags { assets(first: 100) { edges { node { "
    "tags { assets(first: 100) { edges { node { id name } } } } } } } } } } }"
)


async def post(client: httpx.AsyncClient, token: str, query: str) -> tuple[httpx.Response, float]:
    began = time.perf_counter()
    response = await client.post(
        "/graphql", json={"query": query}, headers={"authorization": f"Bearer {token}"}
    )
    return response, (time.perf_counter() - began) * 1000


def cost_of(response: httpx.Response) -> int:
    body = response.json()
    if body.get("errors"):
        return int(body["errors"][0].get("extensions", {}).get("cost", 10**12))
    return int(body["extensions"]["cost"])


async def largest_accepted(client: httpx.AsyncClient, token: str, shape: Callable[[int], str]) -> int:
    n = 1
    while n < 100 and cost_of((await post(client, token, shape(n + 1)))[0]) <= Settings().max_query_cost:
        n += 1
    return n


async def timed(client: httpx.AsyncClient, token: str, query: str, runs: int = 5) -> tuple[int, float, int]:
    times, size, cost = [], 0, 0
    for _ in range(runs):
        response, ms = await post(client, token, query)
        assert response.status_code == 200 and "errors" not in response.json(), response.text[:300]
        times.append(ms)
        size, cost = len(response.content), cost_of(response)
    return cost, statistics.median(times), size


async def main(args: argparse.Namespace) -> None:
    console = Console(stderr=True)
    with tempfile.TemporaryDirectory() as tmp:
        async with fresh_database(args.database_url, Path(tmp)) as database:
            engine = create_engine(database.url)
            await migrate(engine)
            seeded = await seed(engine, args.assets, console)
            await engine.dispose()
            settings = Settings(data_dir=Path(tmp), database_url=database.url, cleanup_interval_seconds=0)
            app = create_app(settings)
            async with (
                LifespanManager(app) as manager,
                httpx.AsyncClient(transport=httpx.ASGITransport(app=manager.app), base_url="http://b") as c,
            ):
                print(f"{database.backend}, {args.assets} assets, limit {settings.max_query_cost}")
                cost, ms, size = await timed(c, seeded.token, README_LIBRARY_PAGE)
                line = "{:<66} cost {:>7}  {:8.1f} ms  {:>9} bytes"
                print(line.format("README library page (50 assets)", cost, ms, size))
                for name, shape in SHAPES.items():
                    n = await largest_accepted(c, seeded.token, shape)
                    cost, ms, size = await timed(c, seeded.token, shape(n))
                    print(line.format(f"{name} (n={n})", cost, ms, size))
                ids = ", ".join(f'"{i}"' for i in ["QXNzZXQ6MQ=="] * 100)
                response, ms = await post(c, seeded.token, ATTACK.replace("IDS", ids))
                error = response.json()["errors"][0]["extensions"]
                attack = "the attack of issue 9 (one of its five aliases)"
                print(f"{attack:<66} {error['code']}, cost {error['cost']}, refused in {ms:.1f} ms")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--assets", type=int, default=2_000)
    parser.add_argument("--database-url", default=None, help="a PostgreSQL server URL; SQLite when left out")
    asyncio.run(main(parser.parse_args()))
