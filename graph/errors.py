"""Every top-level error leaves with `extensions.code`; crashes leave masked.

Domain errors keep their message and code. Parse and validation errors keep theirs
(in production without "Did you mean" hints, which would map the schema for a
prober). Anything else is a bug: logged with its traceback by strawberry, shown to
the client as INTERNAL_SERVER_ERROR.
"""

from __future__ import annotations

import re
from typing import Any

from graphql.error import GraphQLError
from strawberry.extensions import MaskErrors

from domain.errors import DomainError

INTERNAL = "INTERNAL_SERVER_ERROR"
REQUEST_ERRORS = frozenset(
    {"GRAPHQL_PARSE_FAILED", "GRAPHQL_VALIDATION_FAILED", "BAD_USER_INPUT", "QUERY_TOO_COMPLEX"}
)
"""Codes of errors in the request itself: the HTTP answer is 400 when one stops execution."""
_SUGGESTION = re.compile(r"\s*Did you mean [^?]*\?")


def _classify(error: GraphQLError) -> tuple[str, bool]:
    """(code, whether the message is safe to show)."""
    original = error.original_error
    if isinstance(original, DomainError):
        return original.code.value, True
    if original is None:
        if error.extensions and "code" in error.extensions:  # raised by our own extensions, coded
            return error.extensions["code"], True
        if error.message.startswith("Syntax Error"):
            return "GRAPHQL_PARSE_FAILED", True
        return "GRAPHQL_VALIDATION_FAILED", True
    if isinstance(original, GraphQLError):  # input coercion: a bad variable or literal
        return "BAD_USER_INPUT", True
    return INTERNAL, False


class ErrorCodes(MaskErrors):
    """MaskErrors that also stamps a code on every error it lets through."""

    def __init__(self, *, production: bool) -> None:
        super().__init__(error_message="Internal server error")
        self.production = production

    def _process_errors(self, errors: list[GraphQLError]) -> list[GraphQLError]:
        processed = []
        for error in errors:
            code, public = _classify(error)
            message = error.message if public else self.error_message
            if self.production and code == "GRAPHQL_VALIDATION_FAILED":
                message = _SUGGESTION.sub("", message)
            extensions: dict[str, Any] = {**(error.extensions or {}), "code": code}
            if isinstance(error.original_error, DomainError) and error.original_error.field:
                extensions["field"] = error.original_error.field
            processed.append(
                GraphQLError(
                    message=message,
                    nodes=error.nodes,
                    source=error.source,
                    positions=error.positions,
                    path=error.path,
                    original_error=error.original_error if public else None,
                    extensions=extensions,
                )
            )
        return processed
