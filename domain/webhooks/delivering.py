"""The outbox's two loops: the dispatcher turns logged events into deliveries, the sender sends them.

The dispatcher reads the event log by cursor and, in one transaction with advancing its
cursor (kept in a row, so a restart resumes there), creates a delivery per enabled webhook
subscribed to each event. The sender claims due deliveries under a lease, never one while
an earlier delivery of the same webhook and subject is undelivered (order per subject), sends
them, and records each attempt; failures are retried with exponential backoff and jitter,
and a webhook failing for `disable_after` is disabled, with a reason and an event. Several
processes may run both loops: the cursor's row lock and the claim settle who does what.
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from domain.events.model import EventQuery
from domain.kernel.leased_work import serve_leased
from domain.webhooks.events import WebhookDisabled
from domain.webhooks.model import Attempt, ClaimedDelivery, DeliveryError, NewDelivery, Webhook
from domain.webhooks.ports import Outgoing, WebhookUnitOfWork

if TYPE_CHECKING:
    from domain.webhooks.services import Webhooks

log = logging.getLogger("atelier.webhooks")

DISPATCH_BATCH = 500
"""Events turned into deliveries per transaction."""


async def dispatch_once(webhooks: Webhooks) -> int:
    """Turn the next batch of logged events into deliveries; the number of events handled."""
    await webhooks.maintenance.sequence()  # PostgreSQL: number what was committed (a worker has no relay)
    cursor = await webhooks.outbox_reads.dispatched_through()
    if await webhooks.events.head() <= cursor:
        return 0  # the idle case costs two reads, never SQLite's write lock
    # read before the transaction: holding SQLite's write lock while waiting for a second pooled
    # connection could wait on the very connections that queue for that lock
    events = await webhooks.events.read(None, EventQuery(after=cursor), limit=DISPATCH_BATCH)
    if not events:
        return 0
    now = webhooks.clock.now()
    uow = webhooks.outbox_uow()
    async with uow:
        if await uow.webhooks.dispatch_cursor() != cursor:
            return 0  # another dispatcher went first: read again from where it stopped
        by_org: dict[int, list[Webhook]] = defaultdict(list)
        for webhook in await uow.webhooks.subscribers(sorted({e.org_id for e in events})):
            by_org[webhook.org_id].append(webhook)
        deliveries = [
            NewDelivery(
                org_id=event.org_id,
                webhook_id=webhook.id,
                event_seq=event.seq,
                event_type=event.type,
                subject_type=event.subject_type,
                subject_id=event.subject_id,
                body=webhooks.envelope(event),
                created_at=now,
            )
            for event in events
            for webhook in by_org.get(event.org_id, ())
            # a webhook gets what happened from its creation on, even when the dispatcher was behind
            if webhook.wants(event.type) and event.occurred_at >= webhook.created_at
        ]
        await uow.webhooks.add_deliveries(deliveries)
        await uow.webhooks.advance_cursor(events[-1].seq)
        await uow.commit()
    return len(events)


async def _claim(webhooks: Webhooks, worker: str, limit: int) -> list[ClaimedDelivery]:
    """Claim up to `limit` due deliveries for this sender."""
    now = webhooks.clock.now()
    if limit <= 0 or not await webhooks.outbox_reads.due(now):
        return []
    uow = webhooks.outbox_uow()
    async with uow:
        claimed = await uow.webhooks.claim(worker, now, now + webhooks.policy.lease, limit)
        await uow.commit()
    return list(claimed)


async def _deliver(webhooks: Webhooks, claimed: ClaimedDelivery) -> Attempt:
    """Send one claimed delivery and record the attempt."""
    now = webhooks.clock.now()
    outgoing = Outgoing(
        url=claimed.url,
        body=claimed.body,
        message_id=f"evt_{claimed.event_seq}",
        timestamp=now,
        secrets=tuple(webhooks.secrets.secret(salt) for salt in claimed.salts(now)),
    )
    try:
        attempt = await webhooks.sender.send(outgoing)
    except Exception:  # a bug in the sender: the delivery is retried like any failure
        log.exception("webhook delivery %d failed unexpectedly", claimed.id)
        attempt = Attempt(ok=False, response_status=None, duration_ms=0, error=DeliveryError.INTERNAL)
    try:
        await _record(webhooks, claimed, attempt)
    except Exception:  # the database is away: the lease passes and it is sent again (at least once)
        log.exception("recording webhook delivery %d failed", claimed.id)
    return attempt


async def _record(webhooks: Webhooks, claimed: ClaimedDelivery, attempt: Attempt) -> None:
    policy, now = webhooks.policy, webhooks.clock.now()
    retry_at = None if attempt.ok else policy.retry_at(now, claimed.attempts)
    uow = webhooks.outbox_uow()
    async with uow:
        if not await uow.webhooks.settle(claimed, attempt, retry_at, now):
            return  # the lease passed and another sender took it, or the webhook was deleted
        if attempt.ok:
            await uow.webhooks.mark_healthy(claimed.org_id, claimed.webhook_id)
        else:
            since = await uow.webhooks.mark_failing(claimed.org_id, claimed.webhook_id, now)
            if since is not None and now - since >= policy.disable_after:
                await _disable(uow, claimed, attempt, since, now)
        await uow.commit()
    if not attempt.ok:
        code = attempt.error.value if attempt.error else "?"
        log.info("webhook delivery %d attempt %d failed: %s", claimed.id, claimed.attempts, code)


async def _disable(
    uow: WebhookUnitOfWork, claimed: ClaimedDelivery, attempt: Attempt, since: datetime, now: datetime
) -> None:
    hours = round((now - since).total_seconds() / 3600, 1)
    code = attempt.error.value if attempt.error else "?"
    reason = f"failing since {since.isoformat(timespec='seconds')} ({hours} h); last error {code}"
    if await uow.webhooks.disable(claimed.org_id, claimed.webhook_id, reason, now):
        uow.record(
            WebhookDisabled(
                org_id=claimed.org_id,
                subject_id=claimed.webhook_id,
                actor_id=None,
                occurred_at=now,
                reason=reason,
            )
        )
        log.warning("webhook %d disabled: %s", claimed.webhook_id, reason)


async def send_once(webhooks: Webhooks, worker: str) -> int:
    """Claim a batch, send it all and record each attempt; how many were claimed (tests, bench, CLI)."""
    claimed = await _claim(webhooks, worker, webhooks.policy.batch)
    await asyncio.gather(*(_deliver(webhooks, c) for c in claimed))
    return len(claimed)


async def serve(webhooks: Webhooks, worker: str, *, poll_seconds: float) -> None:
    """Dispatch and send until cancelled; what is in flight when cancelled is handed back at once."""
    async with asyncio.TaskGroup() as loops:  # unlike gather, a cancel waits for both to wind down
        loops.create_task(_dispatch_loop(webhooks, poll_seconds))
        loops.create_task(_send_loop(webhooks, worker, poll_seconds))


async def _dispatch_loop(webhooks: Webhooks, poll_seconds: float) -> None:
    while True:
        try:
            if await dispatch_once(webhooks) > 0:
                continue  # more may be waiting
        except Exception:  # the database is away: keep the loop alive, try again later
            log.exception("dispatching webhook deliveries failed")
        await asyncio.sleep(poll_seconds)


async def _send_loop(webhooks: Webhooks, worker: str, poll_seconds: float) -> None:

    async def claimed(limit: int) -> Sequence[ClaimedDelivery]:
        return await _claim(webhooks, worker, limit)

    async def run(delivery: ClaimedDelivery) -> None:
        await _deliver(webhooks, delivery)

    async def release(deliveries: list[ClaimedDelivery]) -> None:
        uow = webhooks.outbox_uow()
        async with uow:
            for delivery in deliveries:
                await uow.webhooks.release(delivery, webhooks.clock.now())
            await uow.commit()

    await serve_leased(
        what="webhook deliveries",
        claim=claimed,
        run=run,
        release=release,
        limit=webhooks.policy.batch,
        poll_seconds=poll_seconds,
        name=lambda delivery: f"webhook-delivery-{delivery.id}",
    )
