"""The GraphQL endpoint: bearer auth, body cap, JSON errors with codes, orjson responses."""

from __future__ import annotations

import logging
from typing import Any

import orjson
from cross_web import HTTPException
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.types import Message, Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse
from strawberry.schema import BaseSchema
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.types import ExecutionResult

from domain.organisations.tokens import authenticate
from graph.context import Context, Ports
from graph.loaders import Loaders
from graph.relay.errors import REQUEST_ERRORS

_HTTP_CODES = {
    400: "BAD_REQUEST",
    401: "UNAUTHENTICATED",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    413: "PAYLOAD_TOO_LARGE",
}


log = logging.getLogger("atelier.http")


class BodyTooLarge(Exception):
    """The request body passed the cap while it was being read."""


def error_response(status: int, message: str, code: str | None = None) -> Response:
    """A GraphQL-shaped error body: `{"errors": [{"message", "extensions": {"code"}}]}`."""
    body = {
        "errors": [
            {"message": message, "extensions": {"code": code or _HTTP_CODES.get(status, "BAD_REQUEST")}}
        ]
    }
    return Response(orjson.dumps(body), status_code=status, media_type="application/json")


def log_disconnect(scope: Scope) -> None:
    """An expected failure: one line, no traceback."""
    log.info("client disconnected mid-body: %s %s", scope.get("method"), scope.get("path"))


def bearer_token(request: Request) -> str | None:
    """The token of an `Authorization: Bearer <token>` header."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


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


class GraphQLEndpoint(GraphQL[Context, None]):
    """Strawberry's ASGI view, authenticating each request before it executes."""

    def __init__(self, schema: BaseSchema, *, ports: Ports, production: bool, max_body_bytes: int):
        super().__init__(
            schema,
            graphql_ide=None if production else "graphiql",
            allow_queries_via_get=True,
            subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,),
        )
        self.ports = ports
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        request = Request(scope, receive=_capped(receive, self.max_body_bytes))
        try:
            response = await self._respond(request)
        except HTTPException as e:
            response = error_response(e.status_code, e.reason)
        except BodyTooLarge:
            response = error_response(413, f"the request body is larger than {self.max_body_bytes} bytes")
        except ClientDisconnect:
            log_disconnect(scope)
            return  # nobody is left to answer
        await response(scope, receive, send)

    async def _respond(self, request: Request) -> Response:
        length = request.headers.get("content-length", "")
        if length.isdigit() and int(length) > self.max_body_bytes:
            raise BodyTooLarge
        if self.graphql_ide and self.should_render_graphql_ide(self.request_adapter_class(request)):
            return await self.render_graphql_ide(request)
        actor = await authenticate(self.ports.reads.directory, self.ports.clock, secret=bearer_token(request))
        if actor is None:
            return error_response(
                401, "missing, unknown, revoked or expired token; send `Authorization: Bearer <token>`"
            )
        request.state.actor = actor
        return await self.run(request)

    async def get_context(self, request: Request | WebSocket, response: Response | WebSocket) -> Context:
        actor = request.state.actor
        return Context(
            request=request,
            response=response,
            actor=actor,
            ports=self.ports,
            loaders=Loaders(self.ports.reads, actor),
        )

    def encode_json(self, data: object) -> str:
        # str, not bytes: bytes would go out as binary websocket frames, which JS clients reject
        return orjson.dumps(data).decode()

    def decode_json(self, data: str | bytes) -> object:
        return orjson.loads(data)

    def parse_json(self, data: str | bytes) -> Any:
        decoded = super().parse_json(data)
        # strawberry reads `.get("query")` off whatever JSON came: a string or a number would crash it
        if not isinstance(decoded, dict | list):
            raise HTTPException(400, "the request body must be a JSON object with a `query`")
        operation_name = decoded.get("operationName") if isinstance(decoded, dict) else None
        if not isinstance(operation_name, str | None):
            raise HTTPException(400, "`operationName` must be a string or null")
        return decoded

    async def process_result(self, request: Request, result: ExecutionResult) -> GraphQLHTTPResponse:
        data = await super().process_result(request, result)
        errors: list[dict[str, Any]] = data.get("errors") or []  # type: ignore[assignment]
        for error in errors:
            # parse failures (and the token limit, which acts while parsing) skip the
            # extensions' error hook; give them their code here
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
        response = Response(orjson.dumps(response_data), status_code=status, media_type="application/json")
        response.headers.raw.extend(sub_response.headers.raw)
        return response


def _has_request_error(data: Any) -> bool:
    return any((e.get("extensions") or {}).get("code") in REQUEST_ERRORS for e in data.get("errors") or ())
