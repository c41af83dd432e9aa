"""The processing room's entities: a queued job with its retry rule, and what processing an image yields.

A job belongs to one subject (an asset or a generation) and lives in the database, so it
survives restarts. Its state machine, written once here and mirrored by the SQL claim:

    QUEUED --claim--> RUNNING --finish--> DONE
      ^                  |  \\--give up---> FAILED   (attempts used up, or an error not worth retrying)
      +----retry later---+
    RUNNING whose lease passed (its worker died) is claimable again, like QUEUED.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Literal

from domain.kernel.errors import InvalidInput

JobSubject = Literal["asset", "generation"]
"""What a job processes: an asset (its blob in the `library` area) or a generation (`scratch`)."""

SOURCE_AREA: dict[JobSubject, str] = {"asset": "library", "generation": "scratch"}
"""The blob area each subject's original lives in."""

RENDITIONS_AREA = "renditions"
"""The blob area renditions are stored in (content-addressed like the originals)."""

RENDITION_SIZES = (256, 1024)
"""Long edges of the WebP renditions, in pixels; never upscaled (see `Rendition`)."""


class JobState(StrEnum):
    """Where a job is in its life; the GraphQL `processingStatus` shows it (see `ProcessingStatus`)."""

    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class ProcessingStatus(StrEnum):
    """Where an image's processing stands, as clients see it: a job's state, or PENDING without a job."""

    PENDING = "pending"
    PROCESSING = "processing"
    READY = "ready"
    FAILED = "failed"

    @classmethod
    def of(cls, state: JobState | None) -> ProcessingStatus:
        """The status a job in that state shows; PENDING for an image whose job is not there (yet)."""
        return _STATUS_OF[state] if state is not None else cls.PENDING

    @property
    def job_states(self) -> tuple[JobState, ...]:
        """The job states that show as this status (PENDING also stands for no job at all)."""
        return tuple(state for state, status in _STATUS_OF.items() if status is self)


_STATUS_OF = {
    JobState.QUEUED: ProcessingStatus.PENDING,
    JobState.RUNNING: ProcessingStatus.PROCESSING,
    JobState.DONE: ProcessingStatus.READY,
    JobState.FAILED: ProcessingStatus.FAILED,
}


class ProcessingError(StrEnum):
    """Why an attempt failed: a code only, never a message (it could quote a path or the file's text)."""

    UNREADABLE_IMAGE = "UNREADABLE_IMAGE"
    """The bytes are no image Pillow can decode (or it is over the pixel cap): retrying cannot help."""
    SOURCE_MISSING = "SOURCE_MISSING"
    """The original's blob is gone (the generation expired, the asset was purged)."""
    WORKER_CRASHED = "WORKER_CRASHED"
    """The pool process died mid-image (killed, out of memory); retried."""
    LEASE_EXPIRED = "LEASE_EXPIRED"
    """A worker claimed it and never reported back, on its last attempt."""
    INTERNAL = "INTERNAL"
    """Anything else (a bug, a full disk): retried, and logged with its traceback."""

    @property
    def retryable(self) -> bool:
        """Whether another attempt may succeed: not for an undecodable file or a missing original."""
        return self not in (ProcessingError.UNREADABLE_IMAGE, ProcessingError.SOURCE_MISSING)


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How many attempts a job gets, how far apart, and how long a claim lasts."""

    max_attempts: int = 3
    backoff: timedelta = timedelta(seconds=10)
    """The wait after the first failed attempt; it doubles with each further one."""
    max_backoff: timedelta = timedelta(minutes=10)
    lease: timedelta = timedelta(minutes=5)
    """How long a claim lasts: longer than any one image takes, short enough to recover soon."""

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError("a job needs at least one attempt")

    def retry_at(self, now: datetime, attempts: int, rng: random.Random | None = None) -> datetime:
        """When to try again after `attempts` failed ones: exponential, capped, with jitter.

        The jitter (a uniform 50-100% of the step) keeps jobs that failed together,
        say while a disk was full, from all coming back at the same moment.
        """
        step = min(self.backoff * (1 << min(max(attempts - 1, 0), 30)), self.max_backoff)
        jitter: float = (rng or random).uniform(0.5, 1.0)
        return now + step * jitter

    def gives_up_after(self, attempts: int, error: ProcessingError) -> bool:
        """Whether a job that failed its `attempts`-th attempt with this error is FAILED for good."""
        return not error.retryable or attempts >= self.max_attempts


@dataclass(frozen=True, slots=True)
class Job:
    """One image to process, as claimed by a worker."""

    id: int
    org_id: int
    subject: JobSubject
    subject_id: int
    source_key: str
    """The sha256 key of the original's blob (in the subject's area, `SOURCE_AREA`)."""
    state: JobState
    attempts: int
    """Attempts started so far, this claim included: a worker killed mid-job used one up."""
    claimed_by: str | None

    @property
    def source_area(self) -> str:
        """The blob area of the original."""
        return SOURCE_AREA[self.subject]

    def out_of_attempts(self, policy: RetryPolicy) -> bool:
        """Claimed more often than the policy allows: the earlier holders died (see LEASE_EXPIRED)."""
        return self.attempts > policy.max_attempts


@dataclass(frozen=True, slots=True)
class ImageFacts:
    """What processing learns of an image."""

    format: str
    """Pillow's name of the decoded format: PNG, JPEG, WEBP ..."""
    colour_mode: str
    """Pillow's mode of the decoded image: RGB, RGBA, L, P, CMYK ..."""
    dominant_colours: tuple[str, ...]
    """Up to five `#rrggbb`, most common first."""
    perceptual_hash: int
    """A 64-bit difference hash (dHash), as a signed integer so both databases store it as BIGINT."""

    @property
    def perceptual_hash_hex(self) -> str:
        """The hash as 16 hex digits (its unsigned 64 bits)."""
        return f"{self.perceptual_hash & 0xFFFF_FFFF_FFFF_FFFF:016x}"


@dataclass(frozen=True, slots=True)
class Rendition:
    """A WebP copy of an image at a size: its long edge at most `size`, never larger than the original.

    An image smaller than a size gets that size's rendition at its own dimensions; two
    sizes that come out the same share one blob (content addressing).
    """

    size: int
    width: int
    height: int
    blob_key: str
    byte_size: int


MAX_THUMBNAIL_SIZE = 4096
"""The largest size a thumbnail may be asked for (`thumbnailUrl(size:)`), in pixels."""


def check_thumbnail_size(size: int) -> int:
    """The size a thumbnail is asked for; INVALID_INPUT on `size` outside 1..MAX_THUMBNAIL_SIZE."""
    if not 1 <= size <= MAX_THUMBNAIL_SIZE:
        raise InvalidInput(f"a thumbnail size is 1 to {MAX_THUMBNAIL_SIZE} pixels", field="size")
    return size


def thumbnail_for(renditions: Sequence[Rendition], size: int) -> Rendition | None:
    """The smallest rendition at least `size` pixels on its long edge, else the largest; None when
    there is none (not processed yet). INVALID_INPUT on a size out of bounds (`check_thumbnail_size`)."""
    check_thumbnail_size(size)
    ordered = sorted(renditions, key=lambda r: r.size)
    return next((r for r in ordered if r.size >= size), ordered[-1] if ordered else None)


@dataclass(frozen=True, slots=True)
class ProcessedImage:
    """The outcome of processing one original."""

    facts: ImageFacts
    renditions: tuple[Rendition, ...]


@dataclass(frozen=True, slots=True)
class ProcessingState:
    """A subject's processing, as the read side sees it: the job's state and its last error."""

    state: JobState
    attempts: int
    last_error: str | None
