"""Lists of objects completed level by level, from a plan made once per selection.

graphql-core completes a list item by item and field by field: for each of a page's 50
assets a resolve info, a path, a coroutine and a task for each resolver field (its folder,
tags, projects, generation), and a gather per asset and per list. When every field under a
list is simple (a plain leaf, a plain attribute, or a resolver called directly, see
graph/relay/direct_resolvers.py, whose value is again simple), the list is completed here
instead, one level of the tree at a time: every item's resolvers are started, each runs to
its first DataLoader future, all those futures are awaited together, and the values they
give are completed as the next level. No task, info or path is made per field.

The plan covers only answers without errors. Anything unusual (a resolver that raises, a
null in a non-null field, a value that does not serialise, an item of the wrong type)
abandons the plan and completes the whole list again with graphql-core's own code, which
reports it exactly as it always does; resolvers are read-only and their DataLoaders cache,
so running them twice changes nothing.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any, NamedTuple

from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLLeafType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    Undefined,
)

from graph.relay.direct_resolvers import STRAWBERRY_DEFINITION, DirectCall
from graph.relay.selection_plans import SelectionPlans, Switches

_STANDARD_SCALARS = frozenset({"String", "Int", "Float", "Boolean", "ID"})


class Abandon(Exception):  # not an error: the plan does not cover this answer
    """The plan met something unusual: graphql-core completes the list instead."""


class Value(NamedTuple):
    """How to complete a value of one output type."""

    non_null: bool
    serialise: Callable[[Any], Any] | None  # a leaf
    item: Value | None  # a list
    obj: ObjectPlan | None  # an object
    guarded: bool = False  # a custom scalar, which might accept an awaitable: check for one


class Entry(NamedTuple):
    """One response key of an object's selection."""

    name: str
    kind: int  # TYPENAME, ATTRIBUTE or CALL
    attribute: str
    call: DirectCall | None
    value: Value | None


TYPENAME, ATTRIBUTE, CALL = 0, 1, 2


class ObjectPlan(NamedTuple):
    """An object type's selection, each key planned."""

    type: GraphQLObjectType
    entries: tuple[Entry, ...]


_plans: SelectionPlans[Value | None] = SelectionPlans()


class Planner:
    """Plans of one execution's lists (selections depend on its variables through @skip and @include)."""

    def __init__(
        self,
        collect_subfields: Callable[[GraphQLObjectType, Any], Any],
        direct_plan: Callable[[GraphQLField], DirectCall | None],
        switches: Switches = (),
    ) -> None:
        self._collect = collect_subfields
        self._direct = direct_plan
        self._switches = switches

    def value_plan(self, return_type: GraphQLOutputType, field_details_list: Any) -> Value | None:
        """The plan of a value of this type under these fields, or None when it needs graphql-core;
        kept across requests of the same document (graph/relay/selection_plans.py)."""
        return _plans.get(
            return_type,
            field_details_list,
            self._switches,
            lambda: self._value(return_type, field_details_list),
        )

    def _value(self, return_type: GraphQLOutputType, field_details_list: Any) -> Value | None:
        non_null = isinstance(return_type, GraphQLNonNull)
        named = return_type.of_type if isinstance(return_type, GraphQLNonNull) else return_type
        if isinstance(named, GraphQLLeafType):
            standard = named.name in _STANDARD_SCALARS or isinstance(named, GraphQLEnumType)
            return Value(non_null, named.coerce_output_value, None, None, not standard)
        if isinstance(named, GraphQLList):
            if any(streams(details.node) for details in field_details_list):
                return None
            item = self._value(named.of_type, field_details_list)
            return None if item is None else Value(non_null, None, item, None)
        if isinstance(named, GraphQLObjectType):
            obj = self._object(named, field_details_list)
            return None if obj is None else Value(non_null, None, None, obj)
        return None  # interfaces and unions resolve their type: graphql-core's

    def _object(self, object_type: GraphQLObjectType, field_details_list: Any) -> ObjectPlan | None:
        grouped_field_set, new_defer_usages, *_ = self._collect(object_type, field_details_list)
        if new_defer_usages:
            return None
        entries = []
        for name, details in grouped_field_set.items():
            field_name = details[0].node.name.value
            if field_name == "__typename":
                entries.append(Entry(name, TYPENAME, "", None, None))
                continue
            field = object_type.fields.get(field_name)
            if field is None or details[0].node.arguments:
                return None
            value = self.value_plan(field.type, details)
            if value is None:
                return None
            definition: Any = (field.extensions or {}).get(STRAWBERRY_DEFINITION)
            resolve = field.resolve
            if getattr(resolve, "_is_default", False) and getattr(definition, "is_basic_field", False):
                entries.append(Entry(name, ATTRIBUTE, definition.python_name, None, value))
                continue
            call = self._direct(field)
            if call is None:
                return None
            entries.append(Entry(name, CALL, "", call, value))
        return ObjectPlan(object_type, tuple(entries))


def streams(node: Any) -> bool:
    return any(directive.name.value == "stream" for directive in node.directives or ())


class _Waiting(NamedTuple):
    """A resolver's coroutine suspended on a future, and where its value goes."""

    coroutine: Coroutine[Any, Any, Any]
    future: Any
    value: Value
    into: Any
    key: Any


class Completion:
    """One planned list's completion, level by level (see the module's docstring)."""

    def __init__(self, context: Any, info: Any) -> None:
        self._context = context
        self._info = info
        self._next: list[tuple[Value, Any, Any, Any]] = []
        self._waiting: list[_Waiting] = []
        self.out: list[Any] = []
        self.leaves = 0
        self.calls = 0

    def start(self, item: Value, items: list[Any] | tuple[Any, ...]) -> bool:
        """Complete what needs no waiting; whether `finish` must be awaited for the rest."""
        self.out = [None] * len(items)
        try:
            self._levels([(item, value, self.out, index) for index, value in enumerate(items)])
        except BaseException:
            self.close()
            raise
        return bool(self._waiting)

    async def finish(self) -> list[Any]:
        """Wait for the resolvers' futures, level by level, and complete what they give."""
        try:
            while self._waiting:
                await self._resume()
                self._levels([])
        except BaseException:
            self.close()
            raise
        return self.out

    def close(self) -> None:
        """Close the resolvers still suspended (the plan was abandoned, or the request cancelled)."""
        waiting, self._waiting = self._waiting, []
        for w in waiting:
            w.coroutine.close()

    def _levels(self, level: list[tuple[Value, Any, Any, Any]]) -> None:
        # complete values until all that is left waits on a future
        level.extend(self._next)
        self._next = []
        while level:
            for plan, value, into, key in level:
                self._complete(plan, value, into, key)
            level, self._next = self._next, []

    async def _resume(self) -> None:
        waiting, self._waiting = self._waiting, []
        futures = {id(w.future): w.future for w in waiting if w.future is not None}
        if futures:
            await asyncio.wait(futures.values())
        else:
            await asyncio.sleep(0)
        for index, w in enumerate(waiting):
            try:
                self._step(w.coroutine, w.value, w.into, w.key)
            except BaseException:
                for rest in waiting[index + 1 :]:
                    rest.coroutine.close()
                raise

    def _step(self, coroutine: Coroutine[Any, Any, Any], value: Value, into: Any, key: Any) -> None:
        """Run a resolver's coroutine to its next suspension, or to its value."""
        try:
            yielded = coroutine.send(None)
        except StopIteration as done:
            self._next.append((value, done.value, into, key))
            return
        except Exception:
            raise Abandon from None
        if yielded is not None:
            if not hasattr(yielded, "add_done_callback"):
                coroutine.close()
                raise Abandon  # something other than an asyncio future: graphql-core's
            yielded._asyncio_future_blocking = False  # as asyncio's Task does, taking the future
        self._waiting.append(_Waiting(coroutine, yielded, value, into, key))

    def _complete(self, plan: Value, value: Any, into: Any, key: Any) -> None:
        if value is None:
            if plan.non_null:
                raise Abandon
            into[key] = None
            return
        if plan.serialise is not None:
            if plan.guarded and (hasattr(value, "__await__") or isinstance(value, Exception)):
                raise Abandon  # a custom scalar might serialise what graphql-core raises or awaits
            try:
                serialised = plan.serialise(value)
            except Exception:
                raise Abandon from None
            if serialised is None or serialised is Undefined:
                raise Abandon
            into[key] = serialised
            self.leaves += 1
            return
        if isinstance(value, Exception) or hasattr(value, "__await__"):
            raise Abandon  # graphql-core raises a returned exception, and awaits an awaitable
        if plan.item is not None:
            if not isinstance(value, list | tuple):
                raise Abandon
            items: list[Any] = [None] * len(value)
            into[key] = items
            for index, item in enumerate(value):
                self._complete(plan.item, item, items, index)
            return
        obj = plan.obj
        if obj is None:
            raise Abandon
        is_type_of = obj.type.is_type_of
        if is_type_of is not None and is_type_of(value, self._info) is not True:
            raise Abandon
        fields: dict[str, Any] = {}
        into[key] = fields
        for entry in obj.entries:
            if entry.kind == TYPENAME:
                fields[entry.name] = obj.type.name
                self.leaves += 1
                continue
            assert entry.value is not None
            if entry.kind == ATTRIBUTE:
                try:
                    read = getattr(value, entry.attribute)
                except Exception:
                    raise Abandon from None
                self._complete(entry.value, read, fields, entry.name)
                continue
            assert entry.call is not None
            self.calls += 1
            fields[entry.name] = None  # holds the key's place until its value comes
            try:
                result = entry.call(value, self._context)
            except Exception:
                raise Abandon from None
            if isinstance(result, Coroutine):
                self._step(result, entry.value, fields, entry.name)
            elif hasattr(result, "add_done_callback") or hasattr(result, "__await__"):
                raise Abandon  # an awaitable of another kind: graphql-core's
            else:
                self._complete(entry.value, result, fields, entry.name)
