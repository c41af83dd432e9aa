"""Repositories of organisations (with their quota and budget counters), members and tokens."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from domain.kernel.access import Role
from domain.organisations.model import (
    DEFAULT_CREDIT_BUDGET,
    DEFAULT_STORAGE_QUOTA_BYTES,
    ApiToken,
    Member,
    Organisation,
)
from storage.organisations import mapping
from storage.sql import tables as t
from storage.sql.repository import Repository


class SqlOrganisationRepository(Repository):
    """OrganisationRepository over SQL."""

    async def get(self, org_id: int) -> Organisation | None:
        row = (
            await self._conn.execute(sa.select(t.organisations).where(t.organisations.c.id == org_id))
        ).first()
        return mapping.organisation(row) if row else None

    async def spend_credits(self, org_id: int, amount: int) -> bool:
        o = t.organisations
        stmt = (
            sa.update(o)
            .where(o.c.id == org_id, o.c.credits_spent + amount <= o.c.credit_budget)
            .values(credits_spent=o.c.credits_spent + amount)
        )
        return (await self._conn.execute(stmt)).rowcount == 1

    async def refund_credits(self, org_id: int, amount: int) -> None:
        o = t.organisations
        await self._conn.execute(
            sa.update(o).where(o.c.id == org_id).values(credits_spent=o.c.credits_spent - amount)
        )

    async def reserve_storage(self, org_id: int, byte_count: int) -> bool:
        o = t.organisations
        stmt = (
            sa.update(o)
            .where(o.c.id == org_id, o.c.storage_used_bytes + byte_count <= o.c.storage_quota_bytes)
            .values(storage_used_bytes=o.c.storage_used_bytes + byte_count)
        )
        return (await self._conn.execute(stmt)).rowcount == 1

    async def release_storage(self, org_id: int, byte_count: int) -> None:
        o = t.organisations
        if byte_count:
            await self._conn.execute(
                sa.update(o)
                .where(o.c.id == org_id)
                .values(storage_used_bytes=o.c.storage_used_bytes - byte_count)
            )

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


class SqlMemberRepository(Repository):
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


class SqlTokenRepository(Repository):
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
