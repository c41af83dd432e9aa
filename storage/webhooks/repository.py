"""WebhookRepository over SQL, in the unit of work's transaction.

The claim is one `UPDATE ... WHERE id IN (SELECT ... FOR UPDATE SKIP LOCKED)` as in
storage.processing.jobs: on PostgreSQL concurrent senders pass each other's rows, SQLite's
writers run one at a time anyway. Every write after the claim names the holder and its
attempt, so a sender whose lease passed writes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa

from domain.webhooks.model import (
    Attempt,
    ClaimedDelivery,
    Delivery,
    DeliveryStatus,
    NewDelivery,
    NewWebhook,
    Webhook,
    WebhookState,
)
from storage.sql import tables as t
from storage.sql.repository import Repository
from storage.sql.rows import values_of
from storage.webhooks.mapping import D, W, claimable, delivery, webhook

CURSOR = t.webhook_dispatch


class SqlWebhookRepository(Repository):
    """WebhookRepository over SQL."""

    async def count(self, org_id: int) -> int:
        stmt = sa.select(sa.func.count()).select_from(W).where(W.c.org_id == org_id)
        return int((await self._conn.execute(stmt)).scalar_one())

    async def add(self, new: NewWebhook) -> Webhook:
        values = values_of(new) | {"event_types": list(new.event_types), "updated_at": new.created_at}
        rows = await self._rows(sa.insert(W).values(values).returning(*W.c))
        return webhook(rows[0])

    async def get(self, org_id: int, webhook_id: int) -> Webhook | None:
        rows = await self._rows(sa.select(W).where(W.c.org_id == org_id, W.c.id == webhook_id))
        return webhook(rows[0]) if rows else None

    async def save(self, hook: Webhook) -> None:
        values = values_of(hook)
        for fixed in ("id", "org_id", "created_at"):
            del values[fixed]
        values["event_types"] = list(hook.event_types)
        await self._conn.execute(
            sa.update(W).where(W.c.org_id == hook.org_id, W.c.id == hook.id).values(values)
        )

    async def delete(self, org_id: int, webhook_id: int) -> Webhook | None:
        await self._conn.execute(sa.delete(D).where(D.c.org_id == org_id, D.c.webhook_id == webhook_id))
        rows = await self._rows(
            sa.delete(W).where(W.c.org_id == org_id, W.c.id == webhook_id).returning(*W.c)
        )
        return webhook(rows[0]) if rows else None

    async def dispatch_cursor(self) -> int:
        stmt = sa.select(CURSOR.c.last_seq).where(CURSOR.c.id == 1).with_for_update()
        return int((await self._conn.execute(stmt)).scalar_one())

    async def advance_cursor(self, seq: int) -> None:
        await self._conn.execute(sa.update(CURSOR).where(CURSOR.c.id == 1).values(last_seq=seq))

    async def subscribers(self, org_ids: Sequence[int]) -> Sequence[Webhook]:
        if not org_ids:
            return []
        stmt = sa.select(W).where(W.c.org_id.in_(org_ids), W.c.state == WebhookState.ENABLED.value)
        return [webhook(r) for r in await self._rows(stmt.order_by(W.c.id))]

    async def add_deliveries(self, deliveries: Sequence[NewDelivery]) -> int:
        if not deliveries:
            return 0
        rows = [
            values_of(d) | {"status": DeliveryStatus.PENDING.value, "attempts": 0, "due_at": d.created_at}
            for d in deliveries
        ]
        await self._conn.execute(self._insert_ignoring_duplicates(D), rows)
        return len(rows)

    async def claim(
        self, worker: str, now: datetime, until: datetime, limit: int
    ) -> Sequence[ClaimedDelivery]:
        due = (
            sa.select(D.c.id)
            .where(claimable(now))
            .order_by(D.c.due_at, D.c.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        claimed = await self._rows(
            sa.update(D)
            .where(D.c.id.in_(due.scalar_subquery()))
            .values(attempts=D.c.attempts + 1, due_at=until, claimed_by=worker)
            .returning(D.c.id)
        )
        if not claimed:
            return []
        stmt = (
            sa.select(
                D.c.id,
                D.c.org_id,
                D.c.webhook_id,
                D.c.event_seq,
                D.c.attempts,
                D.c.claimed_by,
                D.c.body,
                W.c.url,
                W.c.secret_salt,
                W.c.previous_secret_salt,
                W.c.previous_secret_expires_at,
            )
            .join(W, W.c.id == D.c.webhook_id)
            .where(D.c.id.in_([r.id for r in claimed]))
            .order_by(D.c.id)
        )
        return [ClaimedDelivery(**r._mapping) for r in await self._rows(stmt)]

    async def settle(
        self, claimed: ClaimedDelivery, attempt: Attempt, retry_at: datetime | None, now: datetime
    ) -> bool:
        result = await self._conn.execute(
            sa.update(D)
            .where(
                D.c.id == claimed.id, D.c.claimed_by == claimed.claimed_by, D.c.attempts == claimed.attempts
            )
            .values(
                status=(DeliveryStatus.DELIVERED if attempt.ok else DeliveryStatus.FAILED).value,
                response_status=attempt.response_status,
                duration_ms=attempt.duration_ms,
                last_error=attempt.error.value if attempt.error else None,
                due_at=retry_at,
                claimed_by=None,
                delivered_at=now if attempt.ok else None,
            )
        )
        return bool(result.rowcount)

    async def release(self, claimed: ClaimedDelivery, now: datetime) -> bool:
        result = await self._conn.execute(
            sa.update(D)
            .where(
                D.c.id == claimed.id, D.c.claimed_by == claimed.claimed_by, D.c.attempts == claimed.attempts
            )
            .values(due_at=now, claimed_by=None, attempts=claimed.attempts - 1)
        )
        return bool(result.rowcount)

    async def mark_failing(self, org_id: int, webhook_id: int, now: datetime) -> datetime | None:
        rows = await self._rows(
            sa.update(W)
            .where(W.c.org_id == org_id, W.c.id == webhook_id)
            .values(failing_since=sa.func.coalesce(W.c.failing_since, sa.literal(now, t.UtcDateTime())))
            .returning(W.c.failing_since)
        )
        return rows[0].failing_since if rows else None

    async def mark_healthy(self, org_id: int, webhook_id: int) -> None:
        await self._conn.execute(
            sa.update(W)
            .where(W.c.org_id == org_id, W.c.id == webhook_id, W.c.failing_since.is_not(None))
            .values(failing_since=None)
        )

    async def disable(self, org_id: int, webhook_id: int, reason: str, at: datetime) -> bool:
        result = await self._conn.execute(
            sa.update(W)
            .where(W.c.org_id == org_id, W.c.id == webhook_id, W.c.state == WebhookState.ENABLED.value)
            .values(state=WebhookState.DISABLED.value, disabled_reason=reason[:300], updated_at=at)
        )
        return bool(result.rowcount)

    async def redeliver(self, org_id: int, delivery_id: int, now: datetime) -> Delivery | None:
        rows = await self._rows(
            sa.update(D)
            .where(D.c.org_id == org_id, D.c.id == delivery_id, D.c.claimed_by.is_(None))
            .values(status=DeliveryStatus.PENDING.value, due_at=now, delivered_at=None)
            .returning(*D.c)
        )
        return delivery(rows[0]) if rows else None

    async def delivery(self, org_id: int, delivery_id: int) -> Delivery | None:
        rows = await self._rows(sa.select(D).where(D.c.org_id == org_id, D.c.id == delivery_id))
        return delivery(rows[0]) if rows else None
