"""The ports of organisations, members and tokens; `storage/organisations` implements them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Protocol

from domain.kernel.access import Role
from domain.organisations.model import ApiToken, Member, Organisation


class OrganisationRepository(Protocol):
    """Writes and transactional reads of organisations."""

    async def get(self, org_id: int) -> Organisation | None: ...

    async def get_by_slug(self, slug: str) -> Organisation | None: ...

    async def add(self, *, slug: str, name: str, created_at: datetime) -> Organisation: ...

    async def spend_credits(self, org_id: int, amount: int) -> bool:
        """Add to the credits spent unless that would pass the budget; False when it would."""
        ...

    async def refund_credits(self, org_id: int, amount: int) -> None: ...

    async def reserve_storage(self, org_id: int, byte_count: int) -> bool:
        """Add to the storage used unless that would pass the quota; False when it would."""
        ...


class MemberRepository(Protocol):
    """Writes and transactional reads of members."""

    async def get_by_email(self, org_id: int, email: str) -> Member | None: ...

    async def add(
        self, org_id: int, *, name: str, email: str, role: Role, created_at: datetime
    ) -> Member: ...


class TokenRepository(Protocol):
    """Writes and transactional reads of API tokens."""

    async def add(
        self,
        org_id: int,
        *,
        member_id: int,
        name: str,
        token_hash: str,
        prefix: str,
        created_at: datetime,
        expires_at: datetime | None,
    ) -> ApiToken: ...

    async def get_by_hash(self, token_hash: str) -> ApiToken | None: ...

    async def get(self, token_id: int) -> ApiToken | None: ...

    async def revoke(self, org_id: int, token_id: int, *, at: datetime) -> bool:
        """Mark revoked unless it already is; True when this call revoked it."""
        ...


class TokenGrant(Protocol):
    """A token together with its member's role, as authentication needs them."""

    @property
    def token(self) -> ApiToken: ...

    @property
    def role(self) -> Role: ...


class DirectoryReads(Protocol):
    """Reads of organisations, members and credentials outside any transaction."""

    async def grant_for_token_hash(self, token_hash: str) -> TokenGrant | None: ...

    async def organisation(self, org_id: int) -> Organisation | None: ...

    async def members_by_ids(self, org_id: int, ids: Sequence[int]) -> Mapping[int, Member]: ...
