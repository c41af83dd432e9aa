"""WebhookReads over SQL: each call one statement on a connection of its own."""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from domain.kernel.pagination import Page, PageRequest
from domain.webhooks.model import Delivery, Webhook
from storage.sql import prepared
from storage.sql import tables as t
from storage.sql.database import is_sqlite
from storage.sql.reader import SqlReader
from storage.webhooks.mapping import D, W, claimable, delivery, webhook


@functools.cache
def _deliveries_of() -> sa.Select[Any]:  # bind `org_id` and `ids` (the webhooks)
    return sa.select(D).where(D.c.org_id == prepared.org_id(), D.c.webhook_id.in_(prepared.ids()))


class SqlWebhookReads(SqlReader):
    """WebhookReads over SQL."""

    @classmethod
    def over(cls, engine: AsyncEngine) -> SqlWebhookReads:
        """Reads for requests: single statements, without a transaction on PostgreSQL (as storage.reads)."""
        return cls(engine if is_sqlite(engine) else engine.execution_options(isolation_level="AUTOCOMMIT"))

    async def webhooks(self, org_id: int) -> Sequence[Webhook]:
        return [
            webhook(r) for r in await self._rows(sa.select(W).where(W.c.org_id == org_id).order_by(W.c.id))
        ]

    async def webhooks_by_ids(self, org_id: int, ids: Sequence[int]) -> Mapping[int, Webhook]:
        return await self._by_ids(W, org_id, ids, webhook)

    async def deliveries_by_ids(self, org_id: int, ids: Sequence[int]) -> Mapping[int, Delivery]:
        return await self._by_ids(D, org_id, ids, delivery)

    async def delivery_pages(
        self, org_id: int, webhook_ids: Sequence[int], page: PageRequest
    ) -> Mapping[int, Page[Delivery]]:
        stmt = _deliveries_of()
        return await self._group_pages(stmt, D.c.id, D.c.webhook_id, org_id, webhook_ids, page, delivery)

    async def delivery_counts(self, org_id: int, webhook_ids: Sequence[int]) -> Mapping[int, int]:
        return await self._group_counts(_deliveries_of(), D.c.webhook_id, org_id, webhook_ids)

    async def dispatched_through(self) -> int:
        return int(
            await self._scalar(sa.select(t.webhook_dispatch.c.last_seq).where(t.webhook_dispatch.c.id == 1))
        )

    async def due(self, now: datetime) -> bool:
        return bool(await self._scalar(sa.select(sa.exists().where(claimable(now)))))
