"""An event as the log holds it once committed: the envelope, the payload and its place in the log."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from domain.events.visibility import Visibility


@dataclass(frozen=True, slots=True)
class LoggedEvent:
    """One committed event. `seq` is its cursor: it grows in commit order, one by one, across the log."""

    seq: int
    org_id: int
    type: str
    version: int
    subject_type: str
    subject_id: int
    actor_id: int | None
    payload: Mapping[str, object]
    occurred_at: datetime


@dataclass(frozen=True, slots=True)
class EventQuery:
    """Which of an organisation's events to read: after a cursor, of some types, about one subject."""

    after: int | None = None
    """Only events after this `seq`; None: from the oldest kept."""
    types: frozenset[str] = frozenset()
    """Only these types (`asset.saved`, ...); empty: every type."""
    subject: tuple[str, int] | None = None
    """Only events about this object: its GraphQL type name and id."""
    visibility: Visibility | None = None
    """Only what this reader may see; None: everything (the relay, the webhook dispatcher)."""

    def matches(self, event: LoggedEvent) -> bool:
        """Whether a live event is one this query asks for (the organisation is checked by the feed)."""
        if self.types and event.type not in self.types:
            return False
        if self.visibility is not None and not self.visibility.allows(event.type, event.subject_id):
            return False
        return self.subject is None or self.subject == (event.subject_type, event.subject_id)


@dataclass(frozen=True, slots=True)
class EventPage:
    """Events in cursor order, and whether more follow."""

    events: Sequence[LoggedEvent]
    has_next_page: bool


@dataclass(frozen=True, slots=True)
class DataVersion:
    """An organisation's data version as one statement read it."""

    cursor: int
    """Its last numbered event's cursor (or, once retention deleted them all, the last cursor deleted)."""
    complete: bool
    """Whether every committed event of any organisation had its cursor then: while one waits for
    the sequencer (PostgreSQL numbers events after they commit), the cursor may not show it."""
