"""Rows of `webhooks` and `webhook_deliveries` as the domain's objects, and the claimable condition."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from domain.webhooks.model import Delivery, DeliveryStatus, Webhook, WebhookState
from storage.sql import tables as t
from storage.sql.rows import from_row

W, D = t.webhooks, t.webhook_deliveries


def webhook(row: Any) -> Webhook:
    return from_row(Webhook, row, event_types=tuple(row.event_types))


def delivery(row: Any) -> Delivery:
    return from_row(Delivery, row, next_attempt_at=row.due_at)


def claimable(now: Any) -> sa.ColumnElement[bool]:
    """Due, of an enabled webhook, and with no earlier undelivered delivery of its webhook and subject
    (that one goes first: order per subject). The sender's idle check asks the same."""
    earlier = D.alias("earlier")
    blocked = sa.exists().where(
        earlier.c.webhook_id == D.c.webhook_id,
        earlier.c.subject_type == D.c.subject_type,
        earlier.c.subject_id == D.c.subject_id,
        earlier.c.id < D.c.id,
        earlier.c.status != DeliveryStatus.DELIVERED.value,
    )
    enabled = sa.exists().where(W.c.id == D.c.webhook_id, W.c.state == WebhookState.ENABLED.value)
    return sa.and_(D.c.due_at <= now, enabled, ~blocked)
