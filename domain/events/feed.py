"""Reading the log: the activity feed a page at a time, and a live stream that first replays.

The stream's seam is where events are lost or doubled, so it is built in one order: listen
first (the listener buffers everything published from then on), read the log from the
client's cursor until it is exhausted, then pass on the buffer, dropping what the replay
already sent by cursor. Events the replay could not see are published later, so they are
in the buffer; nothing falls between the two.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from dataclasses import replace

from domain.events.errors import CursorExpired
from domain.events.model import EventPage, EventQuery, LoggedEvent
from domain.events.ports import EventLogMaintenance, EventLogReads, LiveEvents
from domain.events.visibility import Visibility
from domain.kernel.access import Actor, Permission
from domain.kernel.errors import InvalidInput, LimitExceeded
from domain.kernel.events import catalogue

MAX_PAGE = 100
"""The feed's page size cap (`first`)."""
REPLAY_BATCH = 500
"""Events read from the log per statement while a stream catches up."""
MAX_TYPES = 64
"""The most event types one query may name."""


async def read_feed(
    reads: EventLogReads,
    maintenance: EventLogMaintenance,
    actor: Actor,
    *,
    query: EventQuery,
    first: int | None,
) -> EventPage:
    """A page of the actor's organisation's events after `query.after`, oldest first; it shows
    every change committed before it (its own client's last mutation too)."""
    actor.require(Permission.READ)
    size = _page_size(first)
    query = _for_reader(actor, query)
    # PostgreSQL: number what was committed, rather than wait for the relay
    await maintenance.sequence(wait=True)
    await _check_not_expired(reads, query.after)
    rows = await reads.read(actor.org_id, query, limit=size + 1)
    return EventPage(events=rows[:size], has_next_page=len(rows) > size)


async def read_activity(
    reads: EventLogReads,
    maintenance: EventLogMaintenance,
    actor: Actor,
    *,
    subject_type: str,
    ids: Sequence[int],
    query: EventQuery,
    first: int | None,
) -> dict[int, EventPage]:
    """A page of each object's own events (`node.activity` of a whole list at once)."""
    actor.require(Permission.READ)
    size = _page_size(first)
    query = _for_reader(actor, query)
    await maintenance.sequence(wait=True)
    await _check_not_expired(reads, query.after)
    rows = await reads.read_subjects(actor.org_id, subject_type, ids, query, limit=size + 1)
    return {
        pk: EventPage(events=rows.get(pk, ())[:size], has_next_page=len(rows.get(pk, ())) > size)
        for pk in ids
    }


async def follow(
    reads: EventLogReads, live: LiveEvents, actor: Actor, *, query: EventQuery
) -> AsyncIterator[LoggedEvent]:
    """The actor's organisation's events matching the query: those after `query.after` from the
    log, then each new one as it is published; without `after`, only new ones."""
    actor.require(Permission.READ)
    query = _for_reader(actor, query)
    await _check_not_expired(reads, query.after)
    listener = live.listen(actor.org_id)
    try:
        last = listener.start if query.after is None else query.after
        while True:
            async for event in _replay(reads, actor.org_id, query, after=last):
                last = event.seq
                yield event
            while True:
                event_or_gap = await listener.next()
                if event_or_gap is None:
                    break  # the listener fell behind: catch up from the log, then listen on
                if event_or_gap.seq <= last:
                    continue  # the replay sent it already
                last = event_or_gap.seq
                if query.matches(event_or_gap):
                    yield event_or_gap
    finally:
        listener.close()


async def _replay(
    reads: EventLogReads, org_id: int, query: EventQuery, *, after: int
) -> AsyncIterator[LoggedEvent]:
    while True:
        batch = await reads.read(org_id, replace(query, after=after), limit=REPLAY_BATCH)
        for event in batch:
            after = event.seq
            yield event
        if len(batch) < REPLAY_BATCH:
            return


def _page_size(first: int | None) -> int:
    if first is None:
        return 50
    if first < 0:
        raise InvalidInput("`first` must be zero or more", field="first")
    if first > MAX_PAGE:
        raise LimitExceeded(f"`first` may be at most {MAX_PAGE}; page with `after`", field="first")
    return first


def _for_reader(actor: Actor, query: EventQuery) -> EventQuery:
    """The query checked, narrowed to what the actor may see."""
    if len(query.types) > MAX_TYPES:
        raise LimitExceeded(f"at most {MAX_TYPES} event types may be named", field="types")
    known = {type_ for type_, _ in catalogue()}
    unknown = sorted(query.types - known)
    if unknown:
        # a typo would otherwise read an empty feed forever
        raise InvalidInput(
            f"unknown event type {unknown[0]!r}; the README's event catalogue lists them", field="types"
        )
    if query.after is not None and query.after < 0:
        raise InvalidInput("`after` is not an event cursor", field="after")
    return replace(query, visibility=Visibility.of(actor))


async def _check_not_expired(reads: EventLogReads, after: int | None) -> None:
    if after is None:
        return
    pruned = await reads.pruned_through()
    if after < pruned:
        raise CursorExpired(
            "the cursor is older than the events the log keeps (ATELIER_EVENT_RETENTION_DAYS); "
            "start again from the oldest event (no `after`) and resynchronise what you hold",
            field="after",
        )
