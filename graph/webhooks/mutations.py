"""Webhook mutations (ADMIN role): create, update, delete, rotate the secret, redeliver."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, TypeVar

import strawberry
from strawberry.types import Info

from domain.kernel.changes import KEEP
from graph.relay.ids import decode_id
from graph.relay.outcome import attempt
from graph.relay.user_error import UserError
from graph.webhooks.types import Webhook, WebhookDelivery

T = TypeVar("T")


@strawberry.input(description="A URL to subscribe to event types.")
class CreateWebhookInput:
    url: str = strawberry.field(
        description="An http(s) URL, up to 2,000 characters, without user name or password. Deliveries to "
        "addresses of private networks are refused when sent (BLOCKED_ADDRESS)."
    )
    event_types: list[str] = strawberry.field(
        description="1 to 64 event types of the catalogue, e.g. `asset.saved`."
    )
    description: str = strawberry.field(default="", description="What it is for; up to 500 characters.")


@strawberry.input(description="Changes to a webhook; fields left out are kept.")
class UpdateWebhookInput:
    id: strawberry.ID = strawberry.field(description="The webhook.")
    url: str | None = strawberry.field(
        default=strawberry.UNSET, description="A new URL; null or omitted keeps it."
    )
    event_types: list[str] | None = strawberry.field(
        default=strawberry.UNSET, description="New event types; null or omitted keeps them."
    )
    description: str | None = strawberry.field(
        default=strawberry.UNSET, description="A new description; null or omitted keeps it."
    )
    enabled: bool | None = strawberry.field(
        default=strawberry.UNSET,
        description="false disables it; true enables it again, and what waited is delivered. Null or omitted "
        "keeps it.",
    )


@strawberry.input(description="A webhook.")
class WebhookIdInput:
    id: strawberry.ID = strawberry.field(description="The webhook's id.")


@strawberry.input(description="A delivery.")
class WebhookDeliveryIdInput:
    id: strawberry.ID = strawberry.field(description="The delivery's id.")


@strawberry.type(description="The webhook, or why the change was refused (then nothing changed).")
class WebhookPayload:
    webhook: Webhook | None = strawberry.field(description="The webhook; null when refused.")
    user_errors: list[UserError] = strawberry.field(description="Why it was refused; empty on success.")


@strawberry.type(description="The webhook and its new signing secret, shown this once; or why not.")
class WebhookSecretPayload:
    webhook: Webhook | None = strawberry.field(description="The webhook; null when refused.")
    secret: str | None = strawberry.field(
        description="The signing secret (`whsec_...`) for Standard Webhooks libraries; never shown again."
    )
    user_errors: list[UserError] = strawberry.field(description="Why it was refused; empty on success.")


@strawberry.type(description="The webhook deleted, or why not (then nothing changed).")
class DeleteWebhookPayload:
    deleted_webhook_id: strawberry.ID | None = strawberry.field(
        description="The id the deleted webhook had; null when refused."
    )
    user_errors: list[UserError] = strawberry.field(description="Why it was refused; empty on success.")


@strawberry.type(description="The delivery, due again now; or why not.")
class RedeliverPayload:
    delivery: WebhookDelivery | None = strawberry.field(description="The delivery; null when refused.")
    user_errors: list[UserError] = strawberry.field(description="Why it was refused; empty on success.")


async def _by_id(id: str, type_name: str, use: Callable[[int], Awaitable[T]]) -> T:
    """`use` with the id decoded: inside `attempt`, so a malformed id is a userError NOT_FOUND like
    another organisation's."""
    return await use(decode_id(id, type_name, field="id"))


def _kept(value: object) -> object:
    return KEEP if value is strawberry.UNSET or value is None else value


@strawberry.type
class WebhookMutations:
    @strawberry.mutation(
        description="Subscribe a URL to event types (ADMIN role). The payload holds its signing secret, "
        "shown this once. At most 20 webhooks per organisation (LIMIT_EXCEEDED)."
    )
    async def create_webhook(
        self,
        info: Info,
        input: Annotated[CreateWebhookInput, strawberry.argument(description="The webhook.")],
    ) -> WebhookSecretPayload:
        ctx = info.context
        call = ctx.services.webhooks.create_webhook(
            ctx.actor, url=input.url, event_types=input.event_types, description=input.description
        )
        made, errors = await attempt(call)
        if made is None:
            return WebhookSecretPayload(webhook=None, secret=None, user_errors=errors)
        return WebhookSecretPayload(
            webhook=Webhook.from_domain(made.webhook), secret=made.secret, user_errors=[]
        )

    @strawberry.mutation(
        description="Change a webhook's URL, event types, description, or enable or disable it (ADMIN role)."
    )
    async def update_webhook(
        self, info: Info, input: Annotated[UpdateWebhookInput, strawberry.argument(description="The change.")]
    ) -> WebhookPayload:
        ctx = info.context
        call = _by_id(
            input.id,
            "Webhook",
            lambda pk: ctx.services.webhooks.update_webhook(
                ctx.actor,
                webhook_id=pk,
                url=_kept(input.url),
                event_types=_kept(input.event_types),
                description=_kept(input.description),
                enabled=_kept(input.enabled),
            ),
        )
        webhook, errors = await attempt(call)
        return WebhookPayload(webhook=Webhook.from_domain(webhook) if webhook else None, user_errors=errors)

    @strawberry.mutation(
        description="Delete a webhook and its deliveries (ADMIN role); nothing more is sent."
    )
    async def delete_webhook(
        self, info: Info, input: Annotated[WebhookIdInput, strawberry.argument(description="The webhook.")]
    ) -> DeleteWebhookPayload:
        ctx = info.context
        call = _by_id(
            input.id, "Webhook", lambda pk: ctx.services.webhooks.delete_webhook(ctx.actor, webhook_id=pk)
        )
        deleted, errors = await attempt(call)
        return DeleteWebhookPayload(deleted_webhook_id=input.id if deleted else None, user_errors=errors)

    @strawberry.mutation(
        description="Give a webhook a new signing secret, shown this once (ADMIN role). The previous secret "
        "signs beside it for a grace period (ATELIER_WEBHOOK_SECRET_GRACE_SECONDS, a day by default): "
        "deliveries carry both signatures, so a receiver holding either verifies them."
    )
    async def rotate_webhook_secret(
        self, info: Info, input: Annotated[WebhookIdInput, strawberry.argument(description="The webhook.")]
    ) -> WebhookSecretPayload:
        ctx = info.context
        call = _by_id(
            input.id,
            "Webhook",
            lambda pk: ctx.services.webhooks.rotate_webhook_secret(ctx.actor, webhook_id=pk),
        )
        made, errors = await attempt(call)
        if made is None:
            return WebhookSecretPayload(webhook=None, secret=None, user_errors=errors)
        return WebhookSecretPayload(
            webhook=Webhook.from_domain(made.webhook), secret=made.secret, user_errors=[]
        )

    @strawberry.mutation(
        description="Send a delivery again now, whatever its status (ADMIN role); the webhook must be "
        "enabled (INVALID_STATE). It keeps its place: later deliveries of the same subject wait for it."
    )
    async def redeliver_webhook_delivery(
        self,
        info: Info,
        input: Annotated[WebhookDeliveryIdInput, strawberry.argument(description="The delivery.")],
    ) -> RedeliverPayload:
        ctx = info.context
        call = _by_id(
            input.id,
            "WebhookDelivery",
            lambda pk: ctx.services.webhooks.redeliver_webhook_delivery(ctx.actor, delivery_id=pk),
        )
        delivery, errors = await attempt(call)
        return RedeliverPayload(
            delivery=WebhookDelivery.from_domain(delivery) if delivery else None, user_errors=errors
        )
