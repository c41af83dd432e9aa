"""Domain events: every state change is recorded as one, in the transaction that makes it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True, slots=True)
class Event:
    """Something that happened to one object of one organisation."""

    type: str
    org_id: int
    subject_type: str
    subject_id: int
    actor_id: int | None
    occurred_at: datetime
    payload: Mapping[str, object] = field(default_factory=dict)
