"""The ports processing needs: the durable queue (on the unit of work), its reads, the image processor."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import datetime
from typing import Protocol

from domain.processing.model import (
    ImageFacts,
    Job,
    JobSubject,
    ProcessedImage,
    ProcessingError,
    ProcessingState,
    Rendition,
)


class JobQueue(Protocol):
    """Processing jobs, one per subject, in the unit of work's transaction (`uow.jobs`).

    Enqueuing in the transaction that creates the subject means a job exists exactly
    when the change committed: no lost work if the process dies just after, no job for a
    rolled-back save.
    """

    async def enqueue(
        self, org_id: int, subject: JobSubject, sources: Mapping[int, str], at: datetime
    ) -> None:
        """Queue (or queue again) each subject id with its original's blob key, due now.

        A subject has at most one job: queuing it again resets that job (QUEUED, no
        attempts, no error), whatever state it was in. One statement for any number.
        """
        ...

    async def claim(self, worker: str, now: datetime, until: datetime, limit: int) -> Sequence[Job]:
        """Claim up to `limit` due jobs for `worker`, oldest due first, leased until `until`.

        Due: QUEUED whose retry time has come, or RUNNING whose lease has passed (its worker
        died). Each claim counts one attempt. Two workers never claim the same job
        (PostgreSQL: FOR UPDATE SKIP LOCKED; SQLite: writers are serial). Across organisations.
        """
        ...

    async def complete(self, job: Job, result: ProcessedImage, now: datetime) -> bool:
        """Mark a job DONE and store its facts and renditions (replacing earlier ones).

        Only while `job.claimed_by` still holds it (RUNNING, same attempt); False, and nothing
        written, when the lease was lost to another worker or the job was queued again.
        """
        ...

    async def retry(self, job: Job, error: ProcessingError, at: datetime, now: datetime) -> bool:
        """Put a held job back to QUEUED, due at `at`, with its error code; False if no longer held."""
        ...

    async def fail(self, job: Job, error: ProcessingError, now: datetime) -> bool:
        """Mark a held job FAILED for good with its error code; False if no longer held."""
        ...

    async def release(self, job: Job, now: datetime) -> bool:
        """Give a held job back, due now, the attempt uncounted (its worker stops); False if not held."""
        ...

    async def take_over(
        self, org_id: int, subject: JobSubject, sources: Mapping[int, int], source: JobSubject, at: datetime
    ) -> set[int]:
        """Give subjects the facts and renditions of an already processed subject with the same original
        (an asset saved from a generation): for each `subject id -> source id` (each source once) whose
        source's job is DONE,
        copy its facts and renditions rows (the rendition blobs are shared by content) and mark the
        subject's job, queued before in this transaction, DONE. Returns the subject ids taken over; the
        others stay queued. A fixed four statements at most, whatever the number.
        """
        ...

    async def forget(self, subject: JobSubject, ids_by_org: Mapping[int, Collection[int]]) -> None:
        """Delete the jobs, facts and renditions of subjects deleted in this transaction (by org_id).

        One statement per table whatever the number of subjects and organisations. The jobs go
        first: a worker finishing one of them either committed before (its rows are deleted
        here) or finds its job gone and writes nothing (`complete` answers False). The
        rendition blobs stay for the orphan sweep (another subject may share them).
        """
        ...

    async def renditions_in_use(self, keys: Sequence[str]) -> set[str]:
        """Which of these rendition blob keys a `renditions` row of any organisation refers to
        (renditions are shared by content); empty keys, empty set. One statement."""
        ...


class ProcessingReads(Protocol):
    """Processing as the read side shows it; each call one statement, batched by subject id."""

    async def states(
        self, org_id: int, subject: JobSubject, ids: Sequence[int]
    ) -> Mapping[int, ProcessingState]:
        """Each subject's job state; subjects without a job are absent."""
        ...

    async def facts(self, org_id: int, subject: JobSubject, ids: Sequence[int]) -> Mapping[int, ImageFacts]:
        """Each processed subject's facts; subjects not (yet) processed are absent."""
        ...

    async def renditions(
        self, org_id: int, subject: JobSubject, ids: Sequence[int]
    ) -> Mapping[int, Sequence[Rendition]]:
        """Each processed subject's renditions, smallest first; subjects without any are absent."""
        ...

    async def due(self, now: datetime) -> bool:
        """Whether any job (of any organisation) is due: a cheap check before a claiming write."""
        ...


class ImageProcessor(Protocol):
    """Turns an original into renditions and facts, off the event loop."""

    async def process(self, area: str, key: str, sizes: Sequence[int]) -> ProcessedImage:
        """Decode the blob once, store a WebP rendition per size (metadata stripped), measure its facts.

        Raises `UnprocessableImage` with a `ProcessingError` code when it cannot.
        """
        ...

    async def close(self) -> None:
        """Stop the processes behind it; a later `process` starts them again."""
        ...


class UnprocessableImage(Exception):
    """Processing an image failed, for a reason named by a code (never the file's content)."""

    def __init__(self, code: ProcessingError) -> None:
        super().__init__(code.value)
        self.code = code
