"""Webhook delivery throughput: N logged events through the real outbox to a receiver on loopback.

What it measures: deliveries per second from events committed to the log to each one accepted
(204) by a receiver that verifies its Standard Webhooks signature, with what the server runs:
`Webhooks.serve` (the dispatcher making one delivery row per event, the sender claiming
batches, signing with the standardwebhooks library, POSTing with httpx through the address
guard, and recording each attempt in its own transaction).

How: a fresh database (SQLite in a temporary folder, or `--database postgresql`: a database with
a random name on ATELIER_TEST_PG_URL, dropped at the end), one organisation, one webhook
subscribed to `folder.created`, N events committed at once about `--subjects` folders (events
of one subject go out one after another: order per subject), then the loop until the receiver
has every event. The receiver is a plain asyncio HTTP server in the same process and loop, so
its cost is in the figure.

Run from the repository root:

    .venv/bin/python bench/webhooks.py                           # 2,000 events, SQLite
    .venv/bin/python bench/webhooks.py --database postgresql --events 5000 --subjects 5000
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import tests.conftest as c
from domain.kernel.access import Actor, Role
from domain.library.events import FolderCreated
from domain.webhooks.model import DeliveryPolicy
from storage.sql.database import create_engine
from storage.sql.migrate import migrate
from storage.unit_of_work import SqlUnitOfWork
from storage.webhooks.sender import HttpWebhookSender
from tests.builders import make_tenant
from tests.services import sql_webhooks
from tests.webhook_receiver import Receiver


@dataclass(frozen=True)
class Delivered:
    events: int
    verified: int
    requests: int
    seconds: float

    @property
    def per_second(self) -> float:
        return self.events / self.seconds


async def measure(database: str, events: int, subjects: int, batch: int = 32) -> Delivered:
    """`events` events about `subjects` folders delivered on a fresh `database` (sqlite or postgresql)."""
    c.BACKEND = database
    if database == "postgresql":
        c.PG_ADMIN_URL = os.environ.get("ATELIER_TEST_PG_URL", c.PG_ADMIN_URL)
    url = await c.create_database(Path(tempfile.mkdtemp(prefix="atelier-webhooks-")))
    engine = create_engine(url)
    receiver = Receiver()
    sender = HttpWebhookSender(timeout=10, allow_private_networks=True)
    try:
        await migrate(engine)
        await receiver.start()
        tenant = await make_tenant(engine)
        actor = Actor(org_id=tenant.org_id, member_id=tenant.member_id, role=Role.ADMIN)
        webhooks = sql_webhooks(engine, sender, policy=DeliveryPolicy(batch=batch))
        made = await webhooks.create_webhook(actor, url=receiver.url, event_types=["folder.created"])
        receiver.secrets = [made.secret]
        now = datetime.now(UTC)
        async with SqlUnitOfWork(engine) as uow:
            for i in range(events):
                uow.record(FolderCreated.by(actor, 1 + i % subjects, now, name=f"Folder {i}"))
            await uow.commit()
        start = time.perf_counter()
        loop = asyncio.create_task(webhooks.serve("bench", poll_seconds=0.01))
        while len(receiver.delivered) < events:  # noqa: ASYNC110 (the receiver has no event to wait on)
            await asyncio.sleep(0.01)
        elapsed = time.perf_counter() - start
        loop.cancel()
        await asyncio.gather(loop, return_exceptions=True)
        verified = sum(1 for r in receiver.requests if r.verified_with == [0])
        return Delivered(events, verified, len(receiver.requests), elapsed)
    finally:
        await sender.close()
        await receiver.stop()
        await engine.dispose()
        await c.drop_database(url)


async def run(args: argparse.Namespace) -> None:
    d = await measure(args.database, args.events, args.subjects, args.batch)
    print(f"{args.events} events about {args.subjects} subject(s), {args.database}, batch {args.batch}")
    print(f"delivered and verified: {d.verified} of {d.requests} request(s)")
    print(f"webhook deliveries: {d.per_second:.0f} per second ({d.seconds:.2f} s)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--events", type=int, default=2_000)
    parser.add_argument("--subjects", type=int, default=2_000, help="distinct subjects the events are about")
    parser.add_argument("--batch", type=int, default=32, help="deliveries in flight (ATELIER_WEBHOOK_BATCH)")
    asyncio.run(run(parser.parse_args()))
