"""Each feature's services over SQL, for the tests that call the domain without the app.

The app binds them once in `graph.server.bootstrap`; these bind them to an engine and a
blob store a test chose (an impatient SQLite engine, a store that watches its copies).
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine

from domain.kernel.ports import BlobStore, Clock
from domain.library.services import Library
from domain.processing.ports import ImageProcessor
from domain.processing.services import Processing, RetryPolicy
from domain.studio.retention import RetentionPolicy
from domain.studio.services import Studio
from domain.webhooks.ports import WebhookSender
from domain.webhooks.services import DeliveryPolicy, SecretDeriver, Webhooks
from graph.relay.ids import Cursors
from graph.webhooks.envelope import EventEnvelopes
from storage.clock import SystemClock
from storage.events.maintenance import SqlEventLogMaintenance
from storage.images.inspector import PillowInspector
from storage.providers.procedural import ProceduralProvider
from storage.reads import SqlReads
from storage.unit_of_work import SqlUnitOfWork
from storage.webhooks.reads import SqlWebhookReads


def sql_studio(engine: AsyncEngine, blobs: BlobStore, clock: Clock | None = None) -> Studio:
    """The Studio's services over `engine` and `blobs`, with the default retention policy."""
    return Studio(
        uow=lambda: SqlUnitOfWork(engine),
        clock=clock or SystemClock(),
        blobs=blobs,
        providers={"procedural": ProceduralProvider()},
        inspector=PillowInspector(),
        retention=RetentionPolicy(),
    )


def sql_library(engine: AsyncEngine, blobs: BlobStore, clock: Clock | None = None) -> Library:
    """The library's services over `engine` and `blobs`."""
    return Library(uow=lambda: SqlUnitOfWork(engine), clock=clock or SystemClock(), blobs=blobs)


def sql_processing(
    engine: AsyncEngine,
    processor: ImageProcessor,
    clock: Clock | None = None,
    policy: RetryPolicy | None = None,
) -> Processing:
    """Processing's services over `engine` and an image processor."""
    return Processing(
        uow=lambda: SqlUnitOfWork(engine),
        clock=clock or SystemClock(),
        reads=SqlReads.over(engine).processing,
        processor=processor,
        policy=policy or RetryPolicy(),
    )


def sql_webhooks(
    engine: AsyncEngine,
    sender: WebhookSender,
    clock: Clock | None = None,
    policy: DeliveryPolicy | None = None,
    server_key: bytes = b"test-server-key",
) -> Webhooks:
    """Webhooks' services over `engine` and a sender (the HTTP one, or a scripted fake)."""
    return Webhooks(
        uow=lambda: SqlUnitOfWork(engine),
        outbox_uow=lambda: SqlUnitOfWork(engine),
        clock=clock or SystemClock(),
        reads=SqlWebhookReads.over(engine),
        outbox_reads=SqlWebhookReads(engine),
        events=SqlReads.over(engine).events,
        maintenance=SqlEventLogMaintenance(engine),
        sender=sender,
        secrets=SecretDeriver(server_key),
        envelope=EventEnvelopes(Cursors(server_key)),
        policy=policy or DeliveryPolicy(),
    )
