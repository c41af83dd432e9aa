"""Partial updates: the marker of an optional field the client did not send."""

from __future__ import annotations


class Keep:
    """Marks an optional field of an update that the client did not send."""


KEEP = Keep()
