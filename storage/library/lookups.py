"""Bulk lookups by natural keys in a transaction: assets by content, folders by id, tags by name."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import sqlalchemy as sa

from domain.library.model import Asset, Folder, Tag, name_key
from storage.library import mapping
from storage.sql import tables as t
from storage.sql.repository import Repository

A = t.assets


class SqlLibraryLookups(Repository):
    """LibraryLookups over SQL."""

    async def live_assets_by_blob_keys(self, org_id: int, keys: Sequence[str]) -> Mapping[str, Asset]:
        if not keys:
            return {}
        stmt = (
            sa.select(A)
            .where(A.c.org_id == org_id, A.c.blob_key.in_(set(keys)), A.c.trashed_at.is_(None))
            .order_by(A.c.id.desc())  # the oldest is written last, so it wins below
        )
        return {r.blob_key: mapping.asset(r) for r in await self._rows(stmt)}

    async def folders(self, org_id: int, ids: Sequence[int]) -> Mapping[int, Folder]:
        if not ids:
            return {}
        f = t.folders
        rows = await self._rows(sa.select(f).where(f.c.org_id == org_id, f.c.id.in_(set(ids))))
        return {r.id: mapping.folder(r) for r in rows}

    async def tags_by_names(self, org_id: int, names: Sequence[str]) -> Mapping[str, Tag]:
        if not names:
            return {}
        tg = t.tags
        keys = {name_key(n) for n in names}
        rows = await self._rows(sa.select(tg).where(tg.c.org_id == org_id, tg.c.name_key.in_(keys)))
        return {r.name_key: mapping.tag(r) for r in rows}
