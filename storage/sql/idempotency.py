"""IdempotencyRepository over SQL: what a request sent with an idempotency key answered."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from domain.kernel.idempotency import IdempotentResult
from storage.sql import tables as t
from storage.sql.repository import Repository


class SqlIdempotencyRepository(Repository):
    """IdempotencyRepository over SQL."""

    async def get(self, org_id: int, scope: str, key: str) -> IdempotentResult | None:
        k = t.idempotency_keys
        rows = await self._rows(sa.select(k).where(k.c.org_id == org_id, k.c.scope == scope, k.c.key == key))
        return IdempotentResult(rows[0].fingerprint, tuple(rows[0].result)) if rows else None

    async def put(self, org_id: int, scope: str, key: str, result: IdempotentResult, at: datetime) -> bool:
        k = t.idempotency_keys
        stmt = (
            self._insert_ignoring_duplicates(k)
            .values(
                org_id=org_id,
                scope=scope,
                key=key,
                fingerprint=result.fingerprint,
                result=list(result.ids),
                created_at=at,
            )
            .returning(k.c.key)
        )
        return bool(await self._rows(stmt))
