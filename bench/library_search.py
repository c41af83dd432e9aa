"""Finding assets at scale: the library page, full-text search and facets over 100,000 assets.

What it measures, each as the median and p95 of R requests through the whole GraphQL
stack (the ASGI app in process: authentication, parsing, validation, cost, execution,
loaders; no network), on a fresh database seeded by bench/library_seed.py:

- the library page: `assets(first: 50)` with folder, tags and projects;
- search for a rare word (one asset) and a common one (about 1 asset in 8), newest
  first and by relevance, with the same relations;
- facets: all seven of the library, and of the common word's matches.

Every figure is also taken for the read port alone (the SQL statement and its rows
mapped to domain objects), which is what the database does.

Run from the repository root:

    .venv/bin/python bench/library_search.py                     # SQLite, 100,000 assets
    .venv/bin/python bench/library_search.py --assets 20000 --requests 20
    .venv/bin/python bench/library_search.py \\
        --database-url postgresql+asyncpg://postgres@127.0.0.1:5432/test
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.seeded_app import seeded_app, timed
from domain.kernel.pagination import PageRequest
from domain.library.filters import AssetFilter
from domain.search.model import FACET_LIMIT, AssetQuery, AssetSort, SearchText, SortField
from graph.server.bootstrap import Adapters

RARE = "4242"  # every prompt ends with "(take N)": one asset holds this word
COMMON = "lighthouse"  # one subject in eight

NODE = "edges { cursor node { id name altText folder { id name } tags { id name } projects { id name } } }"
PAGE = "query($s: String, $sort: AssetSort) { assets(first: 50, search: $s, sort: $sort) { " + NODE + " } }"
FACETS = """query($s: String) { assets(first: 0, search: $s) { totalCount facets {
  tags { value count tag { name } } projects { value count project { name } }
  folders { value count folder { name } } mimeTypes { value count } aiGenerated { value count }
  providers { value count } models { value count } } } }"""

COUNT = "query($s: String) { assets(search: $s) { totalCount } }"

NEWEST = None
RELEVANCE = {"field": "RELEVANCE", "direction": "DESC"}


def search_cases(rare: str = RARE) -> list[tuple[str, str, dict[str, Any]]]:
    """(name, document, variables) of each case; `rare` a word that one asset holds."""
    return [
        ("library page (50, newest first)", PAGE, {"s": None, "sort": NEWEST}),
        (f"search rare '{rare}', newest first", PAGE, {"s": rare, "sort": NEWEST}),
        (f"search rare '{rare}', by relevance", PAGE, {"s": rare, "sort": RELEVANCE}),
        (f"search common '{COMMON}', newest first", PAGE, {"s": COMMON, "sort": NEWEST}),
        (f"search common '{COMMON}', by relevance", PAGE, {"s": COMMON, "sort": RELEVANCE}),
        ("facets (all 7), whole library", FACETS, {"s": None}),
        (f"facets (all 7), '{COMMON}'", FACETS, {"s": COMMON}),
    ]


CASES = search_cases()


def _port_calls(adapters: Adapters, org: int) -> list[Callable[[], Awaitable[Any]]]:
    reads = adapters.reads.search
    first = PageRequest(first=50)

    def query(words: str | None, sort: AssetSort = AssetSort()) -> AssetQuery:
        return AssetQuery(AssetFilter(), SearchText.parse(words), sort)

    by_rank = AssetSort(SortField.RELEVANCE)
    kinds = ("tag", "project", "folder", "mime_type", "ai_generated", "provider", "model")

    async def facets(words: str | None) -> None:
        await reads.facets(org, query(words), kinds, FACET_LIMIT)  # type: ignore[arg-type]

    return [
        lambda: reads.page(org, query(None), first),
        lambda: reads.page(org, query(RARE), first),
        lambda: reads.page(org, query(RARE, by_rank), first),
        lambda: reads.page(org, query(COMMON), first),
        lambda: reads.page(org, query(COMMON, by_rank), first),
        lambda: facets(None),
        lambda: facets(COMMON),
    ]


async def main(n_assets: int, requests: int, database_url: str | None) -> None:
    console = Console()
    async with seeded_app(n_assets, database_url, console) as bench:
        table = Table(title=f"{n_assets:,} assets, {bench.database.backend}, {requests} requests per row")
        for column in ("case", "matches", "GraphQL median / p95 ms", "read port median / p95 ms"):
            table.add_column(column)
        for (name, document, variables), port_call in zip(
            CASES, _port_calls(bench.adapters, bench.seeded.org_id), strict=True
        ):
            count = await bench.gql(COUNT, {"s": variables.get("s")})
            g_median, g_p95 = await timed(lambda d=document, v=variables: bench.gql(d, v), requests)
            p_median, p_p95 = await timed(port_call, requests)
            matches = count["assets"]["totalCount"]
            table.add_row(
                name, f"{matches:,}", f"{g_median:.1f} / {g_p95:.1f}", f"{p_median:.2f} / {p_p95:.2f}"
            )
        console.print(table)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--assets", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--database-url", default=None, help="a PostgreSQL server; SQLite when omitted")
    args = parser.parse_args()
    asyncio.run(main(args.assets, args.requests, args.database_url))
