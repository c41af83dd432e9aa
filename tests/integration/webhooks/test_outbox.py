"""The outbox over SQL (SQLite and PostgreSQL): events become deliveries once, in order per subject,
retried with backoff, and a webhook failing for a day is disabled with a reason and an event."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta

import sqlalchemy as sa
from standardwebhooks import Webhook as Verifier

from domain.webhooks.model import DeliveryStatus
from storage.sql import tables as t

A, B = "https://a.partner.example/hook", "https://b.partner.example/hook"


async def folder_events(outbox, name: str, renames: int = 0) -> int:
    folder = await outbox.library.create_folder(outbox.actor, name=name)
    for i in range(renames):
        await outbox.library.rename_folder(outbox.actor, folder_id=folder.id, name=f"{name} {i}")
    return folder.id


async def rows(outbox, webhook_id: int):
    D = t.webhook_deliveries
    async with outbox.engine.connect() as conn:
        result = await conn.execute(sa.select(D).where(D.c.webhook_id == webhook_id).order_by(D.c.id))
        return list(result)


class TestDispatch:
    async def test_each_event_becomes_one_delivery_per_enabled_subscribed_webhook(self, outbox):
        folders = (
            await outbox.webhooks.create_webhook(outbox.actor, url=A, event_types=["folder.created"])
        ).webhook
        renames = (
            await outbox.webhooks.create_webhook(outbox.actor, url=B, event_types=["folder.renamed"])
        ).webhook
        off = (
            await outbox.webhooks.create_webhook(outbox.actor, url=B, event_types=["folder.created"])
        ).webhook
        await outbox.webhooks.update_webhook(outbox.actor, webhook_id=off.id, enabled=False)
        folder = await folder_events(outbox, "Spring", renames=2)
        await outbox.webhooks.dispatch_once()
        await outbox.webhooks.dispatch_once()  # the cursor moved on: nothing twice
        assert [(r.event_type, r.subject_id) for r in await rows(outbox, folders.id)] == [
            ("folder.created", folder)
        ]
        assert [r.event_type for r in await rows(outbox, renames.id)] == ["folder.renamed"] * 2
        assert await rows(outbox, off.id) == []

    async def test_the_body_is_the_event_envelope_signed_by_the_secret_shown_once(self, outbox):
        made = await outbox.webhooks.create_webhook(outbox.actor, url=A, event_types=["folder.created"])
        folder = await folder_events(outbox, "Signed")
        await outbox.drain()
        (sent,) = outbox.sender.sent
        headers = {
            "webhook-id": sent.message_id,
            "webhook-timestamp": str(int(sent.timestamp.timestamp())),
            "webhook-signature": " ".join(
                Verifier(s).sign(sent.message_id, sent.timestamp, sent.body) for s in sent.secrets
            ),
        }
        assert sent.secrets == (made.secret,)
        body = Verifier(made.secret).verify(sent.body, headers)
        assert body["type"] == "folder.created" and body["payload"] == {"name": "Signed"}
        assert body["id"] == sent.message_id and body["id"].startswith("evt_") and body["cursor"]
        assert body["subject"]["type"] == "Folder" and body["subject"]["id"]
        assert json.loads(sent.body)["version"] == 1 and folder
        assert made.secret not in sent.body

    async def test_two_dispatchers_at_once_make_each_delivery_once(self, outbox):
        hook = (
            await outbox.webhooks.create_webhook(outbox.actor, url=A, event_types=["folder.created"])
        ).webhook
        for i in range(5):
            await folder_events(outbox, f"Race {i}")
        await asyncio.gather(*(outbox.webhooks.dispatch_once() for _ in range(4)))
        assert len(await rows(outbox, hook.id)) == 5


class TestSending:
    async def test_a_later_event_of_a_subject_waits_for_the_earlier_one(self, outbox):
        hook = (
            await outbox.webhooks.create_webhook(
                outbox.actor, url=A, event_types=["folder.created", "folder.renamed"]
            )
        ).webhook
        outbox.sender.fails.add(A)
        first = await folder_events(outbox, "Ordered", renames=2)
        other = await folder_events(outbox, "Other")
        await outbox.drain()
        # the first of each subject was tried and failed; the renames of `first` were not tried
        assert sorted(json.loads(o.body)["payload"]["name"] for o in outbox.sender.sent) == [
            "Ordered",
            "Other",
        ]
        states = [(r.subject_id, r.status, r.attempts) for r in await rows(outbox, hook.id)]
        assert states == [
            (first, "failed", 1),
            (first, "pending", 0),
            (first, "pending", 0),
            (other, "failed", 1),
        ]
        outbox.sender.fails.clear()
        outbox.clock.advance(timedelta(minutes=30))
        await outbox.drain()
        names = [json.loads(o.body)["payload"].get("name") for o in outbox.sender.sent[2:]]
        subjects = [json.loads(o.body)["subject"]["id"] for o in outbox.sender.sent[2:]]
        assert sorted(names) == ["Ordered", "Ordered 0", "Ordered 1", "Other"]
        mine = [n for n, s in zip(names, subjects, strict=True) if n.startswith("Ordered")]
        assert mine == ["Ordered", "Ordered 0", "Ordered 1"]
        assert {r.status for r in await rows(outbox, hook.id)} == {DeliveryStatus.DELIVERED.value}

    async def test_a_failure_is_retried_later_with_a_growing_jittered_backoff(self, outbox):
        hook = (
            await outbox.webhooks.create_webhook(outbox.actor, url=A, event_types=["folder.created"])
        ).webhook
        outbox.sender.fails.add(A)
        await folder_events(outbox, "Retry")
        delays = []
        for _ in range(4):
            await outbox.drain()
            (row,) = await rows(outbox, hook.id)
            delays.append((row.due_at - outbox.clock.now()).total_seconds())
            assert (row.status, row.response_status, row.last_error) == ("failed", 503, "HTTP_STATUS")
            outbox.clock.advance(timedelta(seconds=delays[-1] + 1))
        # 10 s doubling, each between half and all of it
        assert [
            5 <= delays[0] <= 10,
            10 <= delays[1] <= 20,
            20 <= delays[2] <= 40,
            40 <= delays[3] <= 80,
        ] == [True] * 4
        assert row.attempts == 4

    async def test_a_webhook_failing_for_a_day_is_disabled_with_a_reason_and_an_event(self, outbox):
        hook = (
            await outbox.webhooks.create_webhook(outbox.actor, url=A, event_types=["folder.created"])
        ).webhook
        outbox.sender.fails.add(A)
        await folder_events(outbox, "Down")
        await outbox.drain()
        outbox.clock.advance(timedelta(hours=23))
        await outbox.drain()
        assert (await outbox.webhooks.list_webhooks(outbox.actor))[0].enabled
        outbox.clock.advance(timedelta(hours=1, minutes=1))
        await outbox.drain()
        (disabled,) = await outbox.webhooks.list_webhooks(outbox.actor)
        assert not disabled.enabled and "last error HTTP_STATUS" in (disabled.disabled_reason or "")
        tried = len(outbox.sender.sent)
        outbox.clock.advance(timedelta(hours=2))
        await outbox.drain()
        assert len(outbox.sender.sent) == tried  # a disabled webhook gets nothing
        async with outbox.engine.connect() as conn:
            events = (
                await conn.execute(
                    sa.select(t.events.c.type, t.events.c.actor_id).where(
                        t.events.c.org_id == outbox.actor.org_id,
                        t.events.c.subject_id == hook.id,
                        t.events.c.type == "webhook.disabled",
                    )
                )
            ).all()
        assert [tuple(e) for e in events] == [("webhook.disabled", None)]
        # enabled again, what waited goes out
        outbox.sender.fails.clear()
        await outbox.webhooks.update_webhook(outbox.actor, webhook_id=hook.id, enabled=True)
        await outbox.drain()
        assert {r.status for r in await rows(outbox, hook.id)} == {"delivered"}

    async def test_a_sender_whose_lease_passed_writes_nothing_and_another_takes_the_delivery(self, outbox):
        hook = (
            await outbox.webhooks.create_webhook(outbox.actor, url=A, event_types=["folder.created"])
        ).webhook
        await folder_events(outbox, "Leased")
        await outbox.webhooks.dispatch_once()
        async with outbox.webhooks.outbox_uow() as uow:
            (held,) = await uow.webhooks.claim(
                "dead-sender", outbox.clock.now(), outbox.clock.now() + timedelta(minutes=2), 10
            )
            await uow.commit()
        assert await outbox.webhooks.send_once("live-sender") == 0  # held: not due
        outbox.clock.advance(timedelta(minutes=3))
        assert await outbox.webhooks.send_once("live-sender") == 1
        async with outbox.webhooks.outbox_uow() as uow:
            from domain.webhooks.model import Attempt

            assert not await uow.webhooks.settle(
                held, Attempt(ok=True, response_status=200, duration_ms=1), None, outbox.clock.now()
            )
        (row,) = await rows(outbox, hook.id)
        assert (row.status, row.attempts, row.claimed_by) == ("delivered", 2, None)

    async def test_redelivery_sends_a_delivered_event_again_with_the_same_id(self, outbox):
        hook = (
            await outbox.webhooks.create_webhook(outbox.actor, url=A, event_types=["folder.created"])
        ).webhook
        await folder_events(outbox, "Again")
        await outbox.drain()
        (row,) = await rows(outbox, hook.id)
        again = await outbox.webhooks.redeliver_webhook_delivery(outbox.actor, delivery_id=row.id)
        assert again.status is DeliveryStatus.PENDING
        await outbox.drain()
        first, second = outbox.sender.sent
        assert first.message_id == second.message_id and first.body == second.body


class TestConcurrentSenders:
    async def test_senders_racing_send_each_event_once_and_in_order_per_subject(self, outbox):
        await outbox.webhooks.create_webhook(
            outbox.actor, url=A, event_types=["folder.created", "folder.renamed"]
        )
        for name in ("One", "Two", "Three"):
            await folder_events(outbox, name, renames=3)
        while await outbox.webhooks.dispatch_once() > 0:
            pass
        while sum(await asyncio.gather(*(outbox.webhooks.send_once(f"sender-{i}") for i in range(3)))) > 0:
            pass
        sent = [json.loads(o.body) for o in outbox.sender.sent]
        assert len({b["id"] for b in sent}) == len(sent) == 12
        by_subject: dict[str, list[int]] = {}
        for body in sent:
            by_subject.setdefault(body["subject"]["id"], []).append(int(body["id"].removeprefix("evt_")))
        assert len(by_subject) == 3 and all(c == sorted(c) for c in by_subject.values())
