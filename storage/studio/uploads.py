"""The repository of received uploads."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

import sqlalchemy as sa

from domain.studio.model import Upload
from domain.studio.writes import NewUpload
from storage.sql import tables as t
from storage.sql.repository import Repository
from storage.studio import mapping

U = t.uploads


class SqlUploadRepository(Repository):
    """UploadRepository over SQL."""

    async def add(self, upload: NewUpload) -> Upload:
        u, m = upload, upload.metadata
        stmt = (
            sa.insert(U)
            .values(
                org_id=u.org_id,
                member_id=u.member_id,
                blob_key=u.blob_key,
                mime_type=u.mime_type,
                byte_size=u.byte_size,
                width=u.width,
                height=u.height,
                filename=u.filename,
                metadata={
                    "tool": m.tool,
                    "prompt": m.prompt,
                    "negative_prompt": m.negative_prompt,
                    "seed": m.seed,
                    "model": m.model,
                },
                created_at=u.created_at,
                expires_at=u.expires_at,
            )
            .returning(*U.c)
        )
        return mapping.upload((await self._rows(stmt))[0])

    async def get(self, org_id: int, upload_id: int, *, for_update: bool = False) -> Upload | None:
        stmt = sa.select(U).where(U.c.org_id == org_id, U.c.id == upload_id)
        rows = await self._rows(stmt.with_for_update() if for_update else stmt)
        return mapping.upload(rows[0]) if rows else None

    async def consume(self, org_id: int, upload_id: int, at: datetime) -> bool:
        stmt = (
            sa.update(U)
            .where(U.c.org_id == org_id, U.c.id == upload_id, U.c.consumed_at.is_(None))
            .values(consumed_at=at)
        )
        return (await self._conn.execute(stmt)).rowcount == 1

    async def get_many(
        self, org_id: int, ids: Sequence[int], *, for_update: bool = False
    ) -> Mapping[int, Upload]:
        if not ids:
            return {}
        stmt = sa.select(U).where(U.c.org_id == org_id, U.c.id.in_(ids))
        rows = await self._rows(stmt.with_for_update() if for_update else stmt)
        return {r.id: mapping.upload(r) for r in rows}

    async def consume_many(self, org_id: int, ids: Sequence[int], at: datetime) -> set[int]:
        if not ids:
            return set()
        stmt = (
            sa.update(U)
            .where(U.c.org_id == org_id, U.c.id.in_(ids), U.c.consumed_at.is_(None))
            .values(consumed_at=at)
            .returning(U.c.id)
        )
        return {r.id for r in await self._rows(stmt)}

    async def delete_expired(self, now: datetime, *, limit: int) -> Sequence[Upload]:
        ids = (
            sa.select(U.c.id)
            .where(U.c.expires_at <= now, U.c.consumed_at.is_(None))
            .order_by(U.c.expires_at)
            .limit(limit)
            .scalar_subquery()
        )
        # the conditions again: an import may have consumed a row since the subquery picked it
        stmt = (
            sa.delete(U)
            .where(U.c.id.in_(ids), U.c.expires_at <= now, U.c.consumed_at.is_(None))
            .returning(*U.c)
        )
        return [mapping.upload(r) for r in await self._rows(stmt)]
