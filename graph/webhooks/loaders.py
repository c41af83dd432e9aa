"""The webhooks of one request: webhooks and deliveries by id (for `node`), and the deliveries of a whole
webhooks list at once (one statement per distinct page, not per webhook)."""

from __future__ import annotations

from strawberry.dataloader import DataLoader

from domain.kernel.access import Actor
from domain.kernel.pagination import Page, PageRequest
from domain.webhooks.model import Delivery
from domain.webhooks.services import Webhooks as WebhookService
from graph.webhooks.types import Webhook, WebhookDelivery


class WebhookLoaders:
    """The webhook loaders of one request; each batch checks the ADMIN role in its domain read."""

    def __init__(self, webhooks: WebhookService | None, actor: Actor) -> None:
        self._webhooks, self._actor = webhooks, actor
        self._pages: dict[PageRequest, DataLoader[int, Page[Delivery]]] = {}
        self._counts: DataLoader[int, int] | None = None
        self.webhook: DataLoader[int, Webhook | None] = DataLoader(load_fn=self._webhooks_of)
        self.delivery: DataLoader[int, WebhookDelivery | None] = DataLoader(load_fn=self._deliveries_of)

    async def _webhooks_of(self, ids: list[int]) -> list[Webhook | None]:
        found = await self._service().webhooks_by_ids(self._actor, ids=ids)
        return [Webhook.from_domain(found[i]) if i in found else None for i in ids]

    async def _deliveries_of(self, ids: list[int]) -> list[WebhookDelivery | None]:
        found = await self._service().deliveries_by_ids(self._actor, ids=ids)
        return [WebhookDelivery.from_domain(found[i]) if i in found else None for i in ids]

    def _service(self) -> WebhookService:
        if self._webhooks is None:
            raise RuntimeError("these loaders were built without the webhooks service")
        return self._webhooks

    def delivery_page(self, page: PageRequest) -> DataLoader[int, Page[Delivery]]:
        """The same page of deliveries per webhook id, for webhooks asked with the same arguments."""
        if page not in self._pages:
            webhooks, actor = self._service(), self._actor

            async def load(ids: list[int]) -> list[Page[Delivery]]:
                pages = await webhooks.list_deliveries(actor, webhook_ids=ids, page=page)
                return [pages[i] for i in ids]

            self._pages[page] = DataLoader(load_fn=load)
        return self._pages[page]

    def delivery_count(self) -> DataLoader[int, int]:
        """How many deliveries per webhook id."""
        if self._counts is None:
            webhooks, actor = self._service(), self._actor

            async def load(ids: list[int]) -> list[int]:
                found = await webhooks.count_deliveries(actor, webhook_ids=ids)
                return [found[i] for i in ids]

            self._counts = DataLoader(load_fn=load)
        return self._counts
