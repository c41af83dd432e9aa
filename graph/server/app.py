"""The composition root: builds the storage adapters, hands them to the domain and the GraphQL view."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from domain.kernel import prompt_guard
from domain.kernel.prompt_guard import SecretScanner
from domain.studio.ports import ImageProvider
from domain.studio.retention import cleanup_expired
from graph.context import Ports
from graph.relay.ids import Cursors
from graph.schema import build_schema
from graph.server.http_errors import error_response
from graph.server.settings import Settings
from graph.server.uploads import upload_endpoint
from graph.server.view import GraphQLEndpoint
from storage.blobs.local import LocalBlobStore
from storage.blobs.spool import UploadSpool
from storage.clock import SystemClock
from storage.images.inspector import PillowInspector
from storage.providers.openai_compatible import OpenAICompatibleProvider
from storage.providers.procedural import ProceduralProvider
from storage.reads import SqlReads
from storage.secret_scanner import DetectSecretsScanner
from storage.sql.database import create_engine
from storage.sql.migrate import migrate
from storage.unit_of_work import SqlUnitOfWork

log = logging.getLogger("atelier")


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
class Services:
    """The adapters one process shares across requests."""

    settings: Settings
    engine: AsyncEngine
    reads: SqlReads
    blobs: LocalBlobStore
    clock: SystemClock
    providers: dict[str, ImageProvider] = field(default_factory=lambda: {"procedural": ProceduralProvider()})
    scanner: SecretScanner = field(default_factory=DetectSecretsScanner)

    def uow(self) -> SqlUnitOfWork:
        """A fresh unit of work (one transaction)."""
        return SqlUnitOfWork(self.engine)

    @classmethod
    def build(cls, settings: Settings) -> Services:
        """The adapters from the settings; binds the prompt guard's scanner (the CLI runs services too)."""
        engine = create_engine(settings.resolved_database_url(), pool_size=settings.db_pool_size)
        services = cls(
            settings,
            engine,
            SqlReads.over(engine),
            LocalBlobStore(settings.data_dir / "blobs"),
            SystemClock(),
            build_providers(settings),
        )
        prompt_guard.use(services.scanner)
        return services


async def _sweep(services: Services, interval: float) -> None:
    """The periodic retention cleanup; with several workers each sweeps, and SQL conditions keep it safe."""
    while True:
        await asyncio.sleep(interval)
        try:
            report = await cleanup_expired(services.uow(), services.clock, services.blobs)
            if report.deleted:
                log.info("retention: deleted %d expired generation(s)", report.deleted)
        except Exception:  # keep sweeping: a failed run is retried at the next interval
            log.exception("retention cleanup failed")


def create_app(settings: Settings | None = None, *, services: Services | None = None) -> Starlette:
    """The ASGI app; migrates the database on start-up."""
    settings = settings or Settings()
    services = services or Services.build(settings)
    prompt_guard.use(services.scanner)  # also when the services were built by the caller
    ports = Ports(
        reads=services.reads,
        clock=services.clock,
        uow=services.uow,
        retention=settings.retention(),
        blobs=services.blobs,
        providers=services.providers,
        inspector=PillowInspector(),
        spool=UploadSpool(settings.data_dir / "blobs" / "spool", settings.max_upload_bytes),
        cursors=Cursors(settings.signing_key()),
    )
    endpoint = GraphQLEndpoint(
        build_schema(production=settings.production, max_query_cost=settings.max_query_cost),
        ports=ports,
        production=settings.production,
        max_body_bytes=settings.max_body_bytes,
        max_response_bytes=settings.max_response_bytes,
    )

    async def healthz(request: Request) -> Response:
        return JSONResponse({"ok": True})

    async def readyz(request: Request) -> Response:
        try:
            async with services.engine.connect() as conn:
                await conn.execute(sa.text("SELECT 1"))
        except Exception as e:  # any failure means not ready; say which kind, never the details
            return JSONResponse({"ok": False, "database": type(e).__name__}, status_code=503)
        return JSONResponse({"ok": True, "database": "ok"})

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        await migrate(services.engine)
        sweeper = None
        if settings.cleanup_interval_seconds > 0:
            sweeper = asyncio.create_task(
                _sweep(services, settings.cleanup_interval_seconds), name="retention"
            )
        try:
            yield
        finally:
            if sweeper is not None:
                sweeper.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await sweeper
            await services.engine.dispose()

    async def http_error(request: Request, exc: Exception) -> Response:
        # unknown paths and methods answer in the API's one error shape, not Starlette's plain text
        assert isinstance(exc, HTTPException)
        response = error_response(exc.status_code, exc.detail)
        response.headers.update(exc.headers or {})
        return response

    app = Starlette(
        exception_handlers={HTTPException: http_error},
        routes=[
            Route("/healthz", healthz),
            Route("/readyz", readyz),
            Route("/graphql", endpoint, methods=["GET", "POST"]),
            Route("/uploads", upload_endpoint(ports, max_bytes=settings.max_upload_bytes), methods=["POST"]),
        ],
        lifespan=lifespan,
    )
    app.state.services = services
    return app
