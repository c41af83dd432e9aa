"""Webhooks' use cases with their dependencies bound once: `webhooks.create_webhook(actor, ...)`.

The outbox's loops (`dispatch_once`, `send_once`, `serve`) are methods too, so the server's
lifespan, `atelier worker` and the bench run the same code over the same bundle.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from domain.events.model import LoggedEvent
from domain.events.ports import EventLogMaintenance, EventLogReads
from domain.kernel.ports import Clock
from domain.webhooks import delivering, managing
from domain.webhooks.managing import WithSecret
from domain.webhooks.model import DeliveryPolicy
from domain.webhooks.ports import WebhookReads, WebhookSender, WebhookUnitOfWork
from domain.webhooks.signing import SecretDeriver

__all__ = ["DeliveryPolicy", "SecretDeriver", "Webhooks", "WithSecret"]


@dataclass(frozen=True, slots=True)
class Webhooks:
    """Webhooks of partner tools: their management, and the outbox that delivers events to them."""

    uow: Callable[[], WebhookUnitOfWork]
    """A fresh unit of work; each service call takes one."""
    outbox_uow: Callable[[], WebhookUnitOfWork]
    """The same, for the outbox's loops (their statements are told apart from requests')."""
    clock: Clock
    reads: WebhookReads
    outbox_reads: WebhookReads
    events: EventLogReads
    maintenance: EventLogMaintenance
    sender: WebhookSender
    secrets: SecretDeriver
    envelope: Callable[[LoggedEvent], str]
    """An event's delivery body (the GraphQL layer writes it as its `events` query shows events)."""
    policy: DeliveryPolicy = field(default_factory=DeliveryPolicy)

    create_webhook = managing.create_webhook
    update_webhook = managing.update_webhook
    delete_webhook = managing.delete_webhook
    rotate_webhook_secret = managing.rotate_webhook_secret
    redeliver_webhook_delivery = managing.redeliver_webhook_delivery
    list_webhooks = managing.list_webhooks
    webhooks_by_ids = managing.webhooks_by_ids
    deliveries_by_ids = managing.deliveries_by_ids
    list_deliveries = managing.list_deliveries
    count_deliveries = managing.count_deliveries
    dispatch_once = delivering.dispatch_once
    send_once = delivering.send_once
    serve = delivering.serve
