"""`webhooks`: the organisation's webhooks (ADMIN role)."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from graph.webhooks.types import Webhook


@strawberry.type
class WebhookQueries:
    @strawberry.field(
        description="The organisation's webhooks, oldest first, at most 20 (ADMIN role; others get "
        "FORBIDDEN)."
    )
    async def webhooks(self, info: Info) -> list[Webhook]:
        ctx = info.context
        return [Webhook.from_domain(w) for w in await ctx.services.webhooks.list_webhooks(ctx.actor)]
