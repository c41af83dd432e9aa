"""The events feature's use cases with their dependencies bound once: `events.feed(actor, ...)`."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from datetime import timedelta

from domain.events import feed as _feed
from domain.events.model import EventPage, EventQuery, LoggedEvent
from domain.events.ports import EventLogMaintenance, EventLogReads, LiveEvents
from domain.kernel.access import Actor, Permission
from domain.kernel.ports import Clock

SEQUENCING_ROUNDS = 3
"""Rounds of numbering a version read waits for before it gives up on the cache for one answer."""

PRUNE_BATCH = 5_000
"""Events retention deletes per statement; a run repeats until nothing old is left."""


@dataclass(frozen=True, slots=True)
class Events:
    """The organisation's event log: its feed, its live stream, and its upkeep."""

    reads: EventLogReads
    live: LiveEvents
    maintenance: EventLogMaintenance
    clock: Clock
    retention: timedelta

    async def feed(self, actor: Actor, *, query: EventQuery, first: int | None) -> EventPage:
        """A page of the organisation's events after a cursor, oldest first."""
        return await _feed.read_feed(self.reads, self.maintenance, actor, query=query, first=first)

    async def activity(
        self, actor: Actor, *, subject_type: str, ids: Sequence[int], query: EventQuery, first: int | None
    ) -> dict[int, EventPage]:
        """A page of each object's own events, for a list of objects of one type at once."""
        return await _feed.read_activity(
            self.reads,
            self.maintenance,
            actor,
            subject_type=subject_type,
            ids=ids,
            query=query,
            first=first,
        )

    async def data_version(self, actor: Actor) -> int | None:
        """What a cached answer for the actor's organisation is keyed by: it moves with every committed
        change, so an answer cached under one version shows every change committed before it.
        Committed events waiting for their cursors are numbered first, so a change that returned to
        its client has moved it; most reads find none waiting and cost one statement. None when
        events still wait after a few rounds of numbering (a large import ahead of them): the
        answer is made afresh and not kept."""
        actor.require(Permission.READ)
        version = await self.reads.version(actor.org_id)
        for _ in range(SEQUENCING_ROUNDS):
            if version.complete:
                return version.cursor
            await self.maintenance.sequence(wait=True)
            # what committed after the first read is newer than anything this answer is built from
            version = await self.reads.version(actor.org_id)
        return version.cursor if version.complete else None

    def follow(self, actor: Actor, *, query: EventQuery) -> AsyncIterator[LoggedEvent]:
        """The organisation's events: those after `query.after` from the log, then live ones."""
        return _feed.follow(self.reads, self.live, actor, query=query)

    async def prune(self) -> int:
        """Delete events older than the retention window; the number deleted."""
        before = self.clock.now() - self.retention
        total = 0
        while (deleted := await self.maintenance.prune(before=before, limit=PRUNE_BATCH)) > 0:
            total += deleted
        return total
