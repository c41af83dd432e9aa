"""A delivery's body: the event as the `events` query shows it (camelCase payload, global ids, and
the signed cursor a partner can pass as `events(after:)` to catch up from it)."""

from __future__ import annotations

import orjson

from domain.events.model import LoggedEvent
from graph.events.payloads import client_payload
from graph.events.types import event_list
from graph.relay.ids import Cursors, to_global_id

MAX_BODY = 64_000
"""A body above this carries the envelope without its payload (and says so): receivers get bounded bodies."""


class EventEnvelopes:
    """Writes each event's delivery body (the dispatcher fixes it once per delivery)."""

    def __init__(self, cursors: Cursors) -> None:
        self._cursors = cursors

    def __call__(self, event: LoggedEvent) -> str:
        body: dict[str, object] = {
            "id": f"evt_{event.seq}",  # the `webhook-id`: one per event, the same on every attempt
            "type": event.type,
            "version": event.version,
            "occurredAt": event.occurred_at.isoformat(),
            "cursor": self._cursors.of(event_list(event.org_id)).encode((event.seq,)),
            "subject": {"type": event.subject_type, "id": to_global_id(event.subject_type, event.subject_id)},
            "payload": client_payload(event.payload),
        }
        text = orjson.dumps(body).decode()
        if len(text.encode()) <= MAX_BODY:
            return text
        body["payload"], body["payloadOmitted"] = None, True  # read it from `events` by its cursor
        return orjson.dumps(body).decode()
