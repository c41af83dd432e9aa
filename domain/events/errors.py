"""The events feature's own failure."""

from __future__ import annotations

from domain.kernel.errors import DomainError, ErrorCode


class CursorExpired(DomainError):
    """The cursor is older than the events the log keeps: reading on from it would skip some."""

    code = ErrorCode.CURSOR_EXPIRED
