"""Reads of organisations, members and credentials."""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from domain.kernel.access import Role
from domain.organisations.model import ApiToken, Member, Organisation, StorageUsage
from storage.organisations import mapping
from storage.sql import tables as t
from storage.sql.reader import SqlReader


@dataclass(frozen=True, slots=True)
class Grant:
    """A token with its member's role."""

    token: ApiToken
    role: Role


@functools.cache
def _grant_for_token_hash() -> sa.Select[Any]:  # every request's first statement: built once
    return (
        sa.select(*t.api_tokens.c, t.members.c.role)
        .join(t.members, t.members.c.id == t.api_tokens.c.member_id)
        .where(t.api_tokens.c.token_hash == sa.bindparam("token_hash"))
    )


class SqlDirectoryReads(SqlReader):
    """DirectoryReads over SQL."""

    async def grant_for_token_hash(self, token_hash: str) -> Grant | None:
        rows = await self._rows(_grant_for_token_hash(), {"token_hash": token_hash})
        if not rows:
            return None
        return Grant(token=mapping.api_token(rows[0]), role=Role(rows[0].role))

    async def organisation(self, org_id: int) -> Organisation | None:
        rows = await self._rows(sa.select(t.organisations).where(t.organisations.c.id == org_id))
        return mapping.organisation(rows[0]) if rows else None

    async def members_by_ids(self, org_id: int, ids: Sequence[int]) -> Mapping[int, Member]:
        return await self._by_ids(t.members, org_id, ids, mapping.member)

    async def storage_usage(self, org_id: int) -> StorageUsage | None:
        o, a = t.organisations, t.assets
        assets = sa.select(sa.func.count()).select_from(a).where(a.c.org_id == org_id).scalar_subquery()
        stmt = sa.select(o.c.storage_used_bytes, o.c.storage_quota_bytes, assets.label("asset_count")).where(
            o.c.id == org_id
        )
        rows = await self._rows(stmt)
        if not rows:
            return None
        r = rows[0]
        return StorageUsage(r.storage_used_bytes, r.storage_quota_bytes, r.asset_count)
