"""The cost of an operation: an upper estimate of the fields it resolves, checked before execution.

Every field costs 1, and a long text field 1 more per thousand characters it may
hold (a 50,000-character prompt costs 51), so the cost bounds the size of the answer
as well as the work; a field returning objects adds its selection's cost times how
many objects it can return: a connection's `first` (20 when omitted, clamped to
0-100: an out-of-range `first` fails on its own, with its own code) for `edges`,
the ids given to `nodes`, the declared maximum of the unpaged lists below, and a
full page (100) for lists with no maximum. Same-named selections merge as execution
merges them, fragments are expanded, `@skip`/`@include` are honoured with the
request's variables, and an interface counts its costliest type. Introspection is
priced by the schema's real sizes (graph/limits/introspection.py). The variables are
coerced first, so `first: $n` counts `n`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import orjson
from graphql import (
    GraphQLField,
    GraphQLIncludeDirective,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLSkipDirective,
    SchemaMetaFieldDef,
    TypeMetaFieldDef,
    get_argument_values,
    get_directive_values,
    get_named_type,
    get_nullable_type,
    is_abstract_type,
    is_composite_type,
    is_list_type,
)
from graphql.error import GraphQLError
from graphql.execution import ExecutionResult as GraphQLExecutionResult
from graphql.execution.values import VariableValues, get_variable_values
from graphql.language import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    SelectionSetNode,
)
from graphql.utilities import get_operation_ast, type_from_ast
from strawberry.extensions import SchemaExtension
from strawberry.types.graphql import OperationType

from domain.kernel import alt_text
from domain.kernel.bulk import MAX_BULK
from domain.kernel.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE
from domain.library import organising, saving
from domain.library.placements.model import MAX_PLACEMENTS_PER_ASSET
from domain.processing.model import RENDITION_SIZES
from domain.search.model import FACET_LIMIT
from domain.search.similarity import MAX_SIMILAR, lookup_cost
from domain.studio import review
from domain.studio.generating import MAX_CONTEXT_ASSETS, MAX_PROMPT
from graph.limits.introspection import introspection_cost
from graph.organisations.queries import MAX_NODES

DEFAULT_MAX_QUERY_COST = 50_000
"""The README's library page costs 11,656 at `first: 50` and 23,306 at `first: 100`; 30
aliases of 100 generations' prompts and negative prompts (300 MB) cost 309,090; the
hostile nesting of issue 9 costs millions. At the limit an answer holds at most about
50 million characters of text: ATELIER_MAX_RESPONSE_BYTES caps what is sent."""

TEXT_UNIT = 1_000
"""A text field costs 1 more for every this many characters it may hold."""

TEXT_BOUNDS: dict[tuple[str, str], int] = {
    ("Generation", "prompt"): MAX_PROMPT,
    ("Generation", "negativePrompt"): MAX_PROMPT,
    ("Provenance", "prompt"): MAX_PROMPT,
    ("Provenance", "negativePrompt"): MAX_PROMPT,
    ("Asset", "description"): saving.MAX_DESCRIPTION,
    ("Project", "description"): organising.MAX_DESCRIPTION,
    ("Asset", "altText"): alt_text.MAX_LENGTH,
    ("Review", "altText"): alt_text.MAX_LENGTH,
    ("Review", "rightsNotes"): review.MAX_NOTES,
    ("Review", "reason"): review.MAX_NOTES,
    ("Review", "source"): review.MAX_SHORT,
    ("Review", "intendedPlacement"): review.MAX_SHORT,
    ("Escalation", "reason"): review.MAX_NOTES,
    ("Provenance", "rightsNotes"): review.MAX_NOTES,
    ("Provenance", "source"): review.MAX_SHORT,
    ("Provenance", "intendedPlacement"): review.MAX_SHORT,
}
"""The longest text each text field may hold, from the domain's own limits; names and titles
(at most a few hundred characters) and every field not listed cost 1."""

_TEXT_COSTS = {field: 1 + bound // TEXT_UNIT for field, bound in TEXT_BOUNDS.items()}
_INTROSPECTION_ROOTS = {"__schema": SchemaMetaFieldDef, "__type": TypeMetaFieldDef}

FACETS = ("tags", "projects", "folders", "mimeTypes", "aiGenerated", "providers", "models")
"""The lists of `AssetFacets`, each at most FACET_LIMIT values."""

LIST_BOUNDS: dict[tuple[str, str], int] = {
    ("Asset", "tags"): saving.MAX_TAGS,
    ("Asset", "projects"): saving.MAX_PROJECTS,
    ("Provenance", "contextAssets"): MAX_CONTEXT_ASSETS,
    ("Generation", "contextAssets"): MAX_CONTEXT_ASSETS,
    ("Asset", "placements"): MAX_PLACEMENTS_PER_ASSET,
    **{("AssetFacets", facet): FACET_LIMIT for facet in FACETS},
    ("Asset", "renditions"): len(RENDITION_SIZES),
    ("Generation", "renditions"): len(RENDITION_SIZES),
}
"""Unpaged lists of objects with a declared maximum; any other such list counts as a full page."""

ARGUMENT_LISTS: dict[tuple[str, str], tuple[str, int]] = {
    ("Asset", "similarAssets"): ("first", MAX_SIMILAR),
}
"""Unpaged lists as long as one of their arguments says (its default when omitted), up to a maximum."""

SEARCH_COSTS: dict[tuple[str, str], Callable[[dict[str, Any]], int]] = {
    ("Asset", "similarAssets"): lambda args: lookup_cost(args["maxDistance"]),
}
"""Fields whose own work grows with an argument beyond what they return: added once per parent.
`similarAssets` looks up 1, 17, 137 or 697 band values per band as `maxDistance` reaches 4, 8, 12
(a page of 50 assets at 12 costs about 35,000), so a few aliases cannot ask for seconds of work."""

BULK_LISTS = frozenset(
    {
        ("GenerationsPayload", "generations"),
        ("SaveToLibraryPayload", "assets"),
        ("ProjectAssetsPayload", "assets"),
        ("AddUploadsToLibraryPayload", "results"),
        ("ReprocessAssetsPayload", "assets"),
    }
)
"""A mutation's changed objects: as many as its input names (its `count`, or its longest list
of ids), at most MAX_BULK; `generate` with 4 images is not priced as a bulk save of 500."""

UNBOUNDED_LIST = MAX_PAGE_SIZE
"""`Folder.children` and `Folder.path` have no declared maximum; a full page stands for them."""

_Fragments = dict[str, FragmentDefinitionNode]


class _Estimate:
    def __init__(self, schema: GraphQLSchema, fragments: _Fragments, variables: VariableValues) -> None:
        self.schema = schema
        self.fragments = fragments
        self.variables = variables

    def selections(self, sets: list[SelectionSetNode], parent: GraphQLNamedType, page: int) -> int:
        if isinstance(parent, GraphQLObjectType):
            return self._object(sets, parent, page)
        if is_abstract_type(parent):  # an object is of one type: count the costliest
            types = self.schema.get_possible_types(parent)
            return max((self._object(sets, t, page) for t in types), default=0)
        return 0

    def _object(self, sets: list[SelectionSetNode], parent: GraphQLObjectType, page: int) -> int:
        merged: dict[str, list[FieldNode]] = {}
        for field in self._fields(sets, parent):
            merged.setdefault(field.alias.value if field.alias else field.name.value, []).append(field)
        return sum(self._field(nodes, parent, page) for nodes in merged.values())

    def _field(self, nodes: list[FieldNode], parent: GraphQLObjectType, page: int) -> int:
        name = nodes[0].name.value
        children = [n.selection_set for n in nodes if n.selection_set is not None]
        if name in _INTROSPECTION_ROOTS and parent is self.schema.query_type:
            returned = get_named_type(_INTROSPECTION_ROOTS[name].type)
            return 1 + introspection_cost(self.schema, self._fields, children, returned)
        definition = parent.fields.get(name)
        if definition is None:  # __typename
            return 1
        returned = get_named_type(definition.type)
        if not is_composite_type(returned):
            return _TEXT_COSTS.get((parent.name, name), 1)
        child_page = self._page_size(parent, definition, nodes[0])
        count = self._count(parent.name, name, definition, nodes[0], page)
        search = SEARCH_COSTS.get((parent.name, name))
        own = 1 if search is None else search(get_argument_values(definition, nodes[0], self.variables))
        return own + count * self.selections(children, returned, child_page)

    def _page_size(self, parent: GraphQLObjectType, definition: GraphQLField, node: FieldNode) -> int:
        if parent is self.schema.mutation_type:
            return _bulk_size(get_argument_values(definition, node, self.variables).get("input"))
        if "first" not in definition.args:
            return DEFAULT_PAGE_SIZE
        first = get_argument_values(definition, node, self.variables).get("first")
        return DEFAULT_PAGE_SIZE if first is None else max(0, min(first, MAX_PAGE_SIZE))

    def _count(self, parent: str, name: str, definition: GraphQLField, node: FieldNode, page: int) -> int:
        if not is_list_type(get_nullable_type(definition.type)):
            return 1
        if parent.endswith("Connection") and name == "edges":
            return page
        if parent == "Query" and name == "nodes":
            return min(len(get_argument_values(definition, node, self.variables)["ids"]), MAX_NODES)
        if (parent, name) in BULK_LISTS:
            return page
        if (parent, name) in ARGUMENT_LISTS:
            argument, most = ARGUMENT_LISTS[(parent, name)]
            asked = get_argument_values(definition, node, self.variables).get(argument)
            return most if asked is None else max(0, min(asked, most))
        return LIST_BOUNDS.get((parent, name), UNBOUNDED_LIST)

    def _fields(self, sets: list[SelectionSetNode], parent: GraphQLObjectType) -> Iterator[FieldNode]:
        stack = list(reversed(sets))
        while stack:
            for selection in stack.pop().selections:
                if not self._included(selection):
                    continue
                if isinstance(selection, FieldNode):
                    yield selection
                elif isinstance(selection, InlineFragmentNode):
                    if self._applies(selection.type_condition, parent):
                        stack.append(selection.selection_set)
                elif isinstance(selection, FragmentSpreadNode):
                    fragment = self.fragments.get(selection.name.value)
                    if fragment is not None and self._applies(fragment.type_condition, parent):
                        stack.append(fragment.selection_set)

    def _included(self, node: FieldNode | InlineFragmentNode | FragmentSpreadNode | Any) -> bool:
        skip = get_directive_values(GraphQLSkipDirective, node, self.variables)
        if skip and skip["if"]:
            return False
        include = get_directive_values(GraphQLIncludeDirective, node, self.variables)
        return not (include and not include["if"])

    def _applies(self, condition: Any, parent: GraphQLObjectType) -> bool:
        if condition is None:
            return True
        wanted = type_from_ast(self.schema, condition)
        if wanted is parent:
            return True
        return is_abstract_type(wanted) and self.schema.is_sub_type(wanted, parent)


def _bulk_size(mutation_input: object) -> int:
    if not isinstance(mutation_input, dict):
        return MAX_BULK
    sizes = [len(value) for value in mutation_input.values() if isinstance(value, list)]
    count = mutation_input.get("count")
    if isinstance(count, int):
        sizes.append(count)
    return max(0, min(max(sizes, default=1), MAX_BULK))


_costs: dict[tuple[int, int, str | None, bytes], tuple[GraphQLSchema, DocumentNode, int | None]] = {}
"""Costs by (schema, parsed document, operation, variables): a page asked again costs a lookup.
strawberry keeps parsed documents, so the same text is the same document; the schema and the
document are kept beside their cost so that their ids cannot be reused while the entry lives."""
_MAX_COSTS = 1024
_MAX_KEYED_VARIABLES = 1024
"""Longer variables (a bulk mutation's ids) are priced afresh rather than kept as a key."""


def operation_cost(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation_name: str | None,
    variables: dict[str, Any] | None,
) -> int | None:
    """The operation's cost; None when it cannot run (its own errors will say why)."""
    try:
        given = orjson.dumps(variables or {}, option=orjson.OPT_SORT_KEYS)
    except TypeError:  # not JSON's values: priced afresh
        given = b""
    key = (id(schema), id(document), operation_name, given)
    known = _costs.get(key)
    if known is not None and known[0] is schema and known[1] is document:
        return known[2]
    cost = _priced(schema, document, operation_name, variables)
    if given and len(given) <= _MAX_KEYED_VARIABLES:
        if len(_costs) >= _MAX_COSTS:
            _costs.clear()
        _costs[key] = (schema, document, cost)
    return cost


def _priced(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation_name: str | None,
    variables: dict[str, Any] | None,
) -> int | None:
    operation = get_operation_ast(document, operation_name)
    if operation is None:
        return None
    root = schema.get_root_type(operation.operation)
    if root is None:
        return None
    coerced = get_variable_values(schema, operation.variable_definitions or (), variables or {})
    if isinstance(coerced, list):
        return None
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    return _Estimate(schema, fragments, coerced).selections(
        [operation.selection_set], root, DEFAULT_PAGE_SIZE
    )


class QueryCost(SchemaExtension):
    """Refuses an operation over the limit before any resolver runs; reports the cost of the others."""

    def __init__(self, *, limit: int) -> None:
        self.limit = limit
        self.cost: int | None = None

    def on_execute(self) -> Iterator[None]:
        context = self.execution_context
        if context.graphql_document is not None and context.result is None:
            cost = operation_cost(
                context.schema._schema, context.graphql_document, context.operation_name, context.variables
            )
            if cost is not None and cost > self.limit:
                error = GraphQLError(
                    f"the query's cost is {cost}, over the limit of {self.limit}: "
                    "ask for smaller pages (`first`) or fewer nested lists",
                    extensions={"code": "QUERY_TOO_COMPLEX", "cost": cost, "limit": self.limit},
                )
                if context.operation_type is OperationType.SUBSCRIPTION:
                    # strawberry's subscribe path ignores a result set here, but sends a raised error;
                    # a subscription's cost is what each of its messages may cost
                    raise error
                context.result = GraphQLExecutionResult(data=None, errors=[error])
            else:
                self.cost = cost
        yield

    def get_results(self) -> dict[str, Any]:
        return {} if self.cost is None else {"cost": self.cost}
