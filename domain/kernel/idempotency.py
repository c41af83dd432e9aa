"""Requests sent with an idempotency key: what one answered, and the port that remembers it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True, slots=True)
class IdempotentResult:
    """What a keyed request answered: a fingerprint of its input, and the ids it returned."""

    fingerprint: str
    ids: tuple[int, ...]


class IdempotencyRepository(Protocol):
    """Remembers the result of a request sent with an idempotency key."""

    async def get(self, org_id: int, scope: str, key: str) -> IdempotentResult | None:
        """What the request with this key answered in this organisation and scope; None if none was put."""
        ...

    async def put(self, org_id: int, scope: str, key: str, result: IdempotentResult, at: datetime) -> bool:
        """Remember the result unless the key is taken: the unique (org_id, scope, key) settles a race
        with a concurrent twin, not a prior read; False when the twin was first (nothing is overwritten)."""
        ...
