"""A database of its own for the outbox's tests: its dispatcher cursor and claims span organisations,
so other tests' webhooks must not be in it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from domain.kernel.access import Actor, Role
from domain.webhooks.model import Attempt, DeliveryError, DeliveryPolicy
from domain.webhooks.ports import Outgoing
from storage.blobs.local import LocalBlobStore
from storage.sql.database import create_engine
from storage.sql.migrate import migrate
from tests.builders import make_tenant
from tests.conftest import create_database, drop_database
from tests.services import sql_library, sql_webhooks
from tests.unit.fakes import FakeClock


@pytest.fixture(scope="module")
async def outbox_engine(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[AsyncEngine]:
    url = await create_database(tmp_path_factory.mktemp("outbox"))
    engine = create_engine(url)
    await migrate(engine)
    yield engine
    await engine.dispose()
    await drop_database(url)


@dataclass
class ScriptedSender:
    """A WebhookSender that answers as told per URL (ok by default) and keeps what it was asked to send."""

    fails: set[str] = field(default_factory=set)
    sent: list[Outgoing] = field(default_factory=list)

    async def send(self, outgoing: Outgoing) -> Attempt:
        self.sent.append(outgoing)
        if outgoing.url in self.fails:
            return Attempt(ok=False, response_status=503, duration_ms=3, error=DeliveryError.HTTP_STATUS)
        return Attempt(ok=True, response_status=204, duration_ms=2)


@dataclass
class Outbox:
    """The webhooks' and the library's services over one clock, an admin, and the scripted sender."""

    engine: AsyncEngine
    clock: FakeClock
    sender: ScriptedSender
    actor: Actor
    tmp: Path

    def __post_init__(self) -> None:
        policy = DeliveryPolicy(
            backoff=timedelta(seconds=10), max_backoff=timedelta(minutes=10), disable_after=timedelta(days=1)
        )
        self.webhooks = sql_webhooks(self.engine, self.sender, self.clock, policy)
        self.library = sql_library(self.engine, LocalBlobStore(self.tmp / "blobs"), self.clock)

    async def drain(self) -> None:
        """Dispatch everything logged, and send what is due now until nothing is."""
        while await self.webhooks.dispatch_once() > 0:
            pass
        while await self.webhooks.send_once("test-sender") > 0:
            pass


@pytest.fixture
async def outbox(outbox_engine: AsyncEngine, tmp_path: Path) -> AsyncIterator[Outbox]:
    tenant = await make_tenant(outbox_engine)
    actor = Actor(org_id=tenant.org_id, member_id=tenant.member_id, role=Role.ADMIN)
    box = Outbox(outbox_engine, FakeClock(datetime.now(UTC)), ScriptedSender(), actor, tmp_path)
    await box.drain()  # what earlier tests left due is theirs: start from a quiet outbox
    box.sender.sent.clear()
    yield box
    # leave no webhook of ours enabled: the next test's drain would send to it
    for webhook in await box.webhooks.list_webhooks(actor):
        await box.webhooks.delete_webhook(actor, webhook_id=webhook.id)
