"""Bulk changes: id lists with caps."""

from __future__ import annotations

from collections.abc import Sequence

from domain.kernel.errors import InvalidInput, LimitExceeded

MAX_BULK = 500


def check_count(ids: Sequence[int], *, field: str, max_count: int = MAX_BULK) -> None:
    """At least one id and at most `max_count`."""
    if not ids:
        raise InvalidInput("give at least one id", field=field)
    if len(ids) > max_count:
        raise LimitExceeded(f"at most {max_count} ids at once (got {len(ids)})", field=field)
