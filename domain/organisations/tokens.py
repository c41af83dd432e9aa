"""API tokens: issuing (shown once), revoking, and authenticating a bearer secret.

Tokens are 256-bit random strings, so a fast hash (sha256) is the right way to
keep them: there is nothing to brute-force as there would be with a password.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING

from domain.kernel.access import TOKEN_PREFIX, Actor, Role
from domain.kernel.errors import InvalidInput, NotFound
from domain.organisations.events import MemberCreated, TokenCreated, TokenRevoked
from domain.organisations.model import ApiToken

if TYPE_CHECKING:
    from domain.organisations.services import Organisations

# fullmatch, never match: `$` also matches before a trailing newline
_TOKEN_SHAPE = re.compile(r"atl_[A-Za-z0-9_-]{43}")
_EMAIL_SHAPE = re.compile(r"[^@\s\x00]{1,64}@[^@\s\x00]{1,190}")
_TOKEN_ID = re.compile(r"[0-9]{1,19}")


@dataclass(frozen=True, slots=True)
class IssuedToken:
    """A token as it is shown once: the secret, and the stored record."""

    secret: str
    token: ApiToken


def hash_token(secret: str) -> str:
    """The stored form of a token."""
    return hashlib.sha256(secret.encode()).hexdigest()


def looks_like_token(secret: str) -> bool:
    """Cheap shape check, so garbage never reaches the database."""
    return bool(_TOKEN_SHAPE.fullmatch(secret))


async def issue_token(
    organisations: Organisations,
    *,
    org_slug: str,
    role: Role,
    member_email: str | None = None,
    name: str = "cli",
    expires_at: datetime | None = None,
) -> IssuedToken:
    """Create a token for a member of the organisation, creating the member with `role` if new."""
    now = organisations.clock.now()
    if expires_at is not None and (expires_at.tzinfo is None or expires_at <= now):
        raise InvalidInput("the expiry must be an aware time in the future", field="expires_at")
    uow = organisations.uow()
    async with uow:
        org = await uow.organisations.get_by_slug(org_slug)
        if org is None:
            raise NotFound(f"no organisation has the slug {org_slug!r}", field="org")
        email = member_email or f"{role.value}@{org_slug}"
        if not _EMAIL_SHAPE.fullmatch(email):
            raise InvalidInput("the member's email is not valid", field="member")
        member = await uow.members.get_by_email(org.id, email)
        if member is None:
            member = await uow.members.add(
                org.id, name=email.split("@")[0], email=email, role=role, created_at=now
            )
            uow.record(
                MemberCreated(
                    org_id=org.id, subject_id=member.id, actor_id=None, occurred_at=now, role=role.value
                )
            )
        elif member.role is not role:
            raise InvalidInput(
                f"{email} already has the role {member.role.value}; pass another member or that role",
                field="role",
            )
        secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
        token = await uow.tokens.add(
            org.id,
            member_id=member.id,
            name=name,
            token_hash=hash_token(secret),
            prefix=secret[:10],
            created_at=now,
            expires_at=expires_at,
        )
        uow.record(
            TokenCreated(org_id=org.id, subject_id=token.id, actor_id=member.id, occurred_at=now, name=name)
        )
        await uow.commit()
    return IssuedToken(secret=secret, token=token)


async def revoke_token(organisations: Organisations, *, secret_or_id: str) -> ApiToken:
    """Revoke a token given its secret or its numeric id; revoking twice changes nothing."""
    now = organisations.clock.now()
    uow = organisations.uow()
    async with uow:
        if _TOKEN_ID.fullmatch(secret_or_id) and int(secret_or_id) < 2**63:  # ASCII digits, 64-bit
            token = await uow.tokens.get(int(secret_or_id))
        elif looks_like_token(secret_or_id):
            token = await uow.tokens.get_by_hash(hash_token(secret_or_id))
        else:
            token = None
        if token is None:
            raise NotFound("no such token", field="token")
        if await uow.tokens.revoke(token.org_id, token.id, at=now):
            uow.record(TokenRevoked(org_id=token.org_id, subject_id=token.id, actor_id=None, occurred_at=now))
            await uow.commit()
            token = replace(token, revoked_at=now)
    return token


async def authenticate(organisations: Organisations, *, secret: str | None) -> Actor | None:
    """The actor a bearer secret stands for, or None when it is missing, unknown, revoked or expired."""
    if not secret or not looks_like_token(secret):
        return None
    grant = await organisations.directory.grant_for_token_hash(hash_token(secret))
    if grant is None or not grant.token.is_usable(organisations.clock.now()):
        return None
    return Actor(
        org_id=grant.token.org_id, member_id=grant.token.member_id, role=grant.role, token_id=grant.token.id
    )
