"""Cursors grow in commit order: no reader that has passed a cursor misses an event committed later.

The trap on PostgreSQL: a row id is taken when the row is inserted, so a transaction that
inserts first and commits last leaves a smaller id behind a larger one a reader has passed.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.events.model import EventQuery
from domain.events.services import Events
from domain.kernel.access import Actor, Role
from storage.clock import SystemClock
from storage.events import maintenance
from storage.events.live import EventRelay
from storage.events.log import SqlEventLogReads
from storage.events.maintenance import SqlEventLogMaintenance
from storage.sql import tables as t
from storage.sql.database import WRITE
from tests.conftest import BACKEND


async def insert_event(conn: AsyncConnection, org_id: int, subject_id: int) -> int:
    result = await conn.execute(
        sa.insert(t.events)
        .values(
            org_id=org_id,
            type="folder.created",
            version=1,
            subject_type="Folder",
            subject_id=subject_id,
            actor_id=None,
            payload={"name": f"F{subject_id}"},
            occurred_at=sa.func.now() if BACKEND == "postgresql" else sa.func.datetime("now"),
        )
        .returning(t.events.c.id)
    )
    return result.scalar_one()


@pytest.mark.skipif(BACKEND != "postgresql", reason="SQLite's writers are serial: transactions never overlap")
async def test_two_overlapping_transactions_committed_out_of_order_are_both_read(engine, tenant):
    reads, sequencer = SqlEventLogReads(engine), SqlEventLogMaintenance(engine)
    await sequencer.sequence(wait=True)
    start = await reads.head()
    early = await engine.connect()
    late = await engine.connect()
    try:
        await early.begin()
        early_id = await insert_event(early, tenant.org_id, 1)  # the smaller id ...
        await late.begin()
        late_id = await insert_event(late, tenant.org_id, 2)
        assert early_id < late_id
        await late.commit()  # ... commits last

        await sequencer.sequence(wait=True)
        first_read = await reads.read(tenant.org_id, EventQuery(after=start), limit=10)
        assert [e.subject_id for e in first_read] == [2]
        cursor = first_read[-1].seq

        await early.commit()
        await sequencer.sequence(wait=True)
        second_read = await reads.read(tenant.org_id, EventQuery(after=cursor), limit=10)
        assert [e.subject_id for e in second_read] == [1]  # after the cursor, not lost behind it
        assert second_read[0].seq == cursor + 1
        # what a reader by row id would have done: passed id `late_id`, and never seen `early_id`
        async with engine.connect() as conn:
            by_id = await conn.execute(
                sa.select(t.events.c.id).where(t.events.c.org_id == tenant.org_id, t.events.c.id > late_id)
            )
            assert by_id.all() == []
    finally:
        await early.close()
        await late.close()


@pytest.mark.skipif(BACKEND != "postgresql", reason="the sequencer numbers rows on PostgreSQL only")
async def test_an_uncommitted_event_holds_no_cursor_and_blocks_none_after_it(engine, tenant):
    reads, sequencer = SqlEventLogReads(engine), SqlEventLogMaintenance(engine)
    open_tx = await engine.connect()
    try:
        await open_tx.begin()
        await insert_event(open_tx, tenant.org_id, 10)
        async with engine.begin() as conn:
            await insert_event(conn, tenant.org_id, 11)
        await sequencer.sequence(wait=True)
        seen = await reads.read(tenant.org_id, EventQuery(), limit=10)
        assert [e.subject_id for e in seen] == [11]  # the committed one is not held back
        await open_tx.rollback()
        await sequencer.sequence(wait=True)
        assert [e.subject_id for e in await reads.read(tenant.org_id, EventQuery(), limit=10)] == [11]
    finally:
        await open_tx.close()


@pytest.mark.skipif(BACKEND != "sqlite", reason="SQLite numbers events in the inserting transaction")
async def test_sqlite_numbers_events_in_their_transaction_one_by_one(engine, tenant):
    reads = SqlEventLogReads(engine)
    start = await reads.head()
    async with engine.connect() as conn:
        await conn.execution_options(**{WRITE: True})
        async with conn.begin():
            for subject in (1, 2, 3):
                await insert_event(conn, tenant.org_id, subject)
            assert await reads.head() == start  # not visible before the commit
    events = await reads.read(tenant.org_id, EventQuery(after=start), limit=10)
    assert [(e.seq, e.subject_id) for e in events] == [(start + 1, 1), (start + 2, 2), (start + 3, 3)]
    assert await reads.head() == start + 3


async def test_the_data_version_counts_every_committed_event_numbering_waiting_ones_first(engine, tenant):
    reads, sequencer = SqlEventLogReads(engine), SqlEventLogMaintenance(engine)
    events = Events(reads, EventRelay(reads, sequencer), sequencer, SystemClock(), timedelta(days=30))
    actor = Actor(tenant.org_id, tenant.member_id, Role.VIEWER)
    await sequencer.sequence(wait=True)
    before = await reads.version(tenant.org_id)
    assert before.complete and before.cursor == await events.data_version(actor)
    async with engine.connect() as conn:
        await conn.execution_options(**{WRITE: True})
        async with conn.begin():
            await insert_event(conn, tenant.org_id, 21)
    waiting = await reads.version(tenant.org_id)
    if BACKEND == "postgresql":  # committed, not yet numbered: the read says so
        assert (waiting.cursor, waiting.complete) == (before.cursor, False)
    else:  # numbered in its own transaction (cursors are global: other organisations' events count too)
        assert waiting.cursor > before.cursor and waiting.complete
    assert await events.data_version(actor) > before.cursor
    assert (await reads.version(tenant.org_id)).complete


@pytest.mark.skipif(BACKEND != "postgresql", reason="the sequencer numbers rows on PostgreSQL only")
async def test_a_backlog_the_rounds_cannot_number_gives_no_version(engine, tenant, monkeypatch):
    reads, sequencer = SqlEventLogReads(engine), SqlEventLogMaintenance(engine)
    events = Events(reads, EventRelay(reads, sequencer), sequencer, SystemClock(), timedelta(days=30))
    actor = Actor(tenant.org_id, tenant.member_id, Role.VIEWER)
    await sequencer.sequence(wait=True)
    monkeypatch.setattr(maintenance, "BATCH", 2)  # three rounds number six
    async with engine.begin() as conn:
        for subject in range(7):  # an import's events ahead of ours
            await insert_event(conn, tenant.org_id, 100 + subject)
    assert await events.data_version(actor) is None
    assert not (await reads.version(tenant.org_id)).complete
    await sequencer.sequence(wait=True)  # the relay catches up: versions again
    assert await events.data_version(actor) == (await reads.version(tenant.org_id)).cursor
