"""The websocket side of /graphql: graphql-transport-ws, carrying subscriptions only.

strawberry runs the protocol (close codes 4400, 4401, 4403, 4408, 4409, 4429); this handler
adds what it leaves to us: messages of the wrong shape close with 4400 instead of crashing
the connection's task, queries and mutations are refused (they go over HTTP, where the body
and response caps and per-request loaders apply), errors leave with their code as on HTTP,
an error that ends a stream (a syntax error too: it need not cost the socket's other
subscriptions) is an `error` message, and the token is checked again every
ATELIER_WS_AUTH_RECHECK_SECONDS so a revoked token's socket is closed with 4403.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any

from graphql import GraphQLError
from strawberry.schema.exceptions import InvalidOperationTypeError
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import (
    BaseGraphQLTransportWSHandler,
    Operation,
)
from strawberry.types.execution import ExecutionResult, PreExecutionError

from domain.kernel.access import Actor, Role
from graph.relay.errors import client_error, redact
from graph.server.persisted_queries import PersistedQueryRefused

if TYPE_CHECKING:
    from graph.context import Context

log = logging.getLogger("atelier.ws")

NO_ONE = Actor(org_id=0, member_id=0, role=Role.VIEWER)
"""A socket's actor until its `connection_init` is accepted. strawberry runs no operation before
then (4401), and organisation 0 does not exist, so even a mistake here would read nothing."""

SUBSCRIPTIONS_ONLY = GraphQLError(
    "only subscriptions run over the websocket; send queries and mutations by HTTP POST to /graphql",
    extensions={"code": "OPERATION_NOT_ALLOWED"},
)


def bearer_of(params: object) -> str | None:
    """The token of a `connection_init` payload `{"authorization": "Bearer <token>"}`."""
    if not isinstance(params, dict):
        return None
    value = params.get("authorization") or params.get("Authorization")
    if not isinstance(value, str):
        return None
    scheme, _, token = value.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


class _SubscribeOnly:
    """The schema as the handler sees it: `stream` runs subscriptions and refuses other operations."""

    def __init__(self, schema: Any) -> None:
        self._schema = schema

    async def stream(self, *args: Any, **kwargs: Any) -> Any:
        return _parse_errors_as_results(await self._schema.subscribe(*args, **kwargs))


async def _parse_errors_as_results(source: Any) -> AsyncIterator[Any]:
    # strawberry's stream lets a parse error (raised in the parser cache's and token limiter's
    # on_parse) escape the operation, which then ends with a logged traceback and a bare
    # `complete`; it becomes an `error` message with its code, as over HTTP
    try:
        async with contextlib.aclosing(source):
            async for result in source:
                yield result
    except GraphQLError as error:
        coded = GraphQLError(redact(error.message), extensions={"code": "GRAPHQL_PARSE_FAILED"})
        yield PreExecutionError(data=None, errors=[coded])


class SocketHandler(BaseGraphQLTransportWSHandler[Any, None]):
    """graphql-transport-ws with our message checks, error codes and token re-checks."""

    def __init__(self, *, schema: Any, **kwargs: Any) -> None:
        super().__init__(schema=_SubscribeOnly(schema), **kwargs)  # type: ignore[arg-type]
        self._watch: asyncio.Task[None] | None = None

    async def handle_message(self, message: Any) -> None:
        if not isinstance(message, dict) or not isinstance(message.get("type"), str):
            await self.handle_invalid_message("a message must be a JSON object with a `type`")
            return
        if message["type"] == "complete" and not isinstance(message.get("id"), str):
            await self.handle_invalid_message("a complete message needs the subscription's `id`")
            return
        await super().handle_message(message)  # type: ignore[arg-type]

    async def handle_connection_init(self, message: Any) -> None:
        await super().handle_connection_init(message)
        if self.connection_acknowledged and self._watch is None:
            self._watch = asyncio.create_task(self._recheck(), name="socket-auth-recheck")

    async def handle_subscribe(self, message: Any) -> None:
        payload = message.get("payload")
        if isinstance(payload, dict) and isinstance(message.get("id"), str):
            try:  # the allow-list and persisted documents hold on the socket as over HTTP
                self.view.persisted.resolve(payload)  # type: ignore[attr-defined]
            except PersistedQueryRefused as refused:
                error = GraphQLError(refused.message, extensions={"code": refused.code})
                await self.send_message({"id": message["id"], "type": "error", "payload": [error.formatted]})
                return
        if not (
            isinstance(message.get("id"), str)
            and 0 < len(message["id"]) <= 128
            and isinstance(payload, dict)
            and isinstance(payload.get("query"), str)
            and isinstance(payload.get("variables"), dict | None)
            and isinstance(payload.get("operationName"), str | None)
        ):
            await self.handle_invalid_message("a subscribe message needs an `id` and a `payload.query`")
            return
        limit = self.max_subscriptions_per_connection
        if (
            self.connection_acknowledged
            and message["id"] not in self.operations
            and limit is not None
            and len(self.operations) >= limit
        ):
            error = GraphQLError(
                f"at most {limit} subscriptions may be open on one socket (ATELIER_WS_MAX_SUBSCRIPTIONS); "
                "complete one first",
                extensions={"code": "LIMIT_EXCEEDED", "limit": limit},
            )
            await self.send_message({"id": message["id"], "type": "error", "payload": [error.formatted]})
            return
        await super().handle_subscribe(message)

    async def _send_result_stream(self, operation: Operation[Any, None], result_source: Any) -> None:
        # strawberry's own loop, with codes on errors and a stream-ending error sent as `error`
        async for result in result_source:
            if not isinstance(result, ExecutionResult):
                await self._reject_incremental_delivery(operation)
                return
            errors = result.errors or []
            if (
                isinstance(result, PreExecutionError)
                and errors
                and isinstance(errors[0].original_error, InvalidOperationTypeError)
            ):
                errors = [SUBSCRIPTIONS_ONLY]
            coded = [client_error(e, production=self._production) for e in errors]
            if result.data is None and coded:
                await operation.send_initial_errors(coded)
                return
            result.errors = coded or None
            await operation.send_next(result)

    @property
    def _production(self) -> bool:
        return bool(getattr(self.view, "production", False))

    async def _recheck(self) -> None:
        context: Context = self.context
        every = getattr(self.view, "auth_recheck_seconds", 30.0)
        while True:
            await asyncio.sleep(every)
            try:
                actor = await self.view.authenticate_socket(context)  # type: ignore[attr-defined]
            except Exception:  # the database is away: keep the socket, ask again next time
                log.warning("socket token re-check failed; retrying", exc_info=True)
                continue
            if actor is None:
                log.info("socket closed: its token was revoked or expired")
                await self._close_all(4403, "Forbidden")
                return
            context.actor = actor  # a changed role applies to the next events' loaders

    async def _close_all(self, code: int, reason: str) -> None:
        tasks = [op.task for op in self.operations.values() if op.task]
        for operation_id in list(self.operations):
            await self.cleanup_operation(operation_id)
        for task in tasks:  # let them finish before the close, so none sends on a closed socket
            with contextlib.suppress(Exception, asyncio.CancelledError):
                await task
        await self.websocket.close(code=code, reason=reason)

    async def shutdown(self) -> None:
        if self._watch is not None:
            self._watch.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._watch
        await super().shutdown()
