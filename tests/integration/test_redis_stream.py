"""The Redis stream relay on a real Redis and the test database: each event once, in cursor order, resumable."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncEngine

from domain.events.model import EventQuery
from storage.events.log import SqlEventLogReads
from storage.events.maintenance import SqlEventLogMaintenance
from storage.events.redis_stream import StreamPublisher, StreamRelay, connect_redis, seq_of
from storage.sql import tables as t
from tests.builders import Tenant

REDIS_URL = "redis://127.0.0.1:6379/0"


@pytest.fixture
async def redis() -> AsyncIterator[tuple[Redis, str]]:
    client = connect_redis(REDIS_URL)
    stream = f"atelier-test:{secrets.token_hex(6)}"  # parallel runs never share a stream
    yield client, stream
    await client.delete(stream)
    await client.aclose()


def parts(engine: AsyncEngine) -> tuple[SqlEventLogReads, SqlEventLogMaintenance]:
    return SqlEventLogReads(engine), SqlEventLogMaintenance(engine)


async def record(tenant: Tenant, n: int) -> list[int]:
    """n committed, sequenced events of the tenant; their cursors."""
    rows = [
        {
            "org_id": tenant.org_id,
            "type": "folder.created",
            "version": 1,
            "subject_type": "Folder",
            "subject_id": i + 1,
            "actor_id": None,
            "payload": {"n": i},
            "occurred_at": datetime.now(UTC),
        }
        for i in range(n)
    ]
    async with tenant.engine.begin() as conn:
        await conn.execute(sa.insert(t.events), rows)
    await SqlEventLogMaintenance(tenant.engine).sequence()  # PostgreSQL's sequencer; SQLite's trigger did it
    async with tenant.engine.connect() as conn:
        seqs = await conn.scalars(
            sa.select(t.events.c.seq)
            .where(t.events.c.org_id == tenant.org_id)
            .order_by(t.events.c.seq.desc())
            .limit(n)
        )
        return sorted(seqs)


async def stream_ids(redis: Redis, stream: str) -> list[int]:
    return [seq_of(entry_id) for entry_id, _ in await redis.xrange(stream)]


class TestPublishing:
    async def test_two_publishers_add_each_event_once_under_its_cursor(self, engine, tenant, redis):
        client, stream = redis
        one = StreamPublisher(client, stream, *parts(engine), maxlen=10_000)
        two = StreamPublisher(client, stream, *parts(engine), maxlen=10_000)
        await one.step()
        await two.step()  # both start at the log's head: a new stream owes nothing from before
        seqs = await record(tenant, 30)
        await asyncio.gather(one.step(), two.step())
        await asyncio.gather(one.step(), two.step())
        ids = await stream_ids(client, stream)
        assert ids == list(range(ids[0], ids[-1] + 1))  # consecutive: none doubled, none skipped
        assert set(seqs) <= set(ids)

    async def test_a_restarted_publisher_resumes_from_the_streams_last_cursor(self, engine, tenant, redis):
        client, stream = redis
        first = StreamPublisher(client, stream, *parts(engine), maxlen=10_000)
        await first.step()
        before = await record(tenant, 3)
        await first.step()
        del first  # crashed: nothing of it survives but the stream
        missed = await record(tenant, 5)  # committed while no publisher ran
        restarted = StreamPublisher(client, stream, *parts(engine), maxlen=10_000)
        await restarted.step()
        ids = await stream_ids(client, stream)
        assert ids == list(range(ids[0], ids[-1] + 1))
        assert set(before) | set(missed) <= set(ids)
        assert restarted.position == ids[-1]


class TestReading:
    async def test_listeners_get_the_streams_events_and_a_gap_is_filled_from_the_log(
        self, engine, tenant, redis
    ):
        client, stream = redis
        reads, maintenance = parts(engine)
        relay = StreamRelay(client, stream, reads, maintenance, maxlen=10_000)
        await relay.start()
        listener = relay.listen(tenant.org_id)
        seqs = await record(tenant, 5)
        # only the last event reaches the stream (the others trimmed, or lost with a Redis restart)
        last = (await reads.read(tenant.org_id, _after(seqs[-1] - 1), limit=1))[0]
        await relay.publisher._add([last])
        await relay.read_once(block_ms=None)
        got = [await listener.next() for _ in seqs]
        assert [e.seq for e in got if e is not None and e.org_id == tenant.org_id] == seqs
        assert got[-1] == last  # the stream's copy is the log's event
        listener.close()
        assert relay.listener_count == 0

    async def test_the_running_relay_delivers_what_a_commit_publishes_and_stops_cleanly(
        self, engine, tenant, redis
    ):
        client, stream = redis
        relay = StreamRelay(
            connect_redis(REDIS_URL), stream, *parts(engine), maxlen=10_000, poll_seconds=0.05
        )
        await relay.start()  # run() starts it too; here the listener must exist before the commit
        task = asyncio.create_task(relay.run())
        listener = relay.listen(tenant.org_id)
        seqs = await record(tenant, 4)
        relay.poke()
        got = [await asyncio.wait_for(listener.next(), 20) for _ in seqs]
        assert [e.seq for e in got if e is not None] == seqs
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert set(seqs) <= set(await stream_ids(client, stream))

    async def test_a_relay_stops_at_once_when_it_is_cancelled_as_a_commit_pokes_it(self, engine, redis):
        """With a poll of ten minutes, a cancellation that lands with a poke must still stop it."""
        _, stream = redis
        for _ in range(10):
            relay = StreamRelay(
                connect_redis(REDIS_URL), stream, *parts(engine), maxlen=10_000, poll_seconds=600
            )
            running = asyncio.create_task(relay.run())
            await asyncio.sleep(0.1)  # both loops past their first round, waiting
            relay.poke()
            running.cancel()
            done, _ = await asyncio.wait([running], timeout=5)
            assert done, "the relay outwaited its cancellation"


def _after(seq: int) -> EventQuery:
    return EventQuery(after=seq)
