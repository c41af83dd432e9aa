"""Events of organisations, members and tokens."""

from __future__ import annotations

from dataclasses import dataclass

from domain.kernel.events import DomainEvent


@dataclass(frozen=True, slots=True, kw_only=True)
class OrganisationCreated(DomainEvent):
    """A new organisation; its subject is the organisation itself."""

    type = "organisation.created"
    subject_type = "Organisation"
    slug: str


@dataclass(frozen=True, slots=True, kw_only=True)
class MemberCreated(DomainEvent):
    """A member joined with a role (made with their first token)."""

    type = "member.created"
    subject_type = "Member"
    role: str


@dataclass(frozen=True, slots=True, kw_only=True)
class TokenCreated(DomainEvent):
    """An API token was issued; the secret is never part of the event."""

    type = "token.created"
    subject_type = "ApiToken"
    name: str


@dataclass(frozen=True, slots=True, kw_only=True)
class TokenRevoked(DomainEvent):
    """An API token was revoked; requests with it fail from now on."""

    type = "token.revoked"
    subject_type = "ApiToken"
