"""Processing's use cases with their dependencies bound once: `processing.reprocess_assets(actor, ...)`.

The worker's steps (`work_once`, `serve`) are methods too, so the server's lifespan and
`atelier worker` run the same code over the same bundle.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from domain.kernel.ports import Clock
from domain.processing import reprocessing, worker
from domain.processing.model import RetryPolicy
from domain.processing.ports import ImageProcessor, ProcessingReads
from domain.unit_of_work import UnitOfWork

__all__ = ["Processing", "RetryPolicy"]


@dataclass(frozen=True, slots=True)
class Processing:
    """The job queue's worker and the requests to process again, over their adapters."""

    uow: Callable[[], UnitOfWork]
    """A fresh unit of work; each service call takes one."""
    clock: Clock
    reads: ProcessingReads
    processor: ImageProcessor
    policy: RetryPolicy = field(default_factory=RetryPolicy)

    reprocess_assets = reprocessing.reprocess_assets
    work_once = worker.work_once
    serve = worker.serve
