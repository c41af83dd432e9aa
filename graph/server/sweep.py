"""The periodic cleanup the server runs: retention windows, orphan files, unused copies, old events."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence

from domain.events.services import Events
from domain.files.services import Files
from domain.library.services import Library
from domain.studio.services import Studio
from graph.context import Services

log = logging.getLogger("atelier")

Counted = Sequence[tuple[str, int]]
"""What a step did: log messages with their counts (a count of 0 is not logged)."""


async def sweep(services: Services, interval: float) -> None:
    """The periodic retention cleanup; with several workers each sweeps, and SQL conditions keep it safe."""
    while True:
        await asyncio.sleep(interval)
        await sweep_once(services.studio, services.library, services.files, services.events)


async def sweep_once(studio: Studio, library: Library, files: Files, events: Events | None = None) -> None:
    """One run of the periodic cleanup: the trash past its window first (its files may go at once),
    then expired generations and orphan files, download copies unused for a day, and events past
    the log's retention. A failed part is logged and retried at the next interval; the rest run."""

    async def trash() -> Counted:
        return [("trash: purged %d asset(s) past the retention window", await library.purge_expired_trash())]

    async def generations() -> Counted:
        report = await studio.cleanup_expired()
        return [
            ("retention: deleted %d expired generation(s)", report.deleted),
            ("retention: removed %d rendition file(s) nothing uses", report.renditions_deleted),
        ]

    async def copies() -> Counted:
        return [("downloads: removed %d served copy(ies) unused for a day", await files.sweep_copies())]

    async def old_events() -> Counted:
        return (
            [("events: deleted %d event(s) past the retention window", await events.prune())]
            if events
            else []
        )

    steps: list[tuple[str, Callable[[], Awaitable[Counted]]]] = [
        ("trash purge", trash),
        ("retention cleanup", generations),
        ("served-copy sweep", copies),
        ("event log retention", old_events),
    ]
    for what, step in steps:
        try:
            done = await step()
        except Exception:  # keep sweeping: a failed part is retried at the next interval
            log.exception("%s failed", what)
            continue
        for message, count in done:
            if count:
                log.info(message, count)
