"""What the events feature needs from outside: the committed log, and a live feed of it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Protocol

from domain.events.model import DataVersion, EventQuery, LoggedEvent


class EventLogReads(Protocol):
    """The committed, sequenced log; each call is one statement."""

    async def read(self, org_id: int | None, query: EventQuery, *, limit: int) -> Sequence[LoggedEvent]:
        """Events after `query.after` in cursor order, at most `limit`; `org_id=None` reads every
        organisation's (the relay and the webhook dispatcher, never a request)."""
        ...

    async def read_subjects(
        self, org_id: int, subject_type: str, ids: Sequence[int], query: EventQuery, *, limit: int
    ) -> Mapping[int, Sequence[LoggedEvent]]:
        """Each subject's first `limit` events after `query.after` (of `query.types`), in one statement."""
        ...

    async def head(self) -> int:
        """The cursor of the last sequenced event, 0 when none."""
        ...

    async def version(self, org_id: int) -> DataVersion:
        """The organisation's data version: its last sequenced event's cursor, or, once retention
        has deleted all of its events, the last cursor deleted; and whether any committed event
        still waits for its cursor. It moves with every committed change the organisation's
        readers may see, and never back. One statement."""
        ...

    async def pruned_through(self) -> int:
        """The last cursor retention deleted, 0 when none: cursors before it may have missed events."""
        ...


class EventLogMaintenance(Protocol):
    """Assigning cursors to committed events, and retention."""

    async def sequence(self, *, wait: bool = False) -> int:
        """Give committed events without a cursor the next cursors, in the order they are seen;
        the number given. One caller at a time does it: the others return 0 at once, or with
        `wait`, queue for their turn (a reader that must see every change committed before it)."""
        ...

    async def prune(self, *, before: datetime, limit: int) -> int:
        """Delete up to `limit` of the oldest events that occurred before `before`; the number deleted."""
        ...


class Listener(Protocol):
    """One live subscription to an organisation's events, buffering from the moment it was made."""

    start: int
    """The live feed's position when the listener was made: every later event reaches it."""

    async def next(self) -> LoggedEvent | None:
        """The next live event; None when the listener fell behind and lost some (read the log)."""
        ...

    def close(self) -> None:
        """Stop listening; the buffer is dropped."""
        ...


class LiveEvents(Protocol):
    """Committed events as they are published, in cursor order, to listeners in this process."""

    def listen(self, org_id: int) -> Listener:
        """A listener to one organisation's events from now on."""
        ...

    def poke(self) -> None:
        """Something was committed here: look for new events now rather than at the next poll."""
        ...
