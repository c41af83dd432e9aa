"""Retention of the log: the oldest events go by cursor, and cursors before them expire loudly."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from domain.events.errors import CursorExpired
from domain.events.model import EventQuery
from domain.events.services import Events
from domain.kernel.access import Actor, Role
from storage.events.live import EventRelay
from storage.events.log import SqlEventLogReads
from storage.events.maintenance import SqlEventLogMaintenance
from storage.sql import tables as t
from storage.sql.database import create_engine
from storage.sql.migrate import migrate
from tests.builders import make_tenant
from tests.conftest import create_database, drop_database

NOW = datetime(2026, 11, 30, 12, tzinfo=UTC)


class FixedClock:
    def now(self) -> datetime:
        return NOW


@pytest.fixture
async def own_engine(tmp_path):
    """A database of its own: retention deletes across the whole log."""
    url = await create_database(tmp_path)
    engine = create_engine(url)
    await migrate(engine)
    yield engine
    await engine.dispose()
    await drop_database(url)


async def add(engine, org_id: int, age_days: float, subject: int) -> None:
    async with engine.begin() as conn:
        await conn.execute(
            sa.insert(t.events).values(
                org_id=org_id,
                type="folder.created",
                version=1,
                subject_type="Folder",
                subject_id=subject,
                payload={},
                occurred_at=NOW - timedelta(days=age_days),
            )
        )


async def test_events_past_the_window_go_and_an_older_cursor_is_expired(own_engine):
    engine = own_engine
    tenant = await make_tenant(engine)
    reads, maintenance = SqlEventLogReads(engine), SqlEventLogMaintenance(engine)
    events = Events(
        reads=reads,
        live=EventRelay(reads, maintenance),
        maintenance=maintenance,
        clock=FixedClock(),
        retention=timedelta(days=30),
    )
    for subject, age in enumerate((90, 60, 31, 29, 1), start=1):
        await add(engine, tenant.org_id, age, subject)
    actor = Actor(tenant.org_id, tenant.member_id, Role.VIEWER)
    page = await events.feed(actor, query=EventQuery(), first=10)
    first_cursor = page.events[0].seq

    assert await events.prune() == 3
    page = await events.feed(actor, query=EventQuery(), first=10)
    assert [e.subject_id for e in page.events] == [4, 5]
    assert await reads.pruned_through() == page.events[0].seq - 1

    with pytest.raises(CursorExpired):
        await events.feed(actor, query=EventQuery(after=first_cursor), first=10)
    # the last deleted cursor itself reads on without a gap: nothing after it was deleted
    kept = await events.feed(actor, query=EventQuery(after=await reads.pruned_through()), first=10)
    assert [e.subject_id for e in kept.events] == [4, 5]
    assert await events.prune() == 0


async def test_retention_deletes_in_bounded_batches(own_engine):
    engine = own_engine
    tenant = await make_tenant(engine)
    maintenance = SqlEventLogMaintenance(engine)
    for subject in range(7):
        await add(engine, tenant.org_id, 40, subject)
    await maintenance.sequence(wait=True)
    assert await maintenance.prune(before=NOW - timedelta(days=30), limit=3) == 3
    assert await maintenance.prune(before=NOW - timedelta(days=30), limit=3) == 3
    assert await maintenance.prune(before=NOW - timedelta(days=30), limit=3) == 1
    assert await maintenance.prune(before=NOW - timedelta(days=30), limit=3) == 0
