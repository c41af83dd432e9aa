"""Keeping the served copies in bounds: a copy nobody downloaded for a day goes, and comes back on demand.

This is also how the copy of a purged asset or a deleted generation leaves the disk: the
row is gone, so nothing serves the copy, and the sweep removes it a day later.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from domain.files.services import Files

KEEP_UNSERVED = timedelta(days=1)
SWEEP_LIMIT = 10_000
"""Copies deleted per run at most, so one run's work is bounded; the next run takes the rest."""


async def sweep_served_copies(files: Files) -> int:
    """Delete served copies not downloaded for KEEP_UNSERVED; returns how many went."""
    return await files.preparer.sweep(untouched_for=KEEP_UNSERVED, limit=SWEEP_LIMIT)
