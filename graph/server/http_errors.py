"""Errors of the HTTP routes: the one table from domain error codes to HTTP statuses, and the JSON shape.

Every route answers errors as GraphQL does (`{"errors": [{"message", "extensions": {"code"}}]}`),
so a client reads one shape whatever it called.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import orjson
from starlette.responses import Response

from domain.kernel.errors import DomainError, ErrorCode
from graph.relay.errors import redact

HTTP_STATUS: Mapping[ErrorCode, int] = {
    ErrorCode.NOT_FOUND: 404,
    ErrorCode.UNAUTHENTICATED: 401,
    ErrorCode.FORBIDDEN: 403,
    ErrorCode.INVALID_INPUT: 400,
    ErrorCode.LIMIT_EXCEEDED: 400,
    ErrorCode.INVALID_STATE: 409,
    ErrorCode.CONFLICT: 409,
    ErrorCode.QUOTA_EXCEEDED: 403,
    ErrorCode.BUDGET_EXCEEDED: 403,
    ErrorCode.APPROVAL_REQUIRED: 409,
    ErrorCode.ALT_TEXT_REQUIRED: 409,
    ErrorCode.PROVIDER_FAILED: 502,
    ErrorCode.INVALID_IMAGE: 400,
    ErrorCode.PAYLOAD_TOO_LARGE: 413,
    ErrorCode.CURSOR_EXPIRED: 410,
}
"""Every domain error code's HTTP status, for the routes beside /graphql (a test checks it is complete)."""

_HTTP_CODES = {
    400: "BAD_REQUEST",
    401: "UNAUTHENTICATED",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    413: "PAYLOAD_TOO_LARGE",
    415: "UNSUPPORTED_MEDIA_TYPE",
}


def error_response(status: int, message: str, code: str | None = None, **extensions: Any) -> Response:
    """A GraphQL-shaped error body: `{"errors": [{"message", "extensions": {"code"}}]}`.

    The message is redacted here: strawberry's own refusals quote what the client sent
    (`Unknown operation named "..."`).
    """
    code = code or _HTTP_CODES.get(status, "BAD_REQUEST")
    body: dict[str, Any] = {
        "errors": [{"message": redact(message), "extensions": {"code": code, **extensions}}]
    }
    if status == 200:
        body["data"] = None
    return Response(orjson.dumps(body), status_code=status, media_type="application/json")


def domain_error_response(error: DomainError) -> Response:
    """A domain error as an HTTP answer: its code, its status from the one table, its field."""
    extra = {"field": error.field} if error.field else {}
    return error_response(HTTP_STATUS[error.code], error.message, error.code.value, **extra)
