"""When a temporary generation expires: after its session closes, or at a maximum age.

Liked, approved and saved generations are kept (no expiry).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from domain.kernel.ports import BlobStore
from domain.processing.model import RENDITIONS_AREA
from domain.studio.events import GenerationExpired, UploadExpired
from domain.studio.model import Generation
from domain.unit_of_work import UnitOfWork

if TYPE_CHECKING:
    from domain.studio.services import Studio

BLOB_GRACE = timedelta(hours=1)
"""A scratch blob is deleted only if nothing has stored it again for this long: a generation
being made right now may have written the same bytes and not yet committed its row."""


@dataclass(frozen=True, slots=True)
class RetentionPolicy:
    """How long unkept generations live."""

    after_close: timedelta = timedelta(days=7)
    max_age: timedelta = timedelta(days=30)

    def expiry(self, *, created_at: datetime, closed_at: datetime | None, kept: bool) -> datetime | None:
        """When a generation expires; None when it is kept."""
        if kept:
            return None
        expires = created_at + self.max_age
        if closed_at is not None:
            expires = min(expires, closed_at + self.after_close)
        return expires


@dataclass(frozen=True, slots=True)
class CleanupReport:
    """What a cleanup run did."""

    deleted: int
    blobs_deleted: int
    skipped: int
    uploads_deleted: int = 0
    renditions_deleted: int = 0
    """Rendition files no `renditions` row refers to any more (their subjects deleted or processed again)."""


ORPHAN_SWEEP_LIMIT = 5000
"""Files one run of the orphan sweep looks at per area at most: a run stays bounded however much is left."""


async def sweep_orphan_blobs(studio: Studio, *, limit: int = ORPHAN_SWEEP_LIMIT) -> int:
    """Delete originals no row refers to (left by a failed write, or by deleted rows); returns how many.

    Only blobs untouched for the grace period are candidates, and each deletion
    re-checks the grace period, so a write in progress keeps its file.
    """
    deleted = 0
    for area in ("scratch", "library"):
        deleted += await _sweep_area(studio, area, limit)
    return deleted


async def sweep_orphan_renditions(studio: Studio, *, limit: int = ORPHAN_SWEEP_LIMIT) -> int:
    """Delete rendition files no `renditions` row refers to (their asset purged, their generation expired,
    their subject processed again), past the same grace; returns how many. A file two subjects share
    (identical renditions) stays while either refers to it; a worker's file not committed yet is in its
    grace period (the worker writes it, then commits the row)."""
    return await _sweep_area(studio, RENDITIONS_AREA, limit)


async def _sweep_area(studio: Studio, area: str, limit: int) -> int:
    # each run starts at a random key: a bounded walk then reaches every file over the runs, though
    # most old files are in use (a walk from the first key would see the same `limit` ones each time)
    somewhere = secrets.token_hex(32)
    keys = await studio.blobs.stale_keys(area, untouched_for=BLOB_GRACE, limit=limit, from_key=somewhere)
    uow, deleted = studio.uow(), 0
    for start in range(0, len(keys), 500):
        deleted += await _delete_unused(uow, studio.blobs, area, keys[start : start + 500])
    return deleted


async def _delete_unused(uow: UnitOfWork, blobs: BlobStore, area: str, keys: Sequence[str]) -> int:
    """Delete the blobs of `keys` no row refers to (one query for all), sparing those in their grace."""
    if not keys:
        return 0
    async with uow.reading():
        if area == RENDITIONS_AREA:
            used = await uow.jobs.renditions_in_use(keys)
        else:
            used = await uow.generations.blobs_in_use(area, keys)
    deleted = 0
    for key in dict.fromkeys(keys):
        if key not in used and await blobs.delete(area, key, unless_stored_within=BLOB_GRACE):
            deleted += 1
    return deleted


def _ids_by_org(generations: Sequence[Generation]) -> dict[int, list[int]]:
    by_org: dict[int, list[int]] = {}
    for g in generations:
        by_org.setdefault(g.org_id, []).append(g.id)
    return by_org


async def expired_count(
    studio: Studio,
) -> int:
    """How many generations a cleanup would delete now."""
    uow = studio.uow()
    async with uow.reading():
        return await uow.generations.count_expired(studio.clock.now())


async def cleanup_expired(
    studio: Studio,
    *,
    batch_size: int = 200,
    on_progress: Callable[[int], None] | None = None,
) -> CleanupReport:
    """Delete expired, unkept generations (all organisations) and the scratch blobs nothing uses any more.

    Each deletion re-checks its conditions in SQL, so a generation liked, approved or
    saved while the cleanup runs is left whole.
    """
    uow, now = studio.uow(), studio.clock.now()
    deleted = blobs_deleted = skipped = 0
    while True:
        # found without the write lock: a sweep with nothing to delete never makes writers wait,
        # and each deletion re-checks its conditions anyway
        async with uow.reading():
            candidates = await uow.generations.expired(now, limit=batch_size)
        gone = []
        if candidates:
            async with uow:
                for g in candidates:
                    if await uow.generations.delete_if_expired(g, now):
                        gone.append(g)
                        uow.record(
                            GenerationExpired(
                                org_id=g.org_id, subject_id=g.id, actor_id=None, occurred_at=now
                            )
                        )
                # their jobs, facts and renditions go with them: one statement per table for the batch
                await uow.jobs.forget("generation", _ids_by_org(gone))
                await uow.commit()
        skipped += len(candidates) - len(gone)
        blobs_deleted += await _delete_unused(uow, studio.blobs, "scratch", [g.blob_key for g in gone])
        deleted += len(gone)
        if on_progress is not None:
            on_progress(len(candidates))
        if len(candidates) < batch_size or not gone:
            break
    uploads_deleted = 0
    while True:  # uploads never imported within their day
        async with uow:
            stale = await uow.uploads.delete_expired(now, limit=batch_size)
            for upload in stale:
                uow.record(
                    UploadExpired(org_id=upload.org_id, subject_id=upload.id, actor_id=None, occurred_at=now)
                )
            await uow.commit()
        uploads_deleted += len(stale)
        blobs_deleted += await _delete_unused(uow, studio.blobs, "scratch", [u.blob_key for u in stale])
        if len(stale) < batch_size:
            break
    blobs_deleted += await sweep_orphan_blobs(studio)
    renditions_deleted = await sweep_orphan_renditions(studio)
    return CleanupReport(deleted, blobs_deleted, skipped, uploads_deleted, renditions_deleted)
