"""Process-level tuning for serving processes (not for tests or the CLI's one-shot commands)."""

from __future__ import annotations

import gc

# A GraphQL response allocates ~100k short-lived objects; with CPython's default
# thresholds the collector runs full passes over the long-lived import-time heap
# every few requests, which showed as a 2.5x p95 on the library page.
GC_THRESHOLDS = (50_000, 20, 100)


def tune_gc() -> None:
    """Move everything alive at start-up out of the collector's reach and collect young objects less often."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)
