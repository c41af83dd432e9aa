"""Repositories: transactional reads and writes on the unit of work's connection."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.access import Role
from domain.model.organisation import (
    DEFAULT_CREDIT_BUDGET,
    DEFAULT_STORAGE_QUOTA_BYTES,
    ApiToken,
    Member,
    Organisation,
)
from storage import mapping
from storage import tables as t


class _Repository:
    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn


class SqlOrganisationRepository(_Repository):
    """OrganisationRepository over SQL."""

    async def get_by_slug(self, slug: str) -> Organisation | None:
        row = (
            await self._conn.execute(sa.select(t.organisations).where(t.organisations.c.slug == slug))
        ).first()
        return mapping.organisation(row) if row else None

    async def add(self, *, slug: str, name: str, created_at: datetime) -> Organisation:
        stmt = (
            sa.insert(t.organisations)
            .values(
                slug=slug,
                name=name,
                storage_quota_bytes=DEFAULT_STORAGE_QUOTA_BYTES,
                credit_budget=DEFAULT_CREDIT_BUDGET,
                require_approval=True,
                require_alt_text=True,
                created_at=created_at,
            )
            .returning(*t.organisations.c)
        )
        return mapping.organisation((await self._conn.execute(stmt)).one())


class SqlMemberRepository(_Repository):
    """MemberRepository over SQL."""

    async def get_by_email(self, org_id: int, email: str) -> Member | None:
        m = t.members
        row = (await self._conn.execute(sa.select(m).where(m.c.org_id == org_id, m.c.email == email))).first()
        return mapping.member(row) if row else None

    async def add(self, org_id: int, *, name: str, email: str, role: Role, created_at: datetime) -> Member:
        stmt = (
            sa.insert(t.members)
            .values(org_id=org_id, name=name, email=email, role=role.value, created_at=created_at)
            .returning(*t.members.c)
        )
        return mapping.member((await self._conn.execute(stmt)).one())


class SqlTokenRepository(_Repository):
    """TokenRepository over SQL."""

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
        stmt = (
            sa.insert(t.api_tokens)
            .values(
                org_id=org_id,
                member_id=member_id,
                name=name,
                token_hash=token_hash,
                prefix=prefix,
                created_at=created_at,
                expires_at=expires_at,
            )
            .returning(*t.api_tokens.c)
        )
        return mapping.api_token((await self._conn.execute(stmt)).one())

    async def get_by_hash(self, token_hash: str) -> ApiToken | None:
        stmt = sa.select(t.api_tokens).where(t.api_tokens.c.token_hash == token_hash)
        row = (await self._conn.execute(stmt)).first()
        return mapping.api_token(row) if row else None

    async def get(self, token_id: int) -> ApiToken | None:
        row = (await self._conn.execute(sa.select(t.api_tokens).where(t.api_tokens.c.id == token_id))).first()
        return mapping.api_token(row) if row else None

    async def revoke(self, org_id: int, token_id: int, *, at: datetime) -> bool:
        tok = t.api_tokens
        stmt = (
            sa.update(tok)
            .where(tok.c.org_id == org_id, tok.c.id == token_id, tok.c.revoked_at.is_(None))
            .values(revoked_at=at)
        )
        return (await self._conn.execute(stmt)).rowcount == 1
