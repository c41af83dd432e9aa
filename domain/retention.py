"""When a temporary generation expires: after its session closes, or at a maximum age.

Liked, approved and saved generations are kept (no expiry).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True, slots=True)
class RetentionPolicy:
    """How long unkept generations live."""

    after_close: timedelta = timedelta(days=7)
    max_age: timedelta = timedelta(days=30)

    def expiry(self, *, created_at: datetime, closed_at: datetime | None, kept: bool) -> datetime | None:
        """When a generation expires; None when it is kept."""
        if kept:
            return None
        expires = created_at + self.max_age
        if closed_at is not None:
            expires = min(expires, closed_at + self.after_close)
        return expires
