"""A live stream over the real log and a real relay: replay, then live, with nothing lost or doubled
at the seam, and nothing lost by a listener that falls behind its buffer."""

from __future__ import annotations

import asyncio

from domain.events.feed import follow
from domain.events.model import EventQuery
from domain.kernel.access import Actor, Role
from storage.events.live import EventRelay
from storage.events.log import SqlEventLogReads
from storage.events.maintenance import SqlEventLogMaintenance
from storage.sql.database import WRITE
from tests.builders import make_tenant
from tests.integration.events.test_commit_order import insert_event


async def commit_events(engine, org_id: int, subjects) -> None:
    async with engine.connect() as conn:
        await conn.execution_options(**{WRITE: True})
        async with conn.begin():
            for subject in subjects:
                await insert_event(conn, org_id, subject)


async def take(stream, n: int) -> list[int]:
    return [(await asyncio.wait_for(anext(stream), 10)).subject_id for _ in range(n)]


def relay_over(engine, *, buffer: int = 10_000) -> EventRelay:
    return EventRelay(
        SqlEventLogReads(engine), SqlEventLogMaintenance(engine), poll_seconds=0.01, buffer=buffer
    )


async def test_a_stream_from_a_cursor_replays_then_goes_on_live_without_a_gap_or_a_double(engine):
    tenant, other = await make_tenant(engine), await make_tenant(engine)
    actor = Actor(tenant.org_id, tenant.member_id, Role.VIEWER)
    reads = SqlEventLogReads(engine)
    relay = relay_over(engine)
    await SqlEventLogMaintenance(engine).sequence(wait=True)
    cursor = await reads.head()
    await commit_events(engine, tenant.org_id, [1, 2, 3])  # missed while away
    await relay.start()
    task = asyncio.create_task(relay.run())
    try:
        stream = follow(reads, relay, actor, query=EventQuery(after=cursor))
        first = asyncio.create_task(take(stream, 3))
        await commit_events(engine, other.org_id, [99])  # another organisation's: never shown
        await commit_events(engine, tenant.org_id, [4, 5])  # at the seam and after
        assert await first == [1, 2, 3]
        assert await take(stream, 2) == [4, 5]
        await stream.aclose()
        assert relay.listener_count == 0
    finally:
        task.cancel()


async def test_a_listener_that_falls_behind_reads_the_log_and_loses_nothing(engine):
    tenant = await make_tenant(engine)
    actor = Actor(tenant.org_id, tenant.member_id, Role.VIEWER)
    reads = SqlEventLogReads(engine)
    relay = relay_over(engine, buffer=5)  # a tiny buffer: 40 events overflow it
    await relay.start()
    task = asyncio.create_task(relay.run())
    try:
        stream = follow(reads, relay, actor, query=EventQuery())
        taking = asyncio.create_task(take(stream, 1))
        await asyncio.sleep(0)  # the stream listens from here
        await commit_events(engine, tenant.org_id, range(40))
        got = await taking + await take(stream, 39)
        assert got == list(range(40))
        await stream.aclose()
    finally:
        task.cancel()


async def test_types_narrow_a_stream(engine):
    tenant = await make_tenant(engine)
    actor = Actor(tenant.org_id, tenant.member_id, Role.VIEWER)
    reads = SqlEventLogReads(engine)
    relay = relay_over(engine)
    await relay.start()
    task = asyncio.create_task(relay.run())
    try:
        stream = follow(reads, relay, actor, query=EventQuery(types=frozenset({"asset.saved"})))
        taking = asyncio.create_task(asyncio.wait_for(anext(stream), 0.5))
        await asyncio.sleep(0)
        await commit_events(engine, tenant.org_id, [1])  # folder.created: not asked for
        try:
            await taking
            raise AssertionError("a folder event reached an asset.saved stream")
        except TimeoutError:
            pass
        await stream.aclose()
    finally:
        task.cancel()


async def test_a_relay_stops_at_once_when_it_is_cancelled_as_a_commit_pokes_it(engine):
    """A stopping server cancels its relay while requests still commit. With a poll of ten minutes,
    a cancellation that lands with a poke must still stop it (3.11's wait_for swallowed that one)."""
    relay = EventRelay(SqlEventLogReads(engine), SqlEventLogMaintenance(engine), poll_seconds=600)
    for _ in range(20):
        running = asyncio.create_task(relay.run())
        await asyncio.sleep(0.05)  # past its first round, waiting for a poke or the poll
        relay.poke()
        running.cancel()
        done, _ = await asyncio.wait([running], timeout=5)
        assert done, "the relay outwaited its cancellation"
