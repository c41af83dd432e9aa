"""The composition root's wiring (Cosmic Python's `bootstrap.py`): the adapters one process
shares, and each feature's services bound to them once.

`create_app` and the CLI both start here: `bootstrap(Adapters.build(settings))`.
"""

from __future__ import annotations

import os
import secrets
import socket
from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncEngine

from domain.events.services import Events
from domain.files.services import Files
from domain.kernel import prompt_guard
from domain.kernel.prompt_guard import SecretScanner
from domain.library.services import Library
from domain.organisations.services import Organisations
from domain.processing.services import Processing
from domain.studio.ports import ImageProvider
from domain.studio.services import Studio
from domain.webhooks.services import SecretDeriver, Webhooks
from graph.context import Services
from graph.relay.ids import Cursors
from graph.server.settings import Settings
from graph.webhooks.envelope import EventEnvelopes
from storage.answers.memory import MemoryAnswers
from storage.answers.redis import RedisAnswers
from storage.blobs.local import LocalBlobStore
from storage.clock import SystemClock
from storage.events.live import EventRelay
from storage.events.log import SqlEventLogReads
from storage.events.maintenance import SqlEventLogMaintenance
from storage.events.redis_stream import StreamRelay
from storage.files.served import ServedCopies
from storage.images.inspector import PillowInspector
from storage.processing.pool import PoolImageProcessor
from storage.providers.openai_compatible import OpenAICompatibleProvider
from storage.providers.procedural import ProceduralProvider
from storage.reads import SqlReads
from storage.secret_scanner import DetectSecretsScanner
from storage.sql.database import BACKGROUND, create_engine
from storage.unit_of_work import SqlUnitOfWork
from storage.webhooks.reads import SqlWebhookReads
from storage.webhooks.sender import HttpWebhookSender


def build_providers(settings: Settings) -> dict[str, ImageProvider]:
    """The image providers the settings turn on: the procedural one always, OpenAI's when configured."""
    providers: dict[str, ImageProvider] = {"procedural": ProceduralProvider()}
    if settings.openai_base_url and settings.openai_api_key:
        providers["openai"] = OpenAICompatibleProvider(
            base_url=settings.openai_base_url,
            api_key=settings.openai_api_key.get_secret_value(),
            model=settings.openai_model,
            credits_per_image=settings.openai_credits_per_image,
            timeout=settings.openai_timeout_seconds,
        )
    return providers


@dataclass
class Adapters:
    """The storage adapters one process shares across requests."""

    settings: Settings
    engine: AsyncEngine
    reads: SqlReads
    blobs: LocalBlobStore
    clock: SystemClock
    providers: dict[str, ImageProvider] = field(default_factory=lambda: {"procedural": ProceduralProvider()})
    scanner: SecretScanner = field(default_factory=DetectSecretsScanner)
    inspector: PillowInspector = field(default_factory=PillowInspector)
    processor: PoolImageProcessor = field(init=False)
    """The process pool that renders images (started on the first image)."""
    event_log: SqlEventLogMaintenance = field(init=False)
    relay: EventRelay = field(init=False)
    """The live feed of committed events in this process (the app's lifespan runs it)."""
    webhook_sender: HttpWebhookSender = field(init=False)
    """The webhooks' HTTP client (one connection pool per process)."""
    answers: MemoryAnswers | RedisAnswers | None = field(init=False)
    """Where the response cache keeps answers; None when it is off."""

    def __post_init__(self) -> None:
        self.processor = PoolImageProcessor(self.blobs, processes=self.settings.worker_processes or None)
        # the relay's statements are tagged: they run beside requests, not for them
        background = self.engine.execution_options(**{BACKGROUND: True})
        self.event_log = SqlEventLogMaintenance(background)
        reads = SqlEventLogReads(background)
        poll = self.settings.event_poll_seconds
        if self.settings.redis_url is None:
            self.relay = EventRelay(reads, self.event_log, poll_seconds=poll)
        else:  # events cross processes through one Redis stream (storage/events/redis_stream.py)
            self.relay = StreamRelay.connect(
                self.settings.redis_url.get_secret_value(),
                self.settings.redis_stream,
                reads,
                self.event_log,
                maxlen=self.settings.redis_stream_maxlen,
                poll_seconds=poll,
            )
        self.answers = self._answer_store()
        self.webhook_sender = HttpWebhookSender(
            timeout=self.settings.webhook_timeout_seconds,
            allow_private_networks=self.settings.webhook_allow_private_networks,
        )

    def _answer_store(self) -> MemoryAnswers | RedisAnswers | None:
        s = self.settings
        kind = s.response_cache
        if kind == "auto":
            kind = "memory" if s.redis_url is None else "redis"
        if kind == "off":
            return None
        if kind == "redis":
            if s.redis_url is None:
                raise ValueError("ATELIER_RESPONSE_CACHE=redis needs ATELIER_REDIS_URL")
            return RedisAnswers.connect(
                s.redis_url.get_secret_value(),
                ttl_seconds=s.response_cache_ttl_seconds,
                database_url=s.resolved_database_url(),
            )
        return MemoryAnswers(capacity=s.response_cache_entries, max_bytes=s.response_cache_bytes)

    def uow(self) -> SqlUnitOfWork:
        """A fresh unit of work (one transaction); its commit pokes the live feed."""
        return SqlUnitOfWork(self.engine, on_events=self.relay.poke)

    @classmethod
    def build(cls, settings: Settings) -> Adapters:
        """The adapters the settings describe."""
        engine = create_engine(settings.resolved_database_url(), pool_size=settings.db_pool_size)
        return cls(
            settings,
            engine,
            SqlReads.over(engine),
            LocalBlobStore(settings.data_dir / "blobs"),
            SystemClock(),
            build_providers(settings),
        )


def worker_name() -> str:
    """This process's name as a job holder: host, pid and a random tail (a pid is reused after a restart)."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{secrets.token_hex(3)}"


def bootstrap(adapters: Adapters) -> Services:
    """Each feature's services over the adapters, bound once; binds the prompt guard's scanner too."""
    prompt_guard.use(adapters.scanner)
    background = adapters.engine.execution_options(**{BACKGROUND: True})
    return Services(
        organisations=Organisations(
            uow=adapters.uow, clock=adapters.clock, directory=adapters.reads.directory
        ),
        studio=Studio(
            uow=adapters.uow,
            clock=adapters.clock,
            blobs=adapters.blobs,
            providers=adapters.providers,
            inspector=adapters.inspector,
            retention=adapters.settings.retention(),
        ),
        library=Library(
            uow=adapters.uow,
            clock=adapters.clock,
            blobs=adapters.blobs,
            trash_retention=adapters.settings.trash_retention(),
        ),
        files=Files(
            uow=adapters.uow,
            reads=adapters.reads,
            clock=adapters.clock,
            preparer=ServedCopies(adapters.blobs, adapters.settings.data_dir / "blobs" / "served"),
        ),
        processing=Processing(
            uow=adapters.uow,
            clock=adapters.clock,
            reads=adapters.reads.processing,
            processor=adapters.processor,
            policy=adapters.settings.job_policy(),
        ),
        events=Events(
            reads=adapters.reads.events,
            live=adapters.relay,
            maintenance=adapters.event_log,
            clock=adapters.clock,
            retention=adapters.settings.event_retention(),
        ),
        webhooks=Webhooks(
            uow=adapters.uow,
            # the outbox's loops run beside requests: their statements are tagged background
            outbox_uow=lambda: SqlUnitOfWork(background, on_events=adapters.relay.poke),
            clock=adapters.clock,
            reads=SqlWebhookReads.over(adapters.engine),
            outbox_reads=SqlWebhookReads(background),
            events=SqlEventLogReads(background),
            maintenance=adapters.event_log,
            sender=adapters.webhook_sender,
            secrets=SecretDeriver(adapters.settings.signing_key()),
            envelope=EventEnvelopes(Cursors(adapters.settings.signing_key())),
            policy=adapters.settings.webhook_policy(),
        ),
    )
