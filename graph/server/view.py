"""The GraphQL endpoint: bearer auth, body and response caps, JSON errors with codes, orjson responses."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import orjson
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.types import Message, Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError, MissingQueryError
from strawberry.http import GraphQLHTTPResponse
from strawberry.http.types import QueryParams
from strawberry.schema import BaseSchema
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.types import ExecutionResult
from strawberry.types.graphql import OperationType
from strawberry.types.unset import UNSET, UnsetType

from domain.kernel.access import Actor
from domain.kernel.errors import DomainError
from graph.context import Context, Ports
from graph.loaders import Loaders
from graph.relay.errors import OPERATION_NOT_ALLOWED, REQUEST_ERRORS, redact
from graph.server.auth import actor_of
from graph.server.cached_answers import (
    CACHE_HEADER,
    NotModified,
    answer_of,
    asks_past_the_cache,
    key_of,
    revalidation_headers,
    stored,
)
from graph.server.http_errors import domain_error_response, error_response
from graph.server.persisted_queries import PersistedQueries, PersistedQueryRefused
from graph.server.response_cache import ResponseCache
from graph.server.sockets import NO_ONE, SocketHandler, bearer_of

log = logging.getLogger("atelier.http")

SUBSCRIBE_OVER_THE_SOCKET = (
    "subscriptions run over the websocket (graphql-transport-ws) at /graphql, not over HTTP"
)


class BodyTooLarge(Exception):
    """The request body passed the cap while it was being read."""


def log_disconnect(scope: Scope) -> None:
    """An expected failure: one line, no traceback."""
    log.info("client disconnected mid-body: %s %s", scope.get("method"), scope.get("path"))


def _capped(receive: Receive, limit: int) -> Receive:
    seen = 0

    async def wrapped() -> Message:
        nonlocal seen
        message = await receive()
        seen += len(message.get("body", b""))
        if seen > limit:
            raise BodyTooLarge
        return message

    return wrapped


def _json_refusals(scope: Scope, receive: Receive, send: Send) -> Send:
    """strawberry answers its refusals (unknown operation, batch, content type ...) as plain text
    with their status; they leave in the API's one JSON error shape instead."""
    refusal: Message | None = None
    body = b""

    async def wrapped(message: Message) -> None:
        nonlocal refusal, body
        if message["type"] == "http.response.start" and message["status"] >= 400:
            content_type = dict(message.get("headers") or ()).get(b"content-type", b"")
            if content_type.startswith(b"text/plain"):
                refusal = message
                return
        if refusal is None:
            await send(message)
            return
        body += message.get("body", b"")
        if not message.get("more_body", False):
            reason = body.decode("utf-8", "replace")
            await error_response(refusal["status"], reason)(scope, receive, send)

    return wrapped


@dataclass(frozen=True)
class SocketLimits:
    """What one websocket may do (ATELIER_WS_* settings)."""

    init_timeout_seconds: float = 10
    max_subscriptions: int = 20
    auth_recheck_seconds: float = 30


class GraphQLEndpoint(GraphQL[Context, None]):
    """Strawberry's ASGI view, authenticating each request before it executes (a websocket at its
    `connection_init`)."""

    graphql_transport_ws_handler_class = SocketHandler

    def __init__(
        self,
        schema: BaseSchema,
        *,
        ports: Ports,
        production: bool,
        max_body_bytes: int,
        max_response_bytes: int,
        socket_limits: SocketLimits | None = None,
        persisted: PersistedQueries | None = None,
        response_cache: ResponseCache | None = None,
    ):
        limits = socket_limits or SocketLimits()
        super().__init__(
            schema,
            graphql_ide=None if production else "graphiql",
            allow_queries_via_get=True,
            subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,),  # the legacy graphql-ws: 4406
            connection_init_wait_timeout=timedelta(seconds=limits.init_timeout_seconds),
            max_subscriptions_per_connection=limits.max_subscriptions,
        )
        self.production = production
        self.auth_recheck_seconds = limits.auth_recheck_seconds
        self.ports = ports
        self.max_body_bytes = max_body_bytes
        self.max_response_bytes = max_response_bytes
        self.persisted = persisted or PersistedQueries()
        self.response_cache = response_cache

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        try:
            await super().__call__(
                scope, _capped(receive, self.max_body_bytes), _json_refusals(scope, receive, send)
            )
            return
        except HTTPException as e:
            response = error_response(e.status_code, e.detail)
        except PersistedQueryRefused as e:
            response = error_response(e.status, e.message, e.code)
        except NotModified as e:
            response = Response(status_code=304, headers=revalidation_headers(e.etag))
        except BodyTooLarge:
            response = error_response(413, f"the request body is larger than {self.max_body_bytes} bytes")
        except ClientDisconnect:
            log_disconnect(scope)
            return  # nobody is left to answer
        await response(scope, receive, send)

    async def run(self, request: Any, context: Any = UNSET, root_value: Any = UNSET) -> Any:
        """Checks the body's declared length and the token before strawberry reads the request."""
        if not isinstance(request, Request):  # a websocket
            return await super().run(request, context, root_value)
        length = request.headers.get("content-length", "")
        if length.isdigit() and int(length) > self.max_body_bytes:
            raise BodyTooLarge
        if self.graphql_ide and self.should_render_graphql_ide(self.request_adapter_class(request)):
            return await self.render_graphql_ide(request)
        try:
            request.state.actor = await actor_of(request, self.ports)
        except DomainError as e:
            return domain_error_response(e)
        return await super().run(request, context, root_value)

    async def get_context(self, request: Request | WebSocket, response: Response | WebSocket) -> Context:
        # a socket's context lives as long as the socket; its actor comes with connection_init
        actor = NO_ONE if isinstance(request, WebSocket) else request.state.actor
        return Context(
            request=request,
            response=response,
            actor=actor,
            ports=self.ports,
            loaders=self._loaders(actor),
        )

    def _loaders(self, actor: Actor) -> Loaders:
        services = self.ports.services
        return Loaders(self.ports.reads, actor, services.events, services.webhooks)

    async def on_ws_connect(self, context: Context) -> UnsetType | dict[str, object] | None:
        """The `connection_init` payload's token decides: an actor, or the socket closes with 4403."""
        actor = await self.authenticate_socket(context)
        if actor is None:
            raise ConnectionRejectionError
        context.actor = actor
        context.loaders = self._loaders(actor)
        return UNSET

    async def authenticate_socket(self, context: Context) -> Actor | None:
        """The actor of the socket's `{"authorization": "Bearer <token>"}`; None when refused."""
        return await self.ports.services.organisations.authenticate(
            secret=bearer_of(context.connection_params)
        )

    async def execute_operation(
        self,
        request: Any,
        request_adapter: Any,
        request_data: Any,
        context: Any,
        root_value: Any,
        sub_response: Any,
    ) -> Any:
        if not isinstance(request_data, list) and self._get_stream_transport(request_data.protocol):
            raise PersistedQueryRefused(400, OPERATION_NOT_ALLOWED, SUBSCRIBE_OVER_THE_SOCKET)
        return await super().execute_operation(
            request, request_adapter, request_data, context, root_value, sub_response
        )

    async def execute_single(
        self,
        request: Any,
        request_adapter: Any,
        sub_response: Any,
        context: Any,
        root_value: Any,
        request_data: Any,
    ) -> Any:
        # subscriptions run over the websocket only: over HTTP strawberry would execute one as a query
        allowed = {OperationType.QUERY} | (
            {OperationType.MUTATION} if request_adapter.method == "POST" else set()
        )
        key = await key_of(self.response_cache, self.ports, request_adapter.method, request_data, context)
        if key is not None:
            if request_adapter.method == "GET":
                sub_response.headers.update(revalidation_headers(key.etag))
                if key.matches(request.headers.get("if-none-match")):
                    raise NotModified(key.etag)
            # `Cache-Control: no-cache` asks past the cache: the answer is made afresh and kept
            cached = None if asks_past_the_cache(request) else await self.response_cache.get(key)  # type: ignore[union-attr]
            sub_response.headers[CACHE_HEADER] = "miss" if cached is None else "hit"
            if cached is not None:
                return answer_of(cached)
        try:
            result = await self.schema.execute(
                request_data.query,
                root_value=root_value,
                variable_values=request_data.variables,
                context_value=context,
                operation_name=request_data.operation_name,
                allowed_operation_types=allowed,
                operation_extensions=request_data.extensions,
            )
        except CannotGetOperationTypeError:  # its reason quotes the client's operation name
            raise HTTPException(
                400, "no operation of the document has the `operationName` asked for"
            ) from None
        except InvalidOperationTypeError as e:
            if e.operation_type is OperationType.SUBSCRIPTION:
                raise PersistedQueryRefused(400, OPERATION_NOT_ALLOWED, SUBSCRIBE_OVER_THE_SOCKET) from None
            raise HTTPException(400, e.as_http_error_reason(request_adapter.method)) from None
        except MissingQueryError:
            raise HTTPException(400, "No GraphQL query found in the request") from None
        if self.response_cache is not None and not result.errors and result.data is not None:
            if key is None:
                self.response_cache.ran(request_data.query, request_data.operation_name)
            else:
                await self.response_cache.put(key, stored(result))
        return result

    def should_render_graphql_ide(self, request: Any) -> bool:
        # a GET naming a persisted query by hash carries no `query`, and is not a browser's visit
        return super().should_render_graphql_ide(request) and "extensions" not in request.query_params

    def encode_json(self, data: object) -> str:
        # str, not bytes: bytes would go out as binary websocket frames, which JS clients reject
        return orjson.dumps(data).decode()

    def decode_json(self, data: str | bytes) -> object:
        return orjson.loads(data)

    def parse_json(self, data: str | bytes) -> Any:
        try:
            decoded = self.decode_json(data)
        except orjson.JSONDecodeError:
            raise HTTPException(400, "Unable to parse request body as JSON") from None
        # strawberry reads `.get("query")` off whatever JSON came: a string or a number would crash it
        if not isinstance(decoded, dict | list):
            raise HTTPException(400, "the request body must be a JSON object with a `query`")
        for request in decoded if isinstance(decoded, list) else [decoded]:
            if isinstance(request, dict):
                _check_operation_name(request)
                self.persisted.resolve(request)
        return decoded

    def parse_query_params(self, params: QueryParams) -> dict[str, Any]:
        parsed: dict[str, Any] = dict(params)
        for name in ("variables", "extensions"):
            if parsed.get(name):
                try:
                    parsed[name] = self.decode_json(parsed[name])
                except orjson.JSONDecodeError:
                    raise HTTPException(400, f"the `{name}` parameter is not JSON") from None
        _check_operation_name(parsed)
        self.persisted.resolve(parsed)
        return parsed

    async def process_result(self, request: Request, result: ExecutionResult) -> GraphQLHTTPResponse:
        data = await super().process_result(request, result)
        errors: list[dict[str, Any]] = data.get("errors") or []  # type: ignore[assignment]
        for error in errors:
            # parse failures (and the token limit, which acts while parsing) skip the
            # extensions' error hook; give them their code and a safe message here
            error["message"] = redact(error.get("message", ""))
            extensions = error.setdefault("extensions", {})
            if "code" not in extensions:
                parse = error.get("message", "").startswith(("Syntax Error", "Document exceeds"))
                extensions["code"] = "GRAPHQL_PARSE_FAILED" if parse else "GRAPHQL_VALIDATION_FAILED"
        return data

    def create_response(
        self, response_data: GraphQLHTTPResponse | list[GraphQLHTTPResponse], sub_response: Response
    ) -> Response:
        status = sub_response.status_code or 200
        if (
            isinstance(response_data, dict)
            and response_data.get("data") is None
            and _has_request_error(response_data)
        ):
            status = 400  # GraphQL over HTTP: a request that never executed is the client's fault
        body = orjson.dumps(response_data)
        if len(body) > self.max_response_bytes:
            # sent whole or not at all: a cut JSON body would be a parse error in the client
            log.info("response too large: %d bytes, over the cap of %d", len(body), self.max_response_bytes)
            return error_response(
                200,  # the operation ran (a mutation's changes stand): GraphQL over HTTP says 200
                "the answer is larger than ATELIER_MAX_RESPONSE_BYTES and was not sent; ask for smaller "
                "pages or fewer long text fields (any change a mutation made was kept)",
                "RESPONSE_TOO_LARGE",
                limit=self.max_response_bytes,
            )
        response = Response(body, status_code=status, media_type="application/json")
        response.headers.raw.extend(sub_response.headers.raw)
        return response


def _check_operation_name(data: dict[str, Any]) -> None:
    """An empty `operationName` means none (GET forms send `operationName=`); a non-string is refused."""
    if data.get("operationName") == "":
        data["operationName"] = None
    if not isinstance(data.get("operationName"), str | None):
        raise HTTPException(400, "`operationName` must be a string or null")


def _has_request_error(data: Any) -> bool:
    return any((e.get("extensions") or {}).get("code") in REQUEST_ERRORS for e in data.get("errors") or ())
