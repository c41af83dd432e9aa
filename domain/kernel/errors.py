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
    ├── BudgetExceeded      BUDGET_EXCEEDED   credit budget
    ├── ApprovalRequired    APPROVAL_REQUIRED the organisation saves only approved generations
    ├── AltTextRequired     ALT_TEXT_REQUIRED the organisation saves only with alt text
    ├── ProviderFailed      PROVIDER_FAILED   the image provider failed; nothing was spent
    ├── CursorExpired       CURSOR_EXPIRED    an event cursor older than the log keeps
    └── ItemErrors          (several codes)   a bulk change refused, naming each bad item

ItemErrors carries one ItemError (index, id, error) per refused item; a bulk
change is all or nothing, so when it is raised nothing was changed.

The GraphQL layer turns them into `userErrors` (mutations) or top-level errors
with `extensions.code` (queries, auth).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
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
    APPROVAL_REQUIRED = "APPROVAL_REQUIRED"
    ALT_TEXT_REQUIRED = "ALT_TEXT_REQUIRED"
    PROVIDER_FAILED = "PROVIDER_FAILED"
    INVALID_IMAGE = "INVALID_IMAGE"
    PAYLOAD_TOO_LARGE = "PAYLOAD_TOO_LARGE"
    CURSOR_EXPIRED = "CURSOR_EXPIRED"


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


class ApprovalRequired(DomainError):
    """The organisation's policy saves only approved generations."""

    code = ErrorCode.APPROVAL_REQUIRED


class AltTextRequired(DomainError):
    """The organisation's policy saves only generations with alt text."""

    code = ErrorCode.ALT_TEXT_REQUIRED


class ProviderFailed(DomainError):
    """The image provider failed or timed out; no credits were spent."""

    code = ErrorCode.PROVIDER_FAILED


class InvalidImage(DomainError):
    """The bytes are not an image this service accepts (format, size, frames, corruption)."""

    code = ErrorCode.INVALID_IMAGE


class PayloadTooLarge(DomainError):
    """A body or file is larger than its cap, whether its length was declared or found while reading."""

    code = ErrorCode.PAYLOAD_TOO_LARGE


@dataclass(frozen=True, slots=True)
class ItemError:
    """Why one item of a bulk change was refused: its position in the input, its id, the error."""

    index: int
    id: int | None
    error: DomainError


class ItemErrors(DomainError):
    """A bulk change refused as a whole; `items` names each bad item."""

    code = ErrorCode.INVALID_INPUT

    def __init__(self, items: Sequence[ItemError], *, field: str) -> None:
        super().__init__(f"{len(items)} item(s) refused; nothing was changed", field=field)
        self.items = tuple(items)
