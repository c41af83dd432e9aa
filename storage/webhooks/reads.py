"""WebhookReads over SQL: each call one statement on a connection of its own."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from domain.kernel.pagination import Page, PageRequest
from domain.webhooks.model import Delivery, Webhook
from storage.sql import tables as t
from storage.sql.database import is_sqlite
from storage.sql.paging import id_key, newest_first, to_page
from storage.sql.reader import SqlReader
from storage.webhooks.mapping import D, W, claimable, delivery, webhook


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

    async def deliveries(self, org_id: int, webhook_id: int, page: PageRequest) -> Page[Delivery]:
        stmt = newest_first(
            sa.select(D).where(D.c.org_id == org_id, D.c.webhook_id == webhook_id), D.c.id, page
        )
        return to_page(await self._rows(stmt), page.first, delivery, id_key)

    async def count_deliveries(self, org_id: int, webhook_id: int) -> int:
        stmt = (
            sa.select(sa.func.count())
            .select_from(D)
            .where(D.c.org_id == org_id, D.c.webhook_id == webhook_id)
        )
        return int(await self._scalar(stmt))

    async def dispatched_through(self) -> int:
        return int(
            await self._scalar(sa.select(t.webhook_dispatch.c.last_seq).where(t.webhook_dispatch.c.id == 1))
        )

    async def due(self, now: datetime) -> bool:
        return bool(await self._scalar(sa.select(sa.exists().where(claimable(now)))))
