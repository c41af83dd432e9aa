"""Subscription fan-out benchmark: commit-to-delivery latency through a real uvicorn server.

What it measures: how long an event takes from its commit to each subscriber's socket,
at 1, 100 and 1,000 subscribers. Every subscriber is a websocket client in this process
(graphql-transport-ws, the `websockets` package), subscribed to

    subscription { events(types: ["folder.created"]) { cursor type occurredAt } }

on one server (`uvicorn graph.server.asgi:app`). The script then makes R folders, one at
a time over HTTP, and waits until every subscriber has the event before the next. Latency
is each message's arrival time minus the event's `occurredAt`, which the server stamps in
the committing transaction (same host, same clock), so it covers the commit, the relay's
turn (or the Redis stream with `--redis-url`), the fan-out, execution of the selection and
the socket. Client and server share the machine's CPUs: with 1,000 clients in one client
process, the client's own event loop is part of the figure.

Run from the repository root:

    .venv/bin/python bench/subscriptions.py                         # SQLite, 30 events per row
    .venv/bin/python bench/subscriptions.py --events 50 --subscribers 1 100
    .venv/bin/python bench/subscriptions.py --redis-url redis://127.0.0.1:6379/0 \\
        --database-url postgresql+asyncpg://postgres@127.0.0.1:5432/test
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
from datetime import UTC, datetime
from pathlib import Path

import httpx
import orjson
import sqlalchemy as sa
from websockets.asyncio.client import ClientConnection, connect

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.fresh_database import BenchError, fresh_database
from bench.uvicorn_servers import server
from domain.kernel.access import Role
from domain.organisations.model import DEFAULT_CREDIT_BUDGET, DEFAULT_STORAGE_QUOTA_BYTES
from storage.demo import seeding
from storage.sql.database import create_engine
from storage.sql.migrate import migrate

SUBSCRIPTION = 'subscription { events(types: ["folder.created"]) { cursor type occurredAt } }'
CREATE = "mutation($n: String!) { createFolder(input: {name: $n}) { folder { id } userErrors { code } } }"
CONNECT_AT_ONCE = 100


async def organisation(url: str) -> str:
    """A fresh organisation with an admin token; the token."""
    engine = create_engine(url)
    token = "atl_" + secrets.token_urlsafe(32)
    try:
        await migrate(engine)
        async with engine.begin() as conn:
            org = await seeding.insert_organisation(
                conn,
                "bench",
                "Bench",
                storage_quota_bytes=DEFAULT_STORAGE_QUOTA_BYTES,
                credit_budget=DEFAULT_CREDIT_BUDGET,
            )
            member = await seeding.insert_member(conn, org, "Admin", "admin@bench", Role.ADMIN)
            await seeding.insert_token(conn, org, member, token)
    finally:
        await engine.dispose()
    return token


async def subscriber(url: str, token: str) -> ClientConnection:
    ws = await connect(url, subprotocols=["graphql-transport-ws"], max_queue=None)  # type: ignore[list-item]
    await ws.send(
        orjson.dumps({"type": "connection_init", "payload": {"authorization": f"Bearer {token}"}}).decode()
    )
    if orjson.loads(await ws.recv())["type"] != "connection_ack":
        raise BenchError("the server refused the token")
    await ws.send(orjson.dumps({"id": "1", "type": "subscribe", "payload": {"query": SUBSCRIPTION}}).decode())
    return ws


async def delivery(ws: ClientConnection) -> float:
    """Seconds from the next event's occurredAt to its arrival here."""
    message = orjson.loads(await ws.recv())
    arrived = datetime.now(UTC)
    if message.get("type") != "next":
        raise BenchError(f"unexpected message: {message}")
    occurred = datetime.fromisoformat(message["payload"]["data"]["events"]["occurredAt"])
    return (arrived - occurred).total_seconds()


async def row(base: str, token: str, subscribers: int, events: int) -> list[float]:
    """Latencies (s) of `events` events to each of `subscribers` sockets."""
    url = base.replace("http://", "ws://") + "/graphql"
    sockets: list[ClientConnection] = []
    try:
        for start in range(0, subscribers, CONNECT_AT_ONCE):
            batch = min(CONNECT_AT_ONCE, subscribers - start)
            sockets += await asyncio.gather(*(subscriber(url, token) for _ in range(batch)))
        async with httpx.AsyncClient(base_url=base, timeout=60) as http:

            async def commit(i: int) -> None:
                response = await http.post(
                    "/graphql",
                    json={"query": CREATE, "variables": {"n": f"f{subscribers}-{i}-{secrets.token_hex(3)}"}},
                    headers={"authorization": f"Bearer {token}"},
                )
                if response.json()["data"]["createFolder"]["userErrors"]:
                    raise BenchError(f"createFolder failed: {response.text}")

            # warm-up: every subscription is live once each socket has the first event
            await commit(-1)
            await asyncio.gather(*(delivery(ws) for ws in sockets))
            latencies: list[float] = []
            for i in range(events):
                waiting = [asyncio.ensure_future(delivery(ws)) for ws in sockets]
                await commit(i)
                latencies += await asyncio.gather(*waiting)
        return latencies
    finally:
        await asyncio.gather(*(ws.close() for ws in sockets), return_exceptions=True)


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--events", type=int, default=30, help="timed events per row (default 30)")
    parser.add_argument(
        "--subscribers", type=int, nargs="+", default=[1, 100, 1000], help="rows (default 1 100 1000)"
    )
    parser.add_argument("--database-url", help="a PostgreSQL server URL (default: SQLite in a temp folder)")
    parser.add_argument("--redis-url", help="fan out through a Redis stream (ATELIER_REDIS_URL)")
    return parser.parse_args(argv)


async def main(args: argparse.Namespace) -> None:
    async with contextlib.AsyncExitStack() as stack:
        data_dir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="atelier-bench-")))
        db = await stack.enter_async_context(fresh_database(args.database_url, data_dir))
        token = await organisation(db.url)
        env = {
            "ATELIER_DATABASE_URL": db.url,
            "ATELIER_DATA_DIR": str(data_dir),
            "ATELIER_WORKER": "off",
            "ATELIER_CLEANUP_INTERVAL_SECONDS": "0",
        }
        if args.redis_url:
            env |= {
                "ATELIER_REDIS_URL": args.redis_url,
                "ATELIER_REDIS_STREAM": f"bench:{secrets.token_hex(4)}",
            }
        base = await stack.enter_async_context(server("GraphQL", ["graph.server.asgi:app"], env))
        feed = "Redis stream" if args.redis_url else "in-process relay"
        print(f"database: {sa.make_url(db.url).get_backend_name()}; fan-out: {feed}; {os.cpu_count()} CPUs")
        heads = ("subscribers", "messages", "median ms", "p95 ms", "max ms", "wall s")
        print("  ".join(f"{h:>11}" for h in heads))
        for subscribers in args.subscribers:
            started = time.perf_counter()
            latencies = sorted(await row(base, token, subscribers, args.events))
            wall = time.perf_counter() - started
            p95 = latencies[max(0, int(len(latencies) * 0.95) - 1)]
            cells = (f"{subscribers:,}", f"{len(latencies):,}", f"{statistics.median(latencies) * 1000:.1f}")
            cells += (f"{p95 * 1000:.1f}", f"{latencies[-1] * 1000:.1f}", f"{wall:.1f}")
            print("  ".join(f"{c:>11}" for c in cells))


def run() -> int:
    try:
        asyncio.run(main(parse_args()))
    except BenchError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    except (KeyboardInterrupt, asyncio.CancelledError):
        print("interrupted; server stopped and temporary data removed", file=sys.stderr)
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(run())
