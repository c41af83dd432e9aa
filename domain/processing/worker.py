"""The worker: claims due jobs, has the image processor work on them, records the outcome.

Several workers (server processes, `atelier worker` processes) may run against one
database: the claim settles who takes which job, and each outcome is written only while
its worker still holds the job, so a worker that lost its lease changes nothing.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from domain.kernel.events import DomainEvent
from domain.kernel.leased_work import serve_leased
from domain.processing.events import PROCESSED, UNPROCESSABLE
from domain.processing.model import RENDITION_SIZES, Job, ProcessingError
from domain.processing.ports import UnprocessableImage

if TYPE_CHECKING:
    from domain.processing.services import Processing

log = logging.getLogger("atelier.processing")


async def claim(processing: Processing, worker: str, limit: int) -> list[Job]:
    """Claim up to `limit` due jobs; jobs whose earlier holders all died are failed here instead."""
    now = processing.clock.now()
    if limit <= 0 or not await processing.reads.due(now):
        return []  # the common idle case costs a read, never SQLite's write lock
    uow = processing.uow()
    async with uow:
        claimed = await uow.jobs.claim(worker, now, now + processing.policy.lease, limit)
        runnable = []
        for job in claimed:
            if job.out_of_attempts(processing.policy):
                await uow.jobs.fail(job, ProcessingError.LEASE_EXPIRED, now)
                uow.record(_unprocessable(job, ProcessingError.LEASE_EXPIRED, now))
            else:
                runnable.append(job)
        await uow.commit()
    return runnable


async def run_job(processing: Processing, job: Job) -> None:
    """Process one claimed job and record its outcome: DONE, QUEUED again later, or FAILED."""
    try:
        result = await processing.processor.process(job.source_area, job.source_key, RENDITION_SIZES)
    except UnprocessableImage as e:
        await _failed(processing, job, e.code)
        return
    except Exception:
        log.exception("processing job %d failed", job.id)  # a bug: the traceback is for us
        await _failed(processing, job, ProcessingError.INTERNAL)
        return
    now = processing.clock.now()
    uow = processing.uow()
    async with uow:
        if await uow.jobs.complete(job, result, now):
            uow.record(
                PROCESSED[job.subject](
                    org_id=job.org_id,
                    subject_id=job.subject_id,
                    actor_id=None,
                    occurred_at=now,
                    attempts=job.attempts,
                )
            )
            await uow.commit()


async def work_once(processing: Processing, worker: str, limit: int) -> int:
    """Claim a batch and process it to the end; how many jobs it claimed (tests and the CLI use it)."""
    jobs = await claim(processing, worker, limit)
    await asyncio.gather(*(run_job(processing, job) for job in jobs))
    return len(jobs)


async def serve(processing: Processing, worker: str, *, concurrency: int, poll_seconds: float) -> None:
    """Work until cancelled: keep up to `concurrency` jobs in flight, polling when there is nothing due."""

    async def claimed(limit: int) -> Sequence[Job]:
        return await claim(processing, worker, limit)

    async def run(job: Job) -> None:
        await run_job(processing, job)

    async def release(jobs: list[Job]) -> None:
        uow = processing.uow()
        async with uow:
            now = processing.clock.now()
            for job in jobs:
                await uow.jobs.release(job, now)
            await uow.commit()

    await serve_leased(
        what="processing jobs",
        claim=claimed,
        run=run,
        release=release,
        limit=concurrency,
        poll_seconds=poll_seconds,
        name=lambda job: f"processing-job-{job.id}",
        # the pool holds `concurrency` / 2 at work and as many waiting: claim when the waiting
        # ones have started, several jobs a transaction
        refill_at=concurrency // 2,
    )


async def _failed(processing: Processing, job: Job, error: ProcessingError) -> None:
    policy, now = processing.policy, processing.clock.now()
    uow = processing.uow()
    async with uow:
        if policy.gives_up_after(job.attempts, error):
            if not await uow.jobs.fail(job, error, now):
                return  # no longer held: its lease passed, or its subject was deleted with the job
            uow.record(_unprocessable(job, error, now))
            await uow.commit()
            log.info("processing job %d failed for good: %s", job.id, error.value)
        else:
            if not await uow.jobs.retry(job, error, policy.retry_at(now, job.attempts), now):
                return
            await uow.commit()
            log.info("processing job %d attempt %d failed: %s", job.id, job.attempts, error.value)


def _unprocessable(job: Job, error: ProcessingError, now: datetime) -> DomainEvent:
    return UNPROCESSABLE[job.subject](
        org_id=job.org_id,
        subject_id=job.subject_id,
        actor_id=None,
        occurred_at=now,
        attempts=job.attempts,
        error=error.value,
    )
