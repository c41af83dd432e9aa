"""The composition root: services bootstrapped over the adapters, handed to the GraphQL view and routes."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from datetime import timedelta

import sqlalchemy as sa
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route, WebSocketRoute

from graph.context import Ports
from graph.files.links import FileLinks
from graph.relay.ids import Cursors
from graph.schema import MAX_TOKENS, build_schema
from graph.server.bootstrap import Adapters, bootstrap, worker_name
from graph.server.files import file_endpoint
from graph.server.http_errors import error_response
from graph.server.persisted_queries import PersistedQueries, load_allow_list
from graph.server.response_cache import ResponseCache
from graph.server.settings import Settings
from graph.server.shutdown import Stopping
from graph.server.sweep import sweep
from graph.server.uploads import upload_endpoint
from graph.server.view import GraphQLEndpoint, SocketLimits
from storage.answers.redis import RedisAnswers
from storage.blobs.spool import UploadSpool
from storage.sql.migrate import migrate


def create_app(settings: Settings | None = None, *, adapters: Adapters | None = None) -> Starlette:
    """The ASGI app; migrates the database on start-up."""
    settings = settings or Settings()
    adapters = adapters or Adapters.build(settings)
    services = bootstrap(adapters)
    ports = Ports(
        services=services,
        reads=adapters.reads,
        spool=UploadSpool(settings.data_dir / "blobs" / "spool", settings.max_upload_bytes),
        cursors=Cursors(settings.signing_key()),
        links=FileLinks(settings.signing_key(), timedelta(seconds=settings.file_link_lifetime_seconds)),
    )
    schema = build_schema(production=settings.production, max_query_cost=settings.max_query_cost)
    endpoint = GraphQLEndpoint(
        schema,
        ports=ports,
        production=settings.production,
        max_body_bytes=settings.max_body_bytes,
        max_response_bytes=settings.max_response_bytes,
        socket_limits=SocketLimits(
            init_timeout_seconds=settings.ws_init_timeout_seconds,
            max_subscriptions=settings.ws_max_subscriptions,
            auth_recheck_seconds=settings.ws_auth_recheck_seconds,
        ),
        persisted=PersistedQueries(
            capacity=settings.persisted_query_cache_size,
            allow_list=load_allow_list(settings.persisted_queries_file)
            if settings.persisted_queries_file
            else None,
        ),
        response_cache=None
        if adapters.answers is None
        else ResponseCache(schema._schema, adapters.answers, max_tokens=MAX_TOKENS),
    )

    async def healthz(request: Request) -> Response:
        return JSONResponse({"ok": True})

    async def readyz(request: Request) -> Response:
        try:
            async with adapters.engine.connect() as conn:
                await conn.execute(sa.text("SELECT 1"))
        except Exception as e:  # any failure means not ready; say which kind, never the details
            return JSONResponse({"ok": False, "database": type(e).__name__}, status_code=503)
        return JSONResponse({"ok": True, "database": "ok"})

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        await migrate(adapters.engine)
        await adapters.relay.start()
        relay = asyncio.create_task(adapters.relay.run(), name="event-relay")
        sweeper = None
        if settings.cleanup_interval_seconds > 0:
            sweeper = asyncio.create_task(
                sweep(services, settings.cleanup_interval_seconds), name="retention"
            )
        worker = None
        if settings.worker == "on":
            # processing in this process: CPU work goes to the pool, the loop keeps serving reads
            worker = asyncio.create_task(
                services.processing.serve(
                    worker_name(),
                    concurrency=2
                    * adapters.processor.processes,  # the pool stays busy while rows are written
                    poll_seconds=settings.worker_poll_seconds,
                ),
                name="processing",
            )
        webhooks = None
        if settings.worker == "on":  # webhook deliveries run where processing runs, from the outbox
            webhooks = asyncio.create_task(
                services.webhooks.serve(worker_name(), poll_seconds=settings.webhook_poll_seconds),
                name="webhooks",
            )
        try:
            yield
        finally:
            stopping = Stopping()
            await stopping.cancel([webhooks, sweeper, worker, relay])
            await stopping.close("the image processing pool", adapters.processor.close())
            await stopping.close("the webhook sender", adapters.webhook_sender.close())
            if isinstance(adapters.answers, RedisAnswers):
                await stopping.close("the Redis answers", adapters.answers.close())
            await stopping.close("the database engine", adapters.engine.dispose())

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
            WebSocketRoute("/graphql", endpoint),  # subscriptions: graphql-transport-ws only
            Route("/uploads", upload_endpoint(ports, max_bytes=settings.max_upload_bytes), methods=["POST"]),
            Route("/files/{kind}/{id}/{variant}", file_endpoint(ports), methods=["GET", "HEAD"]),
        ],
        lifespan=lifespan,
    )
    app.state.adapters = adapters
    app.state.services = services
    return app
