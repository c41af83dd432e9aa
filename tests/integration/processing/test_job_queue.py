"""The SQL job queue: claims that never overlap, leases that pass, holders that lose their claim."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from domain.processing.model import JobState, ProcessingError
from storage.sql import tables as t
from storage.sql.database import create_engine
from storage.unit_of_work import SqlUnitOfWork
from tests.builders import make_tenant
from tests.unit.fakes import FakeImageProcessor

T0 = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
LEASE = timedelta(minutes=1)


async def enqueue(engine: AsyncEngine, org_id: int, ids: range, at: datetime = T0) -> None:
    async with SqlUnitOfWork(engine) as uow:
        await uow.jobs.enqueue(org_id, "asset", {i: f"{i:064x}" for i in ids}, at)
        await uow.commit()


async def claim(engine: AsyncEngine, worker: str, now: datetime, limit: int = 10):
    async with SqlUnitOfWork(engine) as uow:
        jobs = await uow.jobs.claim(worker, now, now + LEASE, limit)
        await uow.commit()
    return jobs


async def row(engine: AsyncEngine, org_id: int, subject_id: int):
    j = t.jobs
    async with engine.connect() as conn:
        return (
            await conn.execute(sa.select(j).where(j.c.org_id == org_id, j.c.subject_id == subject_id))
        ).one()


class TestClaims:
    async def test_a_claim_takes_the_oldest_due_jobs_counts_an_attempt_and_leases_them(self, engine):
        tenant = await make_tenant(engine)
        await enqueue(engine, tenant.org_id, range(1, 4), T0)
        await enqueue(engine, tenant.org_id, range(4, 5), T0 + timedelta(hours=1))  # not due yet
        jobs = await claim(engine, "w1", T0 + timedelta(seconds=1), limit=2)
        assert sorted(j.subject_id for j in jobs) in ([1, 2], [1, 3], [2, 3])
        assert all((j.state, j.attempts, j.claimed_by) == (JobState.RUNNING, 1, "w1") for j in jobs)
        first = await row(engine, tenant.org_id, jobs[0].subject_id)
        assert first.due_at == T0 + timedelta(seconds=1) + LEASE
        rest = await claim(engine, "w2", T0 + timedelta(seconds=1))
        assert len(rest) == 1 and rest[0].subject_id not in {j.subject_id for j in jobs}

    async def test_two_claimers_at_once_never_take_the_same_job(self, engine):
        tenant = await make_tenant(engine)
        await enqueue(engine, tenant.org_id, range(1, 11))
        now = T0 + timedelta(seconds=1)
        first = SqlUnitOfWork(engine)
        async with first:
            mine = await first.jobs.claim("w1", now, now + LEASE, 5)
            # the second claimer runs while the first one's transaction is still open: on
            # PostgreSQL it skips the locked rows, on SQLite it waits for the commit
            second = asyncio.create_task(claim(engine, "w2", now))
            await asyncio.sleep(0.2)
            await first.commit()
        theirs = await second
        assert len(mine) == 5 and len(theirs) == 5
        assert {j.subject_id for j in mine} | {j.subject_id for j in theirs} == set(range(1, 11))

    async def test_many_concurrent_claimers_split_the_jobs_without_overlap(self, engine):
        tenant = await make_tenant(engine)
        await enqueue(engine, tenant.org_id, range(1, 41))
        now = T0 + timedelta(seconds=1)
        claims = await asyncio.gather(*(claim(engine, f"w{i}", now, limit=8) for i in range(6)))
        taken = [j.subject_id for jobs in claims for j in jobs]
        assert sorted(taken) == list(range(1, 41))  # each exactly once, none left out

    async def test_a_job_whose_lease_passed_is_claimed_again_and_its_first_holder_writes_nothing(
        self, engine
    ):
        tenant = await make_tenant(engine)
        await enqueue(engine, tenant.org_id, range(1, 2))
        [dead] = await claim(engine, "dead", T0)
        assert await claim(engine, "w2", T0 + LEASE - timedelta(seconds=1)) == []
        [again] = await claim(engine, "w2", T0 + LEASE)
        assert (again.id, again.attempts, again.claimed_by) == (dead.id, 2, "w2")
        async with SqlUnitOfWork(engine) as uow:
            assert not await uow.jobs.complete(dead, FakeImageProcessor.RESULT, T0 + LEASE)
            assert not await uow.jobs.retry(dead, ProcessingError.INTERNAL, T0 + LEASE, T0 + LEASE)
            assert await uow.jobs.complete(again, FakeImageProcessor.RESULT, T0 + LEASE)
            await uow.commit()
        done = await row(engine, tenant.org_id, 1)
        assert (done.state, done.due_at, done.claimed_by, done.attempts) == ("done", None, None, 2)

    async def test_queuing_again_resets_a_failed_job(self, engine):
        tenant = await make_tenant(engine)
        await enqueue(engine, tenant.org_id, range(1, 2))
        [job] = await claim(engine, "w1", T0)
        async with SqlUnitOfWork(engine) as uow:
            assert await uow.jobs.fail(job, ProcessingError.UNREADABLE_IMAGE, T0)
            await uow.commit()
        assert (await row(engine, tenant.org_id, 1)).state == "failed"
        await enqueue(engine, tenant.org_id, range(1, 2), T0 + timedelta(hours=1))
        again = await row(engine, tenant.org_id, 1)
        assert (again.id, again.state, again.attempts, again.last_error, again.due_at) == (
            job.id,
            "queued",
            0,
            None,
            T0 + timedelta(hours=1),
        )

    async def test_queued_jobs_survive_a_restart(self, engine, database_url):
        tenant = await make_tenant(engine)
        await enqueue(engine, tenant.org_id, range(1, 3))
        restarted = create_engine(database_url)  # a new process: new engine, nothing in memory
        try:
            assert len(await claim(restarted, "after-restart", T0 + timedelta(seconds=1))) == 2
        finally:
            await restarted.dispose()

    async def test_a_rolled_back_change_queues_nothing(self, engine):
        tenant = await make_tenant(engine)
        async with SqlUnitOfWork(engine) as uow:
            await uow.jobs.enqueue(tenant.org_id, "asset", {1: "0" * 64}, T0)
            # no commit: leaving rolls back
        assert await claim(engine, "w1", T0 + timedelta(seconds=1)) == []

    async def test_a_released_job_is_due_at_once_with_its_attempt_uncounted_and_its_last_error_kept(
        self, engine
    ):
        tenant = await make_tenant(engine)
        await enqueue(engine, tenant.org_id, range(1, 2))
        [job] = await claim(engine, "w1", T0)
        async with SqlUnitOfWork(engine) as uow:
            assert await uow.jobs.retry(job, ProcessingError.WORKER_CRASHED, T0, T0)
            await uow.commit()
        [job] = await claim(engine, "w1", T0 + timedelta(seconds=1))
        async with SqlUnitOfWork(engine) as uow:
            assert await uow.jobs.release(job, T0 + timedelta(seconds=2))
            assert not await uow.jobs.release(job, T0 + timedelta(seconds=2))  # no longer held
            await uow.commit()
        released = await row(engine, tenant.org_id, 1)
        assert (
            released.state,
            released.attempts,
            released.claimed_by,
            released.last_error,
            released.due_at,
        ) == (
            "queued",
            1,
            None,
            "WORKER_CRASHED",
            T0 + timedelta(seconds=2),
        )
