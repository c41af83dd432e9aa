"""The job queue over SQL: one row per subject in `jobs`, claimed with a single UPDATE.

The claim is `UPDATE jobs ... WHERE id IN (SELECT id ... ORDER BY due_at LIMIT n FOR UPDATE
SKIP LOCKED) RETURNING ...`. On PostgreSQL SKIP LOCKED lets concurrent claimers pass each
other's rows instead of queuing on them; SQLite ignores the clause and needs none, since
its writing transactions (BEGIN IMMEDIATE) run one at a time. Every write after the claim
names the holder and its attempt, so a worker whose lease passed writes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from domain.processing.model import Job, JobState, JobSubject, ProcessedImage, ProcessingError
from storage.sql import tables as t
from storage.sql.repository import Repository

J = t.jobs
KIND = "image"


def job(row: Any) -> Job:
    """A `jobs` row as the domain's Job."""
    return Job(
        id=row.id,
        org_id=row.org_id,
        subject=row.subject_type,
        subject_id=row.subject_id,
        source_key=row.source_key,
        state=JobState(row.state),
        attempts=row.attempts,
        claimed_by=row.claimed_by,
    )


class SqlJobQueue(Repository):
    """JobQueue over SQL, in the unit of work's transaction."""

    async def enqueue(
        self, org_id: int, subject: JobSubject, sources: Mapping[int, str], at: datetime
    ) -> None:
        if not sources:
            return
        dialect = postgresql if self._conn.dialect.name == "postgresql" else sqlite
        insert = dialect.insert(J).values(
            [
                {
                    "org_id": org_id,
                    "kind": KIND,
                    "subject_type": subject,
                    "subject_id": subject_id,
                    "source_key": key,
                    "state": JobState.QUEUED.value,
                    "attempts": 0,
                    "due_at": at,
                    "created_at": at,
                    "updated_at": at,
                }
                for subject_id, key in sources.items()
            ]
        )
        await self._conn.execute(
            insert.on_conflict_do_update(
                index_elements=[J.c.org_id, J.c.subject_type, J.c.subject_id, J.c.kind],
                set_={
                    "source_key": insert.excluded.source_key,
                    "state": JobState.QUEUED.value,
                    "attempts": 0,
                    "due_at": insert.excluded.due_at,
                    "claimed_by": None,
                    "last_error": None,
                    "updated_at": insert.excluded.updated_at,
                },
            )
        )

    async def claim(self, worker: str, now: datetime, until: datetime, limit: int) -> Sequence[Job]:
        due = (
            sa.select(J.c.id)
            .where(J.c.due_at <= now)  # implies due_at IS NOT NULL: the partial index serves it
            .order_by(J.c.due_at)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        stmt = (
            sa.update(J)
            .where(J.c.id.in_(due.scalar_subquery()))
            .values(
                state=JobState.RUNNING.value,
                attempts=J.c.attempts + 1,
                due_at=until,
                claimed_by=worker,
                updated_at=now,
            )
            .returning(*J.c)
        )
        return [job(r) for r in await self._rows(stmt)]

    async def complete(self, job: Job, result: ProcessedImage, now: datetime) -> bool:
        if not await self._settle(job, JobState.DONE, due_at=None, now=now):
            return False
        subject = [
            t.renditions.c.org_id == job.org_id,
            t.renditions.c.subject_type == job.subject,
            t.renditions.c.subject_id == job.subject_id,
        ]
        await self._conn.execute(sa.delete(t.renditions).where(*subject))
        if result.renditions:
            await self._conn.execute(
                sa.insert(t.renditions),
                [
                    {
                        "org_id": job.org_id,
                        "subject_type": job.subject,
                        "subject_id": job.subject_id,
                        "size": r.size,
                        "blob_key": r.blob_key,
                        "width": r.width,
                        "height": r.height,
                        "byte_size": r.byte_size,
                    }
                    for r in result.renditions
                ],
            )
        f = t.image_facts
        await self._conn.execute(
            sa.delete(f).where(
                f.c.org_id == job.org_id, f.c.subject_type == job.subject, f.c.subject_id == job.subject_id
            )
        )
        facts = result.facts
        await self._conn.execute(
            sa.insert(f).values(
                org_id=job.org_id,
                subject_type=job.subject,
                subject_id=job.subject_id,
                format=facts.format,
                colour_mode=facts.colour_mode,
                dominant_colours=list(facts.dominant_colours),
                processed_at=now,
                **t.perceptual_hash_columns(facts.perceptual_hash),
            )
        )
        return True

    async def retry(self, job: Job, error: ProcessingError, at: datetime, now: datetime) -> bool:
        return await self._settle(job, JobState.QUEUED, due_at=at, error=error, now=now)

    async def fail(self, job: Job, error: ProcessingError, now: datetime) -> bool:
        return await self._settle(job, JobState.FAILED, due_at=None, error=error, now=now)

    async def release(self, job: Job, now: datetime) -> bool:
        return await self._settle(job, JobState.QUEUED, due_at=now, now=now, attempts=job.attempts - 1)

    async def _settle(
        self,
        job: Job,
        state: JobState,
        *,
        due_at: datetime | None,
        now: datetime,
        error: ProcessingError | None = None,
        attempts: int | None = None,
    ) -> bool:
        """Move a job on from RUNNING, only while this holder's claim (same attempt) stands.

        `error` None keeps the last error of a job queued again (a release), clears it otherwise.
        """
        keep_error = error is None and state is JobState.QUEUED
        result = await self._conn.execute(
            sa.update(J)
            .where(
                J.c.id == job.id,
                J.c.state == JobState.RUNNING.value,
                J.c.claimed_by == job.claimed_by,
                J.c.attempts == job.attempts,
            )
            .values(
                state=state.value,
                due_at=due_at,
                claimed_by=None,
                last_error=J.c.last_error if keep_error else (error.value if error else None),
                attempts=job.attempts if attempts is None else attempts,
                updated_at=now,
            )
        )
        return bool(result.rowcount)
