"""Every top-level error leaves with a code, a message repeating no input value, and one log line.

Domain errors keep their message and code. Parse and validation errors keep theirs
(in production without "Did you mean" hints, which would map the schema for a
prober). Input values that do not fit their type are `BAD_USER_INPUT`, whether they
came as a variable or inline in the document, and their message names the place
and the expected type only: graphql-core's own messages quote the value, which
may be a prompt holding a secret. A quoted name in a message (a field, a fragment, an
operation name) that the credential guard flags is shown as `<redacted>`. Anything
else is a bug: masked for the client as INTERNAL_SERVER_ERROR, logged with its
traceback.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator
from typing import Any

import strawberry
from graphql.error import GraphQLError
from graphql.execution import ExecutionResult as GraphQLExecutionResult
from strawberry.extensions import SchemaExtension
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.types import ExecutionContext, ExecutionResult

from domain.kernel.errors import DomainError
from domain.kernel.prompt_guard import find_secret

INTERNAL = "INTERNAL_SERVER_ERROR"
OPERATION_NOT_ALLOWED = "OPERATION_NOT_ALLOWED"
BAD_USER_INPUT = "BAD_USER_INPUT"
REQUEST_ERRORS = frozenset(
    {"GRAPHQL_PARSE_FAILED", "GRAPHQL_VALIDATION_FAILED", BAD_USER_INPUT, "QUERY_TOO_COMPLEX"}
)
"""Codes of errors in the request itself: the HTTP answer is 400 when one stops execution."""
_SUGGESTION = re.compile(r"\s*Did you mean [^?]*\?")
_OPERATION_NAME = re.compile(r"[_A-Za-z][_0-9A-Za-z]{0,63}")
_QUOTED = re.compile(r"'([^']*)'|\"([^\"]*)\"")
MASKED = "Internal server error"

log = logging.getLogger("atelier.graphql")

# graphql-core's coercion messages, by their opening words; each is retold without the
# value it quotes. A message of another shape becomes "not a valid value".
_Retell = Callable[[re.Match[str]], str]
_COERCION: tuple[tuple[re.Pattern[str], _Retell], ...] = (
    (
        re.compile(r"Expected value of type '([^']+)' not to include unknown field"),
        lambda m: f"'{m[1]}' has no field of that name",
    ),
    (
        re.compile(r"Expected value of type '([^']+)' to include required field '(\w+)'"),
        lambda m: f"'{m[1]}' needs its field '{m[2]}'",
    ),
    (
        re.compile(r"Expected value of type '([^']+)' to be an object"),
        lambda m: f"expected an object of type '{m[1]}'",
    ),
    (
        re.compile(r"Expected (?:a )?value of non-null type '([^']+)'"),
        lambda m: f"expected a value of non-null type '{m[1]}'",
    ),
    (re.compile(r"Expected value of type '([^']+)'"), lambda m: f"expected a value of type '{m[1]}'"),
    (re.compile(r"Int cannot represent non 32-bit"), lambda m: "expected a 32-bit 'Int'"),
    (
        re.compile(r"(Int|Float|String|Boolean|ID) cannot represent"),
        lambda m: f"expected a value of type '{m[1]}'",
    ),
    (re.compile(r"Value .* does not exist in '(\w+)' enum"), lambda m: f"expected a value of enum '{m[1]}'"),
    (re.compile(r"Enum '(\w+)' cannot represent"), lambda m: f"expected a value of enum '{m[1]}'"),
    (
        re.compile(r"Within OneOf Input Object type '(\w+)'"),
        lambda m: m[0] + ", exactly one field must be set",
    ),
)
_VARIABLE = re.compile(r"Variable '\$\w+' has invalid (?:default )?value(?: at [\w.\[\]]+)?")


def _retell(message: str) -> str | None:
    """The coercion message told without its value, or None when it is not a coercion message."""
    for pattern, retell in _COERCION:
        match = pattern.match(message)
        if match:
            return retell(match)
    return None


def redact(message: str) -> str:
    """The message with every quoted part that holds a credential shown as `<redacted>`.

    graphql-core and strawberry quote what the client wrote (a field, a fragment, an
    operation name, a token the parser met); only quoted parts are scanned, so our own
    wording ("send `Authorization: Bearer <token>`") is never mistaken for one.
    """

    def hide(match: re.Match[str]) -> str:
        quoted = match[1] if match[1] is not None else match[2]
        if not quoted or not find_secret(quoted):
            return match[0]
        mark = match[0][0]
        return f"{mark}<redacted>{mark}"

    return _QUOTED.sub(hide, message)


def client_error(error: GraphQLError, *, production: bool) -> GraphQLError:
    """The error as the client sees it: its code, a message safe to show, no masked cause."""
    code, shown = classify(error)
    message = MASKED if shown is None else redact(shown)
    if production:
        message = _SUGGESTION.sub("", message)
    extensions: dict[str, Any] = {**(error.extensions or {}), "code": code}
    if isinstance(error.original_error, DomainError) and error.original_error.field:
        extensions["field"] = error.original_error.field
    return GraphQLError(
        message=message,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        original_error=error.original_error if shown is not None else None,
        extensions=extensions,
    )


def _own_code(error: GraphQLError | None) -> str | None:
    """The code our own scalars put on the errors they raise."""
    code = (error.extensions or {}).get("code") if error is not None else None
    return code if isinstance(code, str) else None


def classify(error: GraphQLError) -> tuple[str, str | None]:
    """(code, the message to show), or the message None when it must be masked."""
    original = error.original_error
    if isinstance(original, DomainError):
        return original.code.value, error.message
    if isinstance(original, CannotGetOperationTypeError):  # its message quotes the client's name
        return "GRAPHQL_VALIDATION_FAILED", "no operation of the document has the `operationName` asked for"
    if isinstance(original, InvalidOperationTypeError):
        return OPERATION_NOT_ALLOWED, (
            "subscriptions run over the websocket (graphql-transport-ws) at /graphql; "
            "queries and mutations over HTTP"
        )
    if _own_code(error):  # coded by our own scalars (refusing a literal in validation) or extensions
        return _own_code(error) or BAD_USER_INPUT, error.message
    if isinstance(original, GraphQLError):  # a variable that does not fit its type
        variable = _VARIABLE.match(error.message)
        where = variable[0] if variable else "Variable has invalid value"
        inner = original.message if _own_code(original) else _retell(original.message)
        return BAD_USER_INPUT, f"{where}: {inner or 'not a valid value'}."
    if original is None or error.path is None:
        if error.message.startswith("Syntax Error"):
            return "GRAPHQL_PARSE_FAILED", error.message
        retold = _retell(error.message)
        if retold is not None:  # a literal that does not fit its type, found by validation
            return BAD_USER_INPUT, f"Invalid value: {retold}."
        if original is None:
            return "GRAPHQL_VALIDATION_FAILED", error.message
    return INTERNAL, None


def _operation(execution_context: ExecutionContext | None) -> str:
    """The operation's name fit for a log line: a GraphQL name, and not a credential."""
    name = execution_context.operation_name if execution_context else None
    if not isinstance(name, str) or not _OPERATION_NAME.fullmatch(name):
        return "-"
    return "<redacted>" if find_secret(name) else name


def log_error(error: GraphQLError, execution_context: ExecutionContext | None) -> None:
    """One line per error (code, operation, path); a traceback only for bugs; never a document or value."""
    code, shown = classify(error)
    path = ".".join(str(p) for p in error.path) if error.path else "-"
    operation = _operation(execution_context)
    if shown is None:
        log.error("graphql %s operation=%s path=%s", code, operation, path, exc_info=error.original_error)
    else:
        log.info("graphql %s operation=%s path=%s", code, operation, path)


class LoggedSchema(strawberry.Schema):
    """strawberry's Schema, logging errors as `log_error` says instead of with the document's excerpt."""

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        for error in errors:
            log_error(error, execution_context)


class ErrorCodes(SchemaExtension):
    """Makes every error of an operation client-safe (`client_error`) once the operation is done.

    `process_errors` (LoggedSchema) has already logged the originals by then.
    """

    def __init__(self, *, production: bool) -> None:
        self.production = production

    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        if isinstance(result, GraphQLExecutionResult | ExecutionResult) and result.errors:
            result.errors = [client_error(e, production=self.production) for e in result.errors]
