"""The trash over SQL: trashing and restoring are one UPDATE each; a purge is one DELETE whose
RETURNING says what it freed, so two racing purges never free the same bytes twice."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa

from domain.library.model import Asset
from domain.library.trash.ports import PurgedAsset
from storage.library import mapping
from storage.sql import tables as t
from storage.sql.repository import Repository

A = t.assets


class SqlTrashRepository(Repository):
    """TrashRepository over SQL."""

    async def lock_assets(self, org_id: int, asset_ids: Sequence[int]) -> None:
        # SQLite's write transactions are serial already (BEGIN IMMEDIATE)
        if asset_ids and self._conn.dialect.name == "postgresql":
            stmt = sa.select(A.c.id).where(A.c.org_id == org_id, A.c.id.in_(asset_ids)).with_for_update()
            await self._rows(stmt)

    async def trash_assets(self, org_id: int, asset_ids: Sequence[int], at: datetime) -> set[int]:
        stmt = (
            sa.update(A)
            .where(A.c.org_id == org_id, A.c.id.in_(asset_ids), A.c.trashed_at.is_(None))
            .values(trashed_at=at, updated_at=at)
            .returning(A.c.id)
        )
        return {r.id for r in await self._rows(stmt)}

    async def restore_assets(self, org_id: int, asset_ids: Sequence[int], at: datetime) -> set[int]:
        stmt = (
            sa.update(A)
            .where(A.c.org_id == org_id, A.c.id.in_(asset_ids), A.c.trashed_at.is_not(None))
            .values(trashed_at=None, updated_at=at)
            .returning(A.c.id)
        )
        return {r.id for r in await self._rows(stmt)}

    async def purge_assets(
        self, org_id: int, asset_ids: Sequence[int], *, trashed_before: datetime | None = None
    ) -> Sequence[PurgedAsset]:
        if not asset_ids:
            return []
        where = [A.c.org_id == org_id, A.c.id.in_(asset_ids), A.c.trashed_at.is_not(None)]
        if trashed_before is not None:
            where.append(A.c.trashed_at < trashed_before)
        # the links (tags, projects, favourites, context assets, placements) go by ON DELETE CASCADE
        rows = await self._rows(
            sa.delete(A).where(*where).returning(A.c.id, A.c.org_id, A.c.blob_key, A.c.byte_size)
        )
        gone = [PurgedAsset(r.id, r.org_id, r.blob_key, r.byte_size) for r in rows]
        if gone:
            # no foreign key holds it (see tables.py): a generation saved as a purged asset is no
            # longer saved, so saving it again makes a new asset rather than finding none
            g = t.generations
            await self._conn.execute(
                sa.update(g)
                .where(g.c.org_id == org_id, g.c.saved_asset_id.in_([p.id for p in gone]))
                .values(saved_asset_id=None)
            )
        return gone

    async def expired_trash(self, trashed_before: datetime, *, limit: int) -> Sequence[Asset]:
        stmt = (
            sa.select(A)
            .where(A.c.trashed_at.is_not(None), A.c.trashed_at < trashed_before)
            .order_by(A.c.trashed_at, A.c.id)
            .limit(limit)
        )
        return [mapping.asset(r) for r in await self._rows(stmt)]
