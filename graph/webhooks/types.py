"""The Webhook type and its deliveries. A webhook's secret is never a field: it is shown once, in the
payload of the mutation that made it (createWebhook, rotateWebhookSecret)."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.types import Info

from domain.webhooks import model as m
from domain.webhooks.model import delivery_page
from graph.events.types import event_list
from graph.relay.connection import After, Connection, First, connection_of, cursors_of
from graph.relay.ids import ListCursors, to_global_id
from graph.relay.node import Node

strawberry.enum(
    m.DeliveryStatus,
    name="WebhookDeliveryStatus",
    description="PENDING until its first attempt, DELIVERED once the receiver answered 2xx, FAILED while "
    "it is retried (with backoff, until delivered or the webhook is disabled).",
)
strawberry.enum(
    m.DeliveryError,
    name="WebhookDeliveryError",
    description="Why an attempt failed: BLOCKED_ADDRESS (the host resolves to a private, loopback, "
    "link-local or metadata address), DNS_FAILED, CONNECTION_FAILED, TIMEOUT, HTTP_STATUS (answered, "
    "but not 2xx; redirects are not followed), INTERNAL.",
)


@strawberry.type(description="One event sent (or to be sent) to a webhook, and how its attempts went.")
class WebhookDelivery(Node):
    event_type: str = strawberry.field(description="The event's type, e.g. `asset.saved`.")
    event_seq: strawberry.Private[int]
    status: m.DeliveryStatus = strawberry.field(description="PENDING, DELIVERED or FAILED (retrying).")
    attempts: int = strawberry.field(description="Attempts made so far.")
    response_status: int | None = strawberry.field(
        description="The HTTP status of the last attempt; null when there was no answer."
    )
    duration_ms: int | None = strawberry.field(description="How long the last attempt took, in milliseconds.")
    last_error: m.DeliveryError | None = strawberry.field(
        description="Why the last attempt failed; null after a success."
    )
    created_at: datetime = strawberry.field(description="When the delivery was made from the event.")
    delivered_at: datetime | None = strawberry.field(description="When the receiver accepted it.")
    next_attempt_at: datetime | None = strawberry.field(
        description="When it is tried next (while a sender holds it: when that sender's lease ends); "
        "null once delivered."
    )

    @strawberry.field(
        description="The event's cursor, as the body's `cursor` and the `events` query give it: pass it as "
        "`events(after:)` to read on from there."
    )
    def event_cursor(self, info: Info) -> str:
        cursors: ListCursors = info.context.cursors.of(event_list(info.context.actor.org_id))
        return cursors.encode((self.event_seq,))

    @classmethod
    def from_domain(cls, d: m.Delivery) -> WebhookDelivery:
        return cls(
            id=to_global_id("WebhookDelivery", d.id),
            pk=d.id,
            event_type=d.event_type,
            event_seq=d.event_seq,
            status=d.status,
            attempts=d.attempts,
            response_status=d.response_status,
            duration_ms=d.duration_ms,
            last_error=d.last_error,
            created_at=d.created_at,
            delivered_at=d.delivered_at,
            next_attempt_at=d.next_attempt_at,
        )


@strawberry.type(
    description="A partner tool's URL that receives the organisation's events of some types, signed by "
    "Standard Webhooks (ADMIN role). Its secret is never shown again after it is made."
)
class Webhook(Node):
    url: str = strawberry.field(description="Where deliveries are POSTed.")
    event_types: list[str] = strawberry.field(description="The event types it receives, sorted.")
    description: str = strawberry.field(description="What it is for.")
    enabled: bool = strawberry.field(description="Whether it receives deliveries.")
    disabled_reason: str | None = strawberry.field(
        description="Why it is disabled (by an admin, or failing for too long); null while enabled."
    )
    previous_secret_expires_at: datetime | None = strawberry.field(
        description="After a rotation: until when the previous secret signs beside the new one."
    )
    created_at: datetime = strawberry.field(description="When it was created.")
    updated_at: datetime = strawberry.field(description="When it last changed.")

    @classmethod
    def from_domain(cls, w: m.Webhook) -> Webhook:
        return cls(
            id=to_global_id("Webhook", w.id),
            pk=w.id,
            url=w.url,
            event_types=list(w.event_types),
            description=w.description,
            enabled=w.enabled,
            disabled_reason=w.disabled_reason,
            previous_secret_expires_at=w.previous_secret_expires_at,
            created_at=w.created_at,
            updated_at=w.updated_at,
        )

    @strawberry.field(description="Its deliveries, newest first.")
    async def deliveries(
        self, info: Info, first: First = None, after: After = None
    ) -> Connection[WebhookDelivery]:
        cursors = cursors_of(info)
        loaders = info.context.loaders.webhooks
        page = await loaders.delivery_page(delivery_page(first, cursors.decode(after))).load(self.pk)
        return connection_of(
            page,
            WebhookDelivery.from_domain,
            lambda: loaders.delivery_count().load(self.pk),
            after=after,
            cursors=cursors,
        )
