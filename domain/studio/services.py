"""The Studio's use cases with their dependencies bound once: `studio.approve(actor, generation_ids=...)`.

The composition root builds one `Studio` per process; each method is a service function
of this package whose first parameter is the bundle (`review.approve(studio, actor, ...)`).
What a caller hands a service besides the actor (the `KEEP` marker of an update) is here too,
so the GraphQL layer reaches the Studio through this module alone.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from domain.kernel.changes import KEEP, Keep
from domain.kernel.ports import BlobStore, Clock
from domain.studio import generating, importing, likes, review, sessions, uploads
from domain.studio import retention as expiry
from domain.studio.ports import ImageInspector, ImageProvider
from domain.studio.retention import CleanupReport, RetentionPolicy
from domain.unit_of_work import UnitOfWork

__all__ = ["KEEP", "CleanupReport", "Keep", "Studio"]


@dataclass(frozen=True, slots=True)
class Studio:
    """Sessions, generations, uploads, likes, review and retention, over the adapters they need."""

    uow: Callable[[], UnitOfWork]
    """A fresh unit of work; each service call takes one."""
    clock: Clock
    blobs: BlobStore
    providers: Mapping[str, ImageProvider]
    inspector: ImageInspector
    retention: RetentionPolicy

    create_session = sessions.create_session
    update_session = sessions.update_session
    close_session = sessions.close_session
    generate = generating.generate
    import_generation = importing.import_generation
    may_upload = staticmethod(uploads.may_upload)
    accept_upload = uploads.accept_upload
    like = likes.like
    unlike = likes.unlike
    approve = review.approve
    reject = review.reject
    escalate = review.escalate
    expired_count = expiry.expired_count
    cleanup_expired = expiry.cleanup_expired
    sweep_orphan_blobs = expiry.sweep_orphan_blobs
    sweep_orphan_renditions = expiry.sweep_orphan_renditions
