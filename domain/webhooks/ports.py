"""What webhooks need from outside: their rows in a transaction, reads, and a way to send a request."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from domain.kernel.pagination import Page, PageRequest
from domain.unit_of_work import UnitOfWork
from domain.webhooks.model import Attempt, ClaimedDelivery, Delivery, NewDelivery, NewWebhook, Webhook


class WebhookRepository(Protocol):
    """Webhooks, the dispatcher's cursor and deliveries, in the unit of work's transaction."""

    async def count(self, org_id: int) -> int:
        """How many webhooks the organisation has."""
        ...

    async def add(self, webhook: NewWebhook) -> Webhook:
        """Create the webhook."""
        ...

    async def get(self, org_id: int, webhook_id: int) -> Webhook | None:
        """The organisation's webhook; None when there is none or it is another organisation's."""
        ...

    async def save(self, webhook: Webhook) -> None:
        """Write the webhook's changeable fields (URL, types, description, state, salts, failing_since)."""
        ...

    async def delete(self, org_id: int, webhook_id: int) -> Webhook | None:
        """Delete the webhook and its deliveries; returns it, or None when there was none."""
        ...

    async def dispatch_cursor(self) -> int:
        """The last event cursor the dispatcher handled, locked until the transaction ends: a second
        dispatcher waits here, then reads where the first one stopped."""
        ...

    async def advance_cursor(self, seq: int) -> None:
        """Move the dispatcher's cursor to `seq`."""
        ...

    async def subscribers(self, org_ids: Sequence[int]) -> Sequence[Webhook]:
        """The enabled webhooks of these organisations."""
        ...

    async def add_deliveries(self, deliveries: Sequence[NewDelivery]) -> int:
        """Create the deliveries, each (webhook, event) once whatever races; the number created."""
        ...

    async def claim(
        self, worker: str, now: datetime, until: datetime, limit: int
    ) -> Sequence[ClaimedDelivery]:
        """Take up to `limit` due deliveries of enabled webhooks until `until`, counting an attempt each,
        and never one while an earlier delivery of its webhook and subject is not yet delivered."""
        ...

    async def settle(
        self, claimed: ClaimedDelivery, attempt: Attempt, retry_at: datetime | None, now: datetime
    ) -> bool:
        """Record an attempt: DELIVERED, or FAILED and due again at `retry_at`; only while the claim
        (same holder, same attempt) stands. False when it no longer does (nothing written)."""
        ...

    async def release(self, claimed: ClaimedDelivery, now: datetime) -> bool:
        """Hand a claimed delivery back, due now and its attempt uncounted (a sender stopping)."""
        ...

    async def mark_failing(self, org_id: int, webhook_id: int, now: datetime) -> datetime | None:
        """Note a failure: the time the webhook's current run of failures began (now if it had none);
        None when the webhook is gone."""
        ...

    async def mark_healthy(self, org_id: int, webhook_id: int) -> None:
        """Note a success: the webhook's run of failures, if any, is over."""
        ...

    async def disable(self, org_id: int, webhook_id: int, reason: str, at: datetime) -> bool:
        """Disable the webhook if it is enabled (compare-and-set); False when it was not."""
        ...

    async def redeliver(self, org_id: int, delivery_id: int, now: datetime) -> Delivery | None:
        """Make a delivery that is not held by a sender due now; None when there is no such delivery."""
        ...

    async def delivery(self, org_id: int, delivery_id: int) -> Delivery | None:
        """The organisation's delivery; None when there is none or it is another organisation's."""
        ...


class WebhookUnitOfWork(UnitOfWork, Protocol):
    """The unit of work, with the webhooks' repository."""

    @property
    def webhooks(self) -> WebhookRepository:
        """Webhooks and their deliveries, in this transaction."""
        ...


class WebhookReads(Protocol):
    """Reads of webhooks and deliveries, each call one statement, each scoped by `org_id`."""

    async def webhooks(self, org_id: int) -> Sequence[Webhook]:
        """The organisation's webhooks, oldest first."""
        ...

    async def webhooks_by_ids(self, org_id: int, ids: Sequence[int]) -> Mapping[int, Webhook]:
        """The organisation's webhooks among these ids, by id."""
        ...

    async def deliveries_by_ids(self, org_id: int, ids: Sequence[int]) -> Mapping[int, Delivery]:
        """The organisation's deliveries among these ids, by id."""
        ...

    async def delivery_pages(
        self, org_id: int, webhook_ids: Sequence[int], page: PageRequest
    ) -> Mapping[int, Page[Delivery]]:
        """The same page of each webhook's deliveries, newest first (webhooks with none left out)."""
        ...

    async def delivery_counts(self, org_id: int, webhook_ids: Sequence[int]) -> Mapping[int, int]:
        """How many deliveries each webhook has (webhooks with none left out)."""
        ...

    async def dispatched_through(self) -> int:
        """The dispatcher's cursor: the last event it turned into deliveries."""
        ...

    async def due(self, now: datetime) -> bool:
        """Whether any delivery is due (the sender's cheap idle check, which takes no write lock)."""
        ...


@dataclass(frozen=True, slots=True)
class Outgoing:
    """One signed request to make: the body, its message id and time, and the secrets that sign it."""

    url: str
    body: str
    message_id: str
    timestamp: datetime
    secrets: tuple[str, ...]

    def __repr__(self) -> str:  # a secret never reaches a log line through a repr
        return f"Outgoing(url={self.url!r}, message_id={self.message_id!r})"


class WebhookSender(Protocol):
    """Sends a delivery over HTTP, signed by Standard Webhooks, to public addresses only."""

    async def send(self, outgoing: Outgoing) -> Attempt:
        """POST the body, signed with each secret; the outcome as an Attempt, never an exception.
        An address the guard refuses fails as BLOCKED_ADDRESS without a connection."""
        ...
