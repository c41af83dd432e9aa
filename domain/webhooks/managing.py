"""An admin's use cases: create, change, delete, rotate the secret, redeliver; and the reads behind them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from domain.kernel.access import Actor, Permission
from domain.kernel.changes import KEEP, Keep
from domain.kernel.errors import InvalidState, LimitExceeded, NotFound
from domain.kernel.pagination import Page, PageRequest
from domain.webhooks.events import (
    WebhookCreated,
    WebhookDeleted,
    WebhookDisabled,
    WebhookEnabled,
    WebhookRedelivered,
    WebhookRotated,
    WebhookUpdated,
)
from domain.webhooks.model import (
    MAX_WEBHOOKS_PER_ORGANISATION,
    Delivery,
    NewWebhook,
    Webhook,
    clean_description,
    clean_event_types,
    clean_url,
)
from domain.webhooks.ports import WebhookUnitOfWork
from domain.webhooks.signing import new_salt

if TYPE_CHECKING:
    from domain.webhooks.services import Webhooks

DISABLED_BY_ADMIN = "disabled by an admin"


@dataclass(frozen=True, slots=True)
class WithSecret:
    """A webhook and its signing secret: the one time the secret is shown."""

    webhook: Webhook
    secret: str


async def create_webhook(
    webhooks: Webhooks, actor: Actor, *, url: str, event_types: Sequence[str], description: str = ""
) -> WithSecret:
    """Subscribe a URL to event types (ADMIN role); the answer holds the signing secret, shown this once."""
    actor.require(Permission.ADMINISTER)
    url, types, description = clean_url(url), clean_event_types(event_types), clean_description(description)
    now = webhooks.clock.now()
    uow = webhooks.uow()
    async with uow:
        if await uow.webhooks.count(actor.org_id) >= MAX_WEBHOOKS_PER_ORGANISATION:
            raise LimitExceeded(f"an organisation has at most {MAX_WEBHOOKS_PER_ORGANISATION} webhooks")
        webhook = await uow.webhooks.add(
            NewWebhook(
                org_id=actor.org_id,
                url=url,
                event_types=types,
                description=description,
                secret_salt=new_salt(),
                created_at=now,
            )
        )
        uow.record(WebhookCreated.by(actor, webhook.id, now, url=url, event_types=types))
        await uow.commit()
    return WithSecret(webhook, webhooks.secrets.secret(webhook.secret_salt))


async def update_webhook(
    webhooks: Webhooks,
    actor: Actor,
    *,
    webhook_id: int,
    url: str | Keep = KEEP,
    event_types: Sequence[str] | Keep = KEEP,
    description: str | Keep = KEEP,
    enabled: bool | Keep = KEEP,
) -> Webhook:
    """Change a webhook (ADMIN role); fields not given are kept. Enabling a disabled one sends what
    waited; a change to nothing records nothing."""
    actor.require(Permission.ADMINISTER)
    changes: dict[str, Any] = {}
    if not isinstance(url, Keep):
        changes["url"] = clean_url(url)
    if not isinstance(event_types, Keep):
        changes["event_types"] = clean_event_types(event_types)
    if not isinstance(description, Keep):
        changes["description"] = clean_description(description)
    now = webhooks.clock.now()
    uow = webhooks.uow()
    async with uow:
        webhook = await _webhook(uow, actor.org_id, webhook_id)
        changed = tuple(name for name, value in changes.items() if getattr(webhook, name) != value)
        updated = replace(webhook, **{name: changes[name] for name in changed})
        if not isinstance(enabled, Keep) and enabled != webhook.enabled:
            updated = updated.enable(now) if enabled else updated.disable(DISABLED_BY_ADMIN, now)
        if updated == webhook:
            return webhook
        updated = replace(updated, updated_at=now)
        await uow.webhooks.save(updated)
        if changed:
            uow.record(WebhookUpdated.by(actor, webhook_id, now, fields=tuple(_camel(n) for n in changed)))
        if updated.enabled != webhook.enabled:
            uow.record(
                WebhookEnabled.by(actor, webhook_id, now)
                if updated.enabled
                else WebhookDisabled.by(actor, webhook_id, now, reason=DISABLED_BY_ADMIN)
            )
        await uow.commit()
    return updated


async def delete_webhook(webhooks: Webhooks, actor: Actor, *, webhook_id: int) -> Webhook:
    """Delete a webhook and its deliveries (ADMIN role); nothing more is sent to it."""
    actor.require(Permission.ADMINISTER)
    now = webhooks.clock.now()
    uow = webhooks.uow()
    async with uow:
        deleted = await uow.webhooks.delete(actor.org_id, webhook_id)
        if deleted is None:
            raise NotFound("no such webhook", field="id")
        uow.record(WebhookDeleted.by(actor, webhook_id, now, url=deleted.url))
        await uow.commit()
    return deleted


async def rotate_webhook_secret(webhooks: Webhooks, actor: Actor, *, webhook_id: int) -> WithSecret:
    """A new signing secret, shown this once (ADMIN role); deliveries carry both signatures until the
    previous secret's grace period ends, so a receiver holding either one verifies them."""
    actor.require(Permission.ADMINISTER)
    now = webhooks.clock.now()
    uow = webhooks.uow()
    async with uow:
        webhook = await _webhook(uow, actor.org_id, webhook_id)
        rotated = webhook.rotated(new_salt(), grace=webhooks.policy.secret_grace, at=now)
        await uow.webhooks.save(rotated)
        valid_until = rotated.previous_secret_expires_at
        assert valid_until is not None
        uow.record(WebhookRotated.by(actor, webhook_id, now, previous_valid_until=valid_until.isoformat()))
        await uow.commit()
    return WithSecret(rotated, webhooks.secrets.secret(rotated.secret_salt))


async def redeliver_webhook_delivery(webhooks: Webhooks, actor: Actor, *, delivery_id: int) -> Delivery:
    """Send a delivery again now (ADMIN role), whatever its status; its webhook must be enabled."""
    actor.require(Permission.ADMINISTER)
    now = webhooks.clock.now()
    uow = webhooks.uow()
    async with uow:
        delivery = await uow.webhooks.delivery(actor.org_id, delivery_id)
        if delivery is None:
            raise NotFound("no such delivery", field="id")
        webhook = await _webhook(uow, actor.org_id, delivery.webhook_id)
        if not webhook.enabled:
            raise InvalidState("the webhook is disabled: enable it first (updateWebhook)", field="id")
        redelivered = await uow.webhooks.redeliver(actor.org_id, delivery_id, now)
        if redelivered is None:  # a sender holds it at this moment: it is being sent already
            return delivery
        uow.record(
            WebhookRedelivered.by(
                actor, webhook.id, now, delivery_id=delivery_id, event_seq=delivery.event_seq
            )
        )
        await uow.commit()
    return redelivered


async def list_webhooks(webhooks: Webhooks, actor: Actor) -> Sequence[Webhook]:
    """The organisation's webhooks, oldest first (ADMIN role)."""
    actor.require(Permission.ADMINISTER)
    return await webhooks.reads.webhooks(actor.org_id)


async def webhooks_by_ids(webhooks: Webhooks, actor: Actor, *, ids: Sequence[int]) -> Mapping[int, Webhook]:
    """The organisation's webhooks among these ids; none for a role without ADMIN, as if they were
    not there (a global id is not a way to learn another role's objects)."""
    if not actor.can(Permission.ADMINISTER):
        return {}
    return await webhooks.reads.webhooks_by_ids(actor.org_id, ids)


async def deliveries_by_ids(
    webhooks: Webhooks, actor: Actor, *, ids: Sequence[int]
) -> Mapping[int, Delivery]:
    """The organisation's deliveries among these ids; none for a role without ADMIN."""
    if not actor.can(Permission.ADMINISTER):
        return {}
    return await webhooks.reads.deliveries_by_ids(actor.org_id, ids)


async def list_deliveries(
    webhooks: Webhooks, actor: Actor, *, webhook_ids: Sequence[int], page: PageRequest
) -> Mapping[int, Page[Delivery]]:
    """The same page of several webhooks' deliveries, newest first, in one read (ADMIN role)."""
    actor.require(Permission.ADMINISTER)
    pages = await webhooks.reads.delivery_pages(actor.org_id, webhook_ids, page)
    return {webhook_id: pages.get(webhook_id, Page.empty()) for webhook_id in webhook_ids}


async def count_deliveries(
    webhooks: Webhooks, actor: Actor, *, webhook_ids: Sequence[int]
) -> Mapping[int, int]:
    """How many deliveries each of several webhooks has, in one read (ADMIN role)."""
    actor.require(Permission.ADMINISTER)
    found = await webhooks.reads.delivery_counts(actor.org_id, webhook_ids)
    return {webhook_id: found.get(webhook_id, 0) for webhook_id in webhook_ids}


async def _webhook(uow: WebhookUnitOfWork, org_id: int, webhook_id: int) -> Webhook:
    webhook = await uow.webhooks.get(org_id, webhook_id)
    if webhook is None:
        raise NotFound("no such webhook", field="id")
    return webhook


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)
