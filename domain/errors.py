"""The domain's error tree; every expected failure is one of these.

    DomainError (code, message, field)
    ├── NotFound            NOT_FOUND         unknown id, or an id of another organisation
    ├── Unauthenticated     UNAUTHENTICATED   no token, a bad, revoked or expired one
    ├── Forbidden           FORBIDDEN         the actor's role does not allow it
    ├── InvalidInput        INVALID_INPUT     malformed or out-of-range input
    ├── LimitExceeded       LIMIT_EXCEEDED    a page size or list above its cap
    ├── InvalidState        INVALID_STATE     the object is in the wrong state for this
    ├── Conflict            CONFLICT          clashes with what exists (names, idempotency keys)
    ├── QuotaExceeded       QUOTA_EXCEEDED    storage quota
    └── BudgetExceeded      BUDGET_EXCEEDED   credit budget

The GraphQL layer turns them into `userErrors` (mutations) or top-level errors
with `extensions.code` (queries, auth).
"""

from __future__ import annotations

from enum import StrEnum
from typing import ClassVar


class ErrorCode(StrEnum):
    """Stable, machine-readable codes that clients switch on."""

    NOT_FOUND = "NOT_FOUND"
    UNAUTHENTICATED = "UNAUTHENTICATED"
    FORBIDDEN = "FORBIDDEN"
    INVALID_INPUT = "INVALID_INPUT"
    LIMIT_EXCEEDED = "LIMIT_EXCEEDED"
    INVALID_STATE = "INVALID_STATE"
    CONFLICT = "CONFLICT"
    QUOTA_EXCEEDED = "QUOTA_EXCEEDED"
    BUDGET_EXCEEDED = "BUDGET_EXCEEDED"


class DomainError(Exception):
    """An expected failure, with a code for machines and a message for people."""

    code: ClassVar[ErrorCode]

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotFound(DomainError):
    """The object does not exist, or belongs to another organisation."""

    code = ErrorCode.NOT_FOUND


class Unauthenticated(DomainError):
    """The request carries no valid credentials."""

    code = ErrorCode.UNAUTHENTICATED


class Forbidden(DomainError):
    """The actor is known but its role does not allow this."""

    code = ErrorCode.FORBIDDEN


class InvalidInput(DomainError):
    """The input is malformed or out of range."""

    code = ErrorCode.INVALID_INPUT


class LimitExceeded(DomainError):
    """A size or count is above its cap."""

    code = ErrorCode.LIMIT_EXCEEDED


class InvalidState(DomainError):
    """The object's state does not allow this change."""

    code = ErrorCode.INVALID_STATE


class Conflict(DomainError):
    """The change clashes with something that already exists."""

    code = ErrorCode.CONFLICT


class QuotaExceeded(DomainError):
    """The organisation's storage quota would be passed."""

    code = ErrorCode.QUOTA_EXCEEDED


class BudgetExceeded(DomainError):
    """The organisation's credit budget would be passed."""

    code = ErrorCode.BUDGET_EXCEEDED
