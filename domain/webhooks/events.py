"""Events of webhooks. No payload ever carries a secret, nor the salt it is derived from."""

from __future__ import annotations

from dataclasses import dataclass

from domain.kernel.events import DomainEvent


@dataclass(frozen=True, slots=True, kw_only=True)
class WebhookCreated(DomainEvent):
    """An admin subscribed a URL to event types."""

    type = "webhook.created"
    subject_type = "Webhook"
    url: str
    event_types: tuple[str, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class WebhookUpdated(DomainEvent):
    """An admin changed a webhook's URL, event types or description (`fields` names which)."""

    type = "webhook.updated"
    subject_type = "Webhook"
    fields: tuple[str, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class WebhookDeleted(DomainEvent):
    """An admin deleted a webhook; its deliveries went with it."""

    type = "webhook.deleted"
    subject_type = "Webhook"
    url: str


@dataclass(frozen=True, slots=True, kw_only=True)
class WebhookRotated(DomainEvent):
    """An admin rotated a webhook's signing secret; the old one signs too until `previous_valid_until`."""

    type = "webhook.rotated"
    subject_type = "Webhook"
    previous_valid_until: str


@dataclass(frozen=True, slots=True, kw_only=True)
class WebhookEnabled(DomainEvent):
    """An admin enabled a disabled webhook; its waiting deliveries go out again."""

    type = "webhook.enabled"
    subject_type = "Webhook"


@dataclass(frozen=True, slots=True, kw_only=True)
class WebhookDisabled(DomainEvent):
    """A webhook stopped getting deliveries: an admin disabled it, or it failed for too long (`reason`)."""

    type = "webhook.disabled"
    subject_type = "Webhook"
    reason: str


@dataclass(frozen=True, slots=True, kw_only=True)
class WebhookRedelivered(DomainEvent):
    """An admin asked for a delivery to be sent again now."""

    type = "webhook.redelivered"
    subject_type = "Webhook"
    delivery_id: int
    event_seq: int
