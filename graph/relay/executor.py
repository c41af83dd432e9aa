"""The executor every operation runs on: graphql-core's, with a short road for plain leaf fields.

A page of 50 assets resolves about a thousand fields, and most of them are leaves that
strawberry resolves by reading an attribute (`name`, `width`, a tag's `id`). graphql-core
builds a resolve info, a path, an argument dict and two awaitable checks for each, about
6 µs a field. Here such a field is read with the field's own getter and serialised by its
own type, nothing else. Whenever the short road meets anything unusual (the attribute
raises, a non-null leaf holds None, serialising fails) the field is executed again by
graphql-core's own code, so that the answer and its errors (message, path, locations)
are graphql-core's to the byte. Everything else (resolvers, objects, lists, abstract
types, subscriptions, introspection) is graphql-core's code unchanged.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, NamedTuple, TypeVar

from graphql import GraphQLField, GraphQLLeafType, GraphQLNonNull, GraphQLObjectType, Undefined
from graphql.execution.executor import to_nodes
from graphql.execution.values import get_argument_values
from graphql.pyutils import Path, gather_with_cancel
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from graph.relay.direct_resolvers import STRAWBERRY_DEFINITION, ContextOnly, DirectCall, direct_call
from graph.relay.planned_lists import Abandon, Completion, Planner
from graph.relay.projected_pages import PagePlan, PagePlanner, ProjectedList, projected_list
from graph.relay.selection_plans import switches_of

# strawberry's resolver for a field without a resolver, permission or extension; its
# absence from a field means the field needs graphql-core's full treatment.
_BASIC_RESOLVER = "_get_basic_result"


class Leaf(NamedTuple):
    """How to read and serialise one plain leaf field, decided once per schema field."""

    read: Callable[[Any, str], Any]
    attribute: str
    serialise: Callable[[Any], Any]
    non_null: bool


class Counters:
    """How many fields took the short road and how many fell back: proof for tests that it runs."""

    direct = 0
    fallback = 0
    called = 0
    """Resolvers called directly (graph/relay/direct_resolvers.py)."""
    planned = 0
    """Lists completed from a plan (graph/relay/planned_lists.py)."""
    abandoned = 0
    """Planned lists that met something unusual and were completed by graphql-core."""
    projected = 0
    """Connections answered from a projected page (graph/relay/projected_pages/)."""
    unprojected = 0
    """Projected pages given up for graphql-core's execution of the field."""


P = TypeVar("P")


def _per_field(make: Callable[[GraphQLField], P]) -> Callable[[GraphQLField], P]:
    """`make` decided once per schema field, by the field's identity (kept alive beside its plan)."""
    plans: dict[int, tuple[GraphQLField, P]] = {}

    def plan(field: GraphQLField) -> P:
        known = plans.get(id(field))
        if known is not None and known[0] is field:
            return known[1]
        made = make(field)
        plans[id(field)] = (field, made)
        return made

    return plan


def _plan(field: GraphQLField) -> Leaf | None:
    resolve = field.resolve
    if resolve is None or getattr(resolve, "__name__", None) != _BASIC_RESOLVER:
        return None
    if not getattr(resolve, "_is_default", False):
        return None
    definition = (field.extensions or {}).get(STRAWBERRY_DEFINITION)
    if definition is None or not definition.is_basic_field:
        return None
    non_null = isinstance(field.type, GraphQLNonNull)
    named = field.type.of_type if isinstance(field.type, GraphQLNonNull) else field.type
    if not isinstance(named, GraphQLLeafType):
        return None
    return Leaf(definition.default_resolver, definition.python_name, named.coerce_output_value, non_null)


leaf_plan = _per_field(_plan)
"""The short road for a schema field's leaf, or None when it needs graphql-core."""
direct_plan = _per_field(direct_call)
"""The direct call of a schema field's resolver (graph/relay/direct_resolvers.py), or None."""
projection_plan = _per_field(projected_list)
"""How a connection field reads a projected page (graph/relay/projected_pages/), or None."""


class Step(NamedTuple):
    """One response key of a selection: its fields, and the leaf plan or direct call when it has one."""

    name: str
    fields: Any  # graphql-core's FieldDetailsList
    leaf: Leaf | None
    typename: bool
    field: GraphQLField | None = None
    direct: DirectCall | None = None
    projected: ProjectedList | None = None


_PAGING = frozenset({"first", "after"})


def _in_list(path: Path | None) -> bool:
    """Whether the field's parent is an item of a list (its pages are batched across the list)."""
    while path is not None:
        if isinstance(path.key, int):
            return True
        path = path.prev
    return False


class PlainFieldExecutor(StrawberryGraphQLCoreExecutionContext):
    """strawberry's executor; plain leaves are read directly (see the module's docstring)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        manager = self.middleware_manager
        # A resolve-hook extension wraps every resolver, leaves included: no short road then.
        self._direct = manager is None or not manager.middlewares
        self._steps: dict[tuple[int, int], tuple[Any, list[Step]]] = {}
        self._context_only = ContextOnly(self.context_value)
        switches = switches_of(self.variable_values.coerced)
        self._planner = Planner(self.collect_subfields, direct_plan, switches)
        self._pages = PagePlanner(self.collect_subfields, switches)

    def _steps_of(self, parent_type: GraphQLObjectType, grouped_field_set: Any) -> list[Step]:
        # A grouped field set is built once per (type, selection) in an execution and
        # reused for every object of a list, so its steps are planned once too.
        key = (id(parent_type), id(grouped_field_set))
        cached = self._steps.get(key)
        if cached is not None and cached[0] is grouped_field_set:
            return cached[1]
        steps = []
        for name, field_details_list in grouped_field_set.items():
            field_name = field_details_list[0].node.name.value
            if field_name == "__typename":
                steps.append(Step(name, field_details_list, None, True))
                continue
            field = parent_type.fields.get(field_name)
            leaf = leaf_plan(field) if field is not None and self._direct else None
            direct = direct_plan(field) if field is not None and self._direct and leaf is None else None
            projected = projection_plan(field) if field is not None and self._direct else None
            steps.append(Step(name, field_details_list, leaf, False, field, direct, projected))
        self._steps[key] = (grouped_field_set, steps)
        return steps

    def execute_fields(
        self,
        parent_type: GraphQLObjectType,
        source_value: Any,
        path: Path | None,
        grouped_field_set: Any,
        position_context: Any,
    ) -> Any:
        """graphql-core's `execute_fields`, with the plain leaves read directly and resolvers that
        read only the context called directly."""
        results: dict[str, Any] = {}
        is_awaitable = self.is_awaitable
        awaitable_fields: list[str] = []
        direct = called = 0
        try:
            for name, field_details_list, leaf, typename, field, call, projected in self._steps_of(
                parent_type, grouped_field_set
            ):
                if typename and self._direct:
                    results[name] = parent_type.name
                    direct += 1
                    continue
                if leaf is not None:
                    try:
                        value = leaf.read(source_value, leaf.attribute)
                        if value is None:
                            if not leaf.non_null:
                                results[name] = None
                                direct += 1
                                continue
                        elif not is_awaitable(value):  # an awaitable one is graphql-core's to await
                            serialised = leaf.serialise(value)
                            if serialised is not None and serialised is not Undefined:
                                results[name] = serialised
                                direct += 1
                                continue
                    except Exception:  # graphql-core executes the field again, and reports it
                        pass
                    Counters.fallback += 1
                field_path = Path(path, name, parent_type.name)
                if call is not None and field is not None:
                    called += 1
                    result = self._execute_direct(
                        parent_type,
                        source_value,
                        field_details_list,
                        field_path,
                        position_context,
                        field,
                        call,
                    )
                elif projected is not None and field is not None and not _in_list(path):
                    result = self._execute_projected(
                        parent_type,
                        source_value,
                        field_details_list,
                        field_path,
                        position_context,
                        field,
                        projected,
                    )
                else:
                    result = self.execute_field(
                        parent_type, source_value, field_details_list, field_path, position_context
                    )
                if result is not Undefined:
                    results[name] = result
                    if is_awaitable(result):
                        awaitable_fields.append(name)
        except Exception:
            if awaitable_fields:
                self.settle_in_background([results[field] for field in awaitable_fields])
            raise
        finally:
            Counters.direct += direct
            Counters.called += called

        if not awaitable_fields:
            return results
        return self._gathered(results, awaitable_fields)

    def _execute_direct(
        self,
        parent_type: GraphQLObjectType,
        source: Any,
        field_details_list: Any,
        path: Path,
        position_context: Any,
        field: GraphQLField,
        call: DirectCall,
    ) -> Any:
        """graphql-core's `execute_field`, calling the resolver directly (it takes no arguments)."""
        return_type = field.type
        info = self.build_resolve_info(field, to_nodes(field_details_list), parent_type, path)
        try:
            result = call(source, self._context_only)
            if self.is_awaitable(result):
                return self.complete_awaitable_value(
                    return_type, field_details_list, info, path, result, position_context
                )
            completed = self.complete_value(
                return_type, field_details_list, info, path, result, position_context
            )
            if self.is_awaitable(completed):
                return self._await_completed(completed, return_type, field_details_list, path)
        except Exception as raw_error:
            self.handle_field_error(raw_error, return_type, field_details_list, path)
            return None
        return completed

    def _execute_projected(
        self,
        parent_type: GraphQLObjectType,
        source: Any,
        field_details_list: Any,
        path: Path,
        position_context: Any,
        field: GraphQLField,
        spec: ProjectedList,
    ) -> Any:
        """The field from a projected page when its plan covers the selection, else graphql-core's."""

        def executed() -> Any:
            return self.execute_field(parent_type, source, field_details_list, path, position_context)

        plan = self._pages.plan(field, spec, field_details_list)
        if plan is None:
            return executed()
        try:
            node = field_details_list[0].node
            args = get_argument_values(field, node, self.variable_values)
            if any(value is not None for name, value in args.items() if name not in _PAGING):
                return executed()  # a filter, words, an order: the resolver's to apply
            after = args.get("after")
            cursors = self.context_value.cursors.of(spec.cursors or f"{parent_type.name}.{node.name.value}")
            page = spec.page(args.get("first"), cursors.decode(after))
            read = spec.read(self.context_value, source, page, plan.projection)
        except Exception:  # a bad argument or cursor: graphql-core's to report
            return executed()
        return self._answer_projected(plan, spec, read, after, cursors, executed)

    async def _answer_projected(
        self,
        plan: PagePlan,
        spec: ProjectedList,
        read: Awaitable[Any],
        after: object,
        cursors: Any,
        executed: Callable[[], Any],
    ) -> Any:
        try:
            answer = plan.answer(await read, spec, after, cursors)
        except Exception:  # Abandon, or the read failed: graphql-core's to answer and report
            Counters.unprojected += 1
            result = executed()
            return await result if self.is_awaitable(result) else result
        Counters.projected += 1
        return answer

    async def _await_completed(
        self, completed: Awaitable[Any], return_type: Any, field_details_list: Any, path: Path
    ) -> Any:
        try:
            return await completed
        except Exception as raw_error:
            self.handle_field_error(raw_error, return_type, field_details_list, path)
            return None

    def complete_list_value(
        self,
        return_type: Any,
        field_details_list: Any,
        info: Any,
        path: Path,
        result: Any,
        position_context: Any,
    ) -> Any:
        """graphql-core's, but a list of simple objects is completed from a plan (planned_lists.py)."""
        args = (return_type, field_details_list, info, path, result, position_context)
        if self._direct and isinstance(result, list | tuple) and result:
            item = self._planner.value_plan(return_type.of_type, field_details_list)
            if item is not None and item.obj is not None:
                completion = Completion(self._context_only, info)
                try:
                    waits = completion.start(item, result)
                except Abandon:
                    Counters.abandoned += 1
                else:
                    if not waits:
                        return self._planned(completion)
                    return self._finish_planned(completion, *args)
        return super().complete_list_value(*args)

    def _planned(self, completion: Completion) -> list[Any]:
        Counters.planned += 1
        Counters.direct += completion.leaves
        Counters.called += completion.calls
        return completion.out

    async def _finish_planned(self, completion: Completion, *args: Any) -> Any:
        try:
            await completion.finish()
        except Abandon:
            Counters.abandoned += 1
            fallback = super().complete_list_value(*args)
            return await fallback if self.is_awaitable(fallback) else fallback
        return self._planned(completion)

    async def _gathered(self, results: dict[str, Any], awaitable_fields: list[str]) -> dict[str, Any]:
        # as graphql-core's execute_fields: one awaitable is awaited, several are gathered
        if len(awaitable_fields) == 1:
            field = awaitable_fields[0]
            results[field] = await results[field]
            return results
        awaited = await gather_with_cancel(*(results[field] for field in awaitable_fields))
        results.update(zip(awaitable_fields, awaited, strict=True))
        return results
