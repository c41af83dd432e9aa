"""Signing secrets derived, never stored; and the body a delivery carries (the event envelope).

secret = "whsec_" + base64(HMAC-SHA256(server key, "webhook-secret:" + salt)). The row keeps
only the salt: a database dump without the server key (ATELIER_SECRET_KEY) signs nothing,
and rotating the server key rotates every webhook's secret at once.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass

from domain.events.model import LoggedEvent

MAX_BODY = 64_000
"""A body above this carries the envelope without its payload (and says so): receivers get bounded bodies."""


def new_salt() -> str:
    """A fresh random salt for a webhook's next secret."""
    return secrets.token_urlsafe(24)


@dataclass(frozen=True, slots=True)
class SecretDeriver:
    """Turns a stored salt into the signing secret, with the server's key."""

    server_key: bytes

    def __repr__(self) -> str:  # the key never reaches a log line through a repr
        return "SecretDeriver(<key>)"

    def secret(self, salt: str) -> str:
        """The Standard Webhooks secret (`whsec_...`) of this salt."""
        digest = hmac.new(self.server_key, f"webhook-secret:{salt}".encode(), hashlib.sha256).digest()
        return "whsec_" + base64.b64encode(digest).decode()


def message_id(event: LoggedEvent) -> str:
    """The `webhook-id`: the same for every attempt of one event, so receivers can drop repeats."""
    return f"evt_{event.seq}"


def global_id(type_name: str, id: int) -> str:
    """The subject's id as the GraphQL API shows it (graph.relay.ids.to_global_id: base64 of `Type:id`)."""
    return base64.b64encode(f"{type_name}:{id}".encode()).decode()


def envelope(event: LoggedEvent) -> str:
    """The JSON body of a delivery of this event."""
    body = {
        "id": message_id(event),
        "type": event.type,
        "version": event.version,
        "occurredAt": event.occurred_at.isoformat(),
        "cursor": str(event.seq),
        "subject": {"type": event.subject_type, "id": global_id(event.subject_type, event.subject_id)},
        "payload": dict(event.payload),
    }
    text = json.dumps(body, separators=(",", ":"), ensure_ascii=False, default=str)
    if len(text.encode()) <= MAX_BODY:
        return text
    body["payload"] = None
    body["payloadOmitted"] = True  # too large: read it from the `events` feed by its cursor
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False, default=str)
