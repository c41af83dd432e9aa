"""The database as configured: SQLite pragmas, the unit of work's transaction, concurrent readers."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from domain.organisations.events import MemberCreated
from storage.reads import SqlReads
from storage.sql import tables as t
from storage.sql.database import is_sqlite
from storage.sql.sqlite_driver import MMAP_BYTES
from storage.unit_of_work import SqlUnitOfWork
from tests.builders import make_tenant


async def test_sqlite_runs_in_wal_mode_with_foreign_keys_and_a_busy_timeout(engine):
    if not is_sqlite(engine):
        pytest.skip("SQLite only")
    async with engine.connect() as conn:
        assert (await conn.exec_driver_sql("PRAGMA journal_mode")).scalar() == "wal"
        assert (await conn.exec_driver_sql("PRAGMA foreign_keys")).scalar() == 1
        assert (await conn.exec_driver_sql("PRAGMA busy_timeout")).scalar() == 10_000


async def test_sqlite_reads_map_the_file(engine):
    if not is_sqlite(engine):
        pytest.skip("SQLite only")
    async with engine.connect() as conn:
        assert (await conn.exec_driver_sql("PRAGMA mmap_size")).scalar() == MMAP_BYTES > 0


async def test_foreign_keys_are_enforced(engine):
    tenant = await make_tenant(engine)
    with pytest.raises(sa.exc.IntegrityError):
        await tenant.asset("orphan", folder_id=10**12)


class TestUnitOfWork:
    async def test_changes_and_events_commit_together(self, engine):
        tenant = await make_tenant(engine)
        now = datetime.now(UTC)
        async with SqlUnitOfWork(engine) as uow:
            member = await uow.members.add(
                tenant.org_id, name="New", email="new@x", role=tenant_role(), created_at=now
            )
            uow.record(
                MemberCreated(
                    org_id=tenant.org_id, subject_id=member.id, actor_id=None, occurred_at=now, role="viewer"
                )
            )
            await uow.commit()
        async with engine.connect() as conn:
            rows = (await conn.execute(sa.select(t.events).where(t.events.c.org_id == tenant.org_id))).all()
        assert [(r.type, r.version, r.subject_type, r.subject_id, r.payload) for r in rows] == [
            ("member.created", 1, "Member", member.id, {"role": "viewer"})
        ]

    async def test_leaving_without_commit_rolls_back_changes_and_events(self, engine):
        tenant = await make_tenant(engine)
        now = datetime.now(UTC)
        with pytest.raises(RuntimeError):
            async with SqlUnitOfWork(engine) as uow:
                await uow.members.add(
                    tenant.org_id, name="Ghost", email="ghost@x", role=tenant_role(), created_at=now
                )
                uow.record(
                    MemberCreated(
                        org_id=tenant.org_id, subject_id=1, actor_id=None, occurred_at=now, role="x"
                    )
                )
                raise RuntimeError("crash mid-transaction")
        async with engine.connect() as conn:
            ghosts = (await conn.execute(sa.select(t.members).where(t.members.c.email == "ghost@x"))).all()
            events = (await conn.execute(sa.select(t.events).where(t.events.c.org_id == tenant.org_id))).all()
        assert ghosts == [] and events == []

    async def test_concurrent_writers_queue_instead_of_failing(self, engine):
        tenant = await make_tenant(engine)

        async def add(i: int) -> None:
            async with SqlUnitOfWork(engine) as uow:
                # read, then write: a deferred SQLite transaction would fail here with "database is locked"
                assert await uow.members.get_by_email(tenant.org_id, f"m{i}@x") is None
                await uow.members.add(
                    tenant.org_id,
                    name=f"m{i}",
                    email=f"m{i}@x",
                    role=tenant_role(),
                    created_at=datetime.now(UTC),
                )
                await asyncio.sleep(0.01)  # hold the write lock while others wait
                await uow.commit()

        await asyncio.gather(*(add(i) for i in range(8)))
        async with engine.connect() as conn:
            count = (
                await conn.execute(
                    sa.select(sa.func.count())
                    .select_from(t.members)
                    .where(t.members.c.org_id == tenant.org_id)
                )
            ).scalar()
        assert count == 9


def tenant_role():
    from domain.kernel.access import Role

    return Role.EDITOR


@pytest.mark.usefixtures("engine")  # the session's engine migrates the database this test opens anew
async def test_reads_fan_out_concurrently_on_a_cold_pool(database_url):
    """graphql-core resolves sibling loaders at once; each read takes its own connection."""
    from storage.sql.database import create_engine

    engine = create_engine(database_url, pool_size=2)
    try:
        tenant = await make_tenant(engine)
        folder = await tenant.folder("F")
        asset = await tenant.asset("A", folder_id=folder)
        reads = SqlReads.over(engine)
        results = await asyncio.gather(
            *[reads.library.folders_by_ids(tenant.org_id, [folder]) for _ in range(10)],
            *[reads.library.assets_by_ids(tenant.org_id, [asset]) for _ in range(10)],
        )
        assert [
            (list(r), r[key].name) for r, key in zip(results, [folder] * 10 + [asset] * 10, strict=True)
        ] == [([folder], "F")] * 10 + [([asset], "A")] * 10
    finally:
        await engine.dispose()


async def test_sqlite_reads_run_without_a_transaction_and_writes_take_the_lock_up_front(engine):
    if not is_sqlite(engine):
        pytest.skip("SQLite only")
    # each statement with the connection that ran it: a background task left by an earlier test may
    # share the pool, and only what this test's own connections ran is asserted
    seen: list[tuple[object, str]] = []

    def spy(conn, cursor, statement, *args):
        seen.append((conn, statement))

    def ran_on(conn) -> list[str]:
        return [statement for who, statement in seen if who is conn]

    sa.event.listen(engine.sync_engine, "before_cursor_execute", spy)
    try:
        async with engine.connect() as conn:
            await conn.execute(sa.select(1))
            assert ran_on(conn.sync_connection) == ["SELECT 1"]
        async with SqlUnitOfWork(engine) as uow:
            raw = uow.connection.sync_connection.connection.dbapi_connection._connection._connection
            assert raw.in_transaction
            assert ran_on(uow.connection.sync_connection) == ["BEGIN IMMEDIATE"]
    finally:
        sa.event.remove(engine.sync_engine, "before_cursor_execute", spy)
