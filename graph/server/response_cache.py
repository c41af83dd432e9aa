"""The response cache: a query's answer kept under a key that any committed change moves.

The key holds the document's hash, the operation's name, the variables, the member and
their role and organisation, the host the links are made for, the signed links' window, and
the organisation's data version (the cursor of its last committed event, read before the
query runs). A change commits an event, which moves the version, so no answer is served
after a change it would not show; old entries are never invalidated, they just stop
being asked for and age out of a bounded store.

What is left out, on purpose:
- Documents that read state moved without an event (a processing job's PENDING and
  PROCESSING, a webhook's deliveries) are never cached: see VOLATILE_TYPES.
- Answers are shared by one member's requests only: sharing across members would need every
  field to declare it does not depend on the viewer, and one mistake there would show one
  member's view to another.
- Mutations, subscriptions, batches, and any answer with errors.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from dataclasses import dataclass
from typing import Protocol

import orjson
from graphql import (
    GraphQLInputObjectType,
    GraphQLSchema,
    GraphQLType,
    OperationType,
    TypeInfo,
    TypeInfoVisitor,
    get_named_type,
    parse,
    visit,
)
from graphql.error import GraphQLError
from graphql.language import ArgumentNode, FieldNode, OperationDefinitionNode, Visitor

from domain.kernel.access import Actor

VOLATILE_TYPES = frozenset({"ProcessingStatus", "Webhook", "WebhookDelivery"})
"""Types whose values change without an event: a job's claims and retries move processingStatus
between PENDING and PROCESSING, and a webhook's delivery attempts are not logged (a webhook
subscribed to them would deliver news of its own deliveries). A document that reads one of
these types, or filters by one, is answered fresh every time."""

MAX_DOCUMENTS = 2_000
"""Documents whose cacheability is remembered, per process."""


class AnswerStore(Protocol):
    """Where answers wait under their keys: each process's memory, or a shared Redis."""

    async def get(self, key: str) -> bytes | None:
        """The answer stored under the key, or None."""
        ...

    async def put(self, key: str, answer: bytes) -> None:
        """Store the answer; the store may drop it, or any other, whenever it likes."""
        ...


@dataclass(frozen=True, slots=True)
class CacheKey:
    """One answer's key, and the ETag a GET sends back with it."""

    digest: str

    @property
    def etag(self) -> str:
        return f'"{self.digest[:40]}"'

    def matches(self, if_none_match: str | None) -> bool:
        """Whether an `If-None-Match` header names this answer (or `*`)."""
        if not if_none_match:
            return False
        tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
        return self.etag in tags or "*" in tags


@dataclass(frozen=True, slots=True)
class Request:
    """What an answer depends on besides the data: the request and the one who sent it."""

    document: str
    operation_name: str | None
    variables: object
    actor: Actor
    base_url: str
    link_window: int


class ResponseCache:
    """Decides which documents may be cached, makes their keys, and keeps their answers."""

    def __init__(self, schema: GraphQLSchema, store: AnswerStore, *, max_tokens: int) -> None:
        self._schema, self._store, self._max_tokens = schema, store, max_tokens
        self._plans: OrderedDict[tuple[str, str | None], _Plan] = OrderedDict()

    def cacheable(self, document: str, operation_name: str | None, variables: object) -> bool:
        """Whether the operation is a query whose answer may be cached. Only a document that ran
        once without errors in this process is: a stream of invalid documents costs no version read."""
        plan = self._plans.get((document, operation_name))
        if plan is None:
            return False
        self._plans.move_to_end((document, operation_name))
        return plan.cacheable and not (plan.watched and _names_any(variables, plan.watched))

    def ran(self, document: str, operation_name: str | None) -> None:
        """Note that the operation ran without errors, so its later runs may be cached."""
        memo = (document, operation_name)
        if memo not in self._plans:
            self._plans[memo] = _plan(self._schema, document, operation_name, self._max_tokens)
            if len(self._plans) > MAX_DOCUMENTS:
                self._plans.popitem(last=False)

    def key(self, request: Request, version: int) -> CacheKey:
        """The answer's key under the organisation's data version."""
        actor = request.actor
        parts = orjson.dumps(
            [
                hashlib.sha256(request.document.encode()).hexdigest(),
                request.operation_name,
                request.variables,
                actor.org_id,
                actor.member_id,
                actor.role.value,
                request.base_url,
                request.link_window,
                version,
            ],
            option=orjson.OPT_SORT_KEYS,
        )
        return CacheKey(hashlib.sha256(parts).hexdigest())

    async def get(self, key: CacheKey) -> bytes | None:
        return await self._store.get(key.digest)

    async def put(self, key: CacheKey, answer: bytes) -> None:
        await self._store.put(key.digest, answer)


@dataclass(frozen=True, slots=True)
class _Plan:
    cacheable: bool
    watched: frozenset[str] = frozenset()
    """Input fields of a volatile type that the variables could set: the answer is fresh if they do."""


_NEVER = _Plan(False)


def _plan(schema: GraphQLSchema, document: str, operation_name: str | None, max_tokens: int) -> _Plan:
    try:
        ast = parse(document, max_tokens=max_tokens, no_location=True)
    except GraphQLError:
        return _NEVER  # the executor answers it with the parse error
    operations = [d for d in ast.definitions if isinstance(d, OperationDefinitionNode)]
    chosen = [o for o in operations if operation_name is None or (o.name and o.name.value == operation_name)]
    if len(chosen) != 1 or chosen[0].operation is not OperationType.QUERY:
        return _NEVER
    finder = _VolatileFinder()
    visit(ast, TypeInfoVisitor(finder.type_info(schema), finder))
    return _NEVER if finder.found else _Plan(True, frozenset(finder.watched))


def _volatile_fields(type_: GraphQLType | None, seen: set[str] | None = None) -> set[str]:
    """The names of an input type's fields, at any depth, that hold a volatile type."""
    named = get_named_type(type_) if isinstance(type_, GraphQLType) else None
    if not isinstance(named, GraphQLInputObjectType):
        return set()
    seen = seen if seen is not None else set()
    if named.name in seen:
        return set()
    seen.add(named.name)
    out: set[str] = set()
    for name, field in named.fields.items():
        inner = get_named_type(field.type)
        if inner is not None and inner.name in VOLATILE_TYPES:
            out.add(name)
        out |= _volatile_fields(field.type, seen)
    return out


def _names_any(value: object, names: frozenset[str]) -> bool:
    """Whether a JSON value has, at any depth, an object key among `names` with a value set."""
    if isinstance(value, dict):
        return any((k in names and v is not None) or _names_any(v, names) for k, v in value.items())
    if isinstance(value, list):
        return any(_names_any(v, names) for v in value)
    return False


class _VolatileFinder(Visitor):
    """Walks the whole document (every operation and fragment) looking for a volatile type among
    the fields' types and the arguments' and variables' input types."""

    def __init__(self) -> None:
        super().__init__()
        self.found = False
        self.watched: set[str] = set()
        self._info: TypeInfo | None = None

    def type_info(self, schema: GraphQLSchema) -> TypeInfo:
        self._info = TypeInfo(schema)
        return self._info

    def _note(self, type_: GraphQLType | None) -> None:
        named = get_named_type(type_) if isinstance(type_, GraphQLType) else None
        if named is not None and named.name in VOLATILE_TYPES:
            self.found = True

    def enter_field(self, node: FieldNode, *_: object) -> None:
        assert self._info is not None
        self._note(self._info.get_type())
        self._note(self._info.get_parent_type())

    def enter_argument(self, node: ArgumentNode, *_: object) -> None:
        assert self._info is not None
        self._note(self._info.get_input_type())

    def enter_object_field(self, node: object, *_: object) -> None:
        assert self._info is not None
        self._note(self._info.get_input_type())

    def enter_variable_definition(self, node: object, *_: object) -> None:
        assert self._info is not None
        type_ = self._info.get_input_type()
        self._note(type_)
        self.watched |= _volatile_fields(type_)
