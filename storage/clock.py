"""The wall clock, in UTC."""

from __future__ import annotations

from datetime import UTC, datetime


class SystemClock:
    """Clock backed by the system time."""

    def now(self) -> datetime:
        return datetime.now(UTC)
