"""Organisations, their members and the API tokens members call with."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from domain.kernel.access import Role

DEFAULT_STORAGE_QUOTA_BYTES = 10 * 1024**3
DEFAULT_CREDIT_BUDGET = 10_000


@dataclass(frozen=True, slots=True)
class Organisation:
    """A tenant: every other row belongs to exactly one."""

    id: int
    slug: str
    name: str
    storage_quota_bytes: int
    credit_budget: int
    require_approval: bool
    require_alt_text: bool
    created_at: datetime
    storage_used_bytes: int = 0
    credits_spent: int = 0


@dataclass(frozen=True, slots=True)
class StorageUsage:
    """What an organisation's library holds, as the billing page shows it.

    Trashed assets count until they are purged (their files are still kept); each asset row
    counts its own bytes, so the same image saved twice counts twice (two assets to purge).
    """

    used_bytes: int
    limit_bytes: int
    asset_count: int


@dataclass(frozen=True, slots=True)
class Member:
    """A person (or a service) acting in one organisation with one role."""

    id: int
    org_id: int
    name: str
    email: str
    role: Role
    created_at: datetime


@dataclass(frozen=True, slots=True)
class ApiToken:
    """A bearer credential of a member; only its sha256 is kept."""

    id: int
    org_id: int
    member_id: int
    name: str
    token_hash: str
    prefix: str
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None

    def is_usable(self, now: datetime) -> bool:
        """A token works until it is revoked or expires."""
        if self.revoked_at is not None:
            return False
        return self.expires_at is None or now < self.expires_at
