"""Organisation, member and token rows to domain dataclasses: plain functions over Core rows."""

from __future__ import annotations

from typing import Any

from domain.kernel.access import Role
from domain.organisations.model import ApiToken, Member, Organisation

Row = Any  # sqlalchemy.Row; attribute access by column name


def organisation(r: Row) -> Organisation:
    return Organisation(
        id=r.id,
        slug=r.slug,
        name=r.name,
        storage_quota_bytes=r.storage_quota_bytes,
        credit_budget=r.credit_budget,
        require_approval=r.require_approval,
        require_alt_text=r.require_alt_text,
        created_at=r.created_at,
        storage_used_bytes=r.storage_used_bytes,
        credits_spent=r.credits_spent,
    )


def member(r: Row) -> Member:
    return Member(
        id=r.id, org_id=r.org_id, name=r.name, email=r.email, role=Role(r.role), created_at=r.created_at
    )


def api_token(r: Row) -> ApiToken:
    return ApiToken(
        id=r.id,
        org_id=r.org_id,
        member_id=r.member_id,
        name=r.name,
        token_hash=r.token_hash,
        prefix=r.prefix,
        created_at=r.created_at,
        expires_at=r.expires_at,
        revoked_at=r.revoked_at,
    )
