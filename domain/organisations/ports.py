"""The ports of organisations, members and tokens; `storage/organisations` implements them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Protocol

from domain.kernel.access import Role
from domain.organisations.model import ApiToken, Member, Organisation, StorageUsage


class OrganisationRepository(Protocol):
    """Writes and transactional reads of organisations."""

    async def get(self, org_id: int) -> Organisation | None:
        """The organisation with this id; None when there is none."""
        ...

    async def get_by_slug(self, slug: str) -> Organisation | None:
        """The organisation with this slug (unique across all of them, compared exactly); None when none."""
        ...

    async def add(self, *, slug: str, name: str, created_at: datetime) -> Organisation:
        """Create an organisation with the default quota and budget, approval and alt text required.

        The slug must be free: the service looks first, and a twin racing it fails on the
        unique slug when its transaction writes.
        """
        ...

    async def spend_credits(self, org_id: int, amount: int) -> bool:
        """Add to the credits spent unless that would pass the budget; False when it would (or no such
        organisation). One conditional UPDATE, so concurrent spenders never overdraw the budget."""
        ...

    async def refund_credits(self, org_id: int, amount: int) -> None:
        """Take back credits spent (those of images a provider did not make), unconditionally."""
        ...

    async def reserve_storage(self, org_id: int, byte_count: int) -> bool:
        """Add to the storage used unless that would pass the quota; False when it would (or no such
        organisation). One conditional UPDATE, so concurrent uploads never pass the quota together."""
        ...

    async def release_storage(self, org_id: int, byte_count: int) -> None:
        """Take bytes off the storage used (a purge's, or a dedupe's that stored nothing new), in one
        relative UPDATE: concurrent releases and reservations each count once, none overwrites another.
        Call it with exactly what the rows deleted in the same transaction held."""
        ...


class MemberRepository(Protocol):
    """Writes and transactional reads of members."""

    async def get_by_email(self, org_id: int, email: str) -> Member | None:
        """The organisation's member with this email (compared exactly); None when none."""
        ...

    async def add(self, org_id: int, *, name: str, email: str, role: Role, created_at: datetime) -> Member:
        """Create a member; an email is unique within an organisation (the unique key fails a twin)."""
        ...


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
    ) -> ApiToken:
        """Store a token by its hash (never the secret) for a member of the organisation."""
        ...

    async def get_by_hash(self, token_hash: str) -> ApiToken | None:
        """The token with this hash, of any organisation (the token tells which), revoked and expired
        ones included; None when none."""
        ...

    async def get(self, token_id: int) -> ApiToken | None:
        """The token with this id, of any organisation (the operator's CLI names tokens by id), revoked
        and expired ones included; None when none."""
        ...

    async def revoke(self, org_id: int, token_id: int, *, at: datetime) -> bool:
        """Mark the organisation's token revoked unless it already is (compare-and-set on `revoked_at`);
        True when this call revoked it, False when it was revoked before or is not the organisation's."""
        ...


class TokenGrant(Protocol):
    """A token together with its member's role, as authentication needs them."""

    @property
    def token(self) -> ApiToken:
        """The token, revoked or expired as it may be: the caller decides."""
        ...

    @property
    def role(self) -> Role:
        """The role its member holds now (not when the token was issued)."""
        ...


class DirectoryReads(Protocol):
    """Reads of organisations, members and credentials outside any transaction."""

    async def grant_for_token_hash(self, token_hash: str) -> TokenGrant | None:
        """The token with this hash and its member's role, of any organisation (authentication learns the
        organisation from it), revoked and expired ones included; None when none. One statement."""
        ...

    async def organisation(self, org_id: int) -> Organisation | None:
        """The organisation with this id; None when there is none."""
        ...

    async def members_by_ids(self, org_id: int, ids: Sequence[int]) -> Mapping[int, Member]:
        """The organisation's members among these ids, by id; an unknown id, or another organisation's,
        is left out."""
        ...

    async def storage_usage(self, org_id: int) -> StorageUsage | None:
        """The organisation's storage used (the running total that saves reserve and purges release),
        its quota, and how many assets (live and trashed) hold it; None when there is no such
        organisation. One statement."""
        ...
