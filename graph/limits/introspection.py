"""The cost of introspection: `__schema` and `__type` priced like any lists, by the schema's real sizes.

Introspection lists nest without end (`types { fields { type { fields ... } } }`), so a
flat "1 per field" lets a short document answer megabytes. Each list counts the
objects it can hold, walking top-down with how many objects a selection is asked of:
a list under `n` parents holds at most `n` times its largest instance, and when those
parents are `n` different objects (the schema's types, their fields, ...), at most the
schema's total of that list (238 fields in all, not 75 types x 25). A type reached
through `type` or `ofType` may be one already seen, so below it only the product holds.
GraphiQL's own introspection query prices in the low thousands this way; every
nesting of `type { fields }` multiplies by the largest type.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache

from graphql import (
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    get_named_type,
    get_nullable_type,
    is_abstract_type,
    is_composite_type,
    is_enum_type,
    is_input_object_type,
    is_interface_type,
    is_list_type,
    is_object_type,
)
from graphql.language import FieldNode, SelectionSetNode

Fields = Callable[[list[SelectionSetNode], GraphQLObjectType], Iterable[FieldNode]]
"""The merged fields of selection sets on a type: fragments expanded, `@skip`/`@include` applied."""


UNKNOWN_LIST = ("", "")
"""A list graphql-core may add one day: as many as the schema has types."""


@dataclass(frozen=True, slots=True)
class ListSize:
    """The largest instance of an introspection list, the schema's total of it, and whether its items are
    different objects for different parents (a type's fields are its own; its interfaces are shared)."""

    largest: int
    total: int
    own_items: bool


@cache
def list_sizes(schema: GraphQLSchema) -> dict[tuple[str, str], ListSize]:
    """Every introspection list's sizes in this schema; computed once per schema."""
    named = list(schema.type_map.values())
    with_fields = [t for t in named if is_object_type(t) or is_interface_type(t)]
    fields = [f for t in with_fields for f in t.fields.values()]
    inputs = [t for t in named if is_input_object_type(t)]
    enums = [t for t in named if is_enum_type(t)]
    abstracts = [t for t in named if is_abstract_type(t)]
    directives = list(schema.directives)

    def size(counts: list[int], own_items: bool) -> ListSize:
        return ListSize(max(counts, default=0), sum(counts), own_items)

    return {
        UNKNOWN_LIST: size([len(named)], False),
        ("__Schema", "types"): size([len(named)], True),
        ("__Schema", "directives"): size([len(directives)], True),
        ("__Type", "fields"): size([len(t.fields) for t in with_fields], True),
        ("__Type", "inputFields"): size([len(t.fields) for t in inputs], True),
        ("__Type", "enumValues"): size([len(t.values) for t in enums], True),
        ("__Type", "interfaces"): size([len(t.interfaces) for t in with_fields], False),
        ("__Type", "possibleTypes"): size([len(schema.get_possible_types(t)) for t in abstracts], False),
        ("__Field", "args"): size([len(f.args) for f in fields], True),
        ("__Directive", "args"): size([len(d.args) for d in directives], True),
    }


def introspection_cost(
    schema: GraphQLSchema, fields: Fields, sets: list[SelectionSetNode], parent: GraphQLNamedType
) -> int:
    """The cost of selections on the one object `__schema` or `__type` returns."""
    return _Walk(schema, fields).cost(sets, parent, 1, True)


class _Walk:
    def __init__(self, schema: GraphQLSchema, fields: Fields) -> None:
        self.sizes = list_sizes(schema)
        self.fields = fields

    def cost(self, sets: list[SelectionSetNode], parent: GraphQLNamedType, n: int, different: bool) -> int:
        """Selections asked of `n` objects of `parent`; `different` when no two of them are the same."""
        if not isinstance(parent, GraphQLObjectType) or n == 0:
            return 0  # introspection has no abstract types
        merged: dict[str, list[FieldNode]] = {}
        for field in self.fields(sets, parent):
            merged.setdefault(field.alias.value if field.alias else field.name.value, []).append(field)
        total = 0
        for nodes in merged.values():
            total += n
            name = nodes[0].name.value
            definition = parent.fields.get(name)
            if definition is None or not is_composite_type(get_named_type(definition.type)):
                continue
            count, items_differ = n, n == 1
            if is_list_type(get_nullable_type(definition.type)):
                size = self.sizes.get((parent.name, name)) or self.sizes[UNKNOWN_LIST]
                count = min(n * size.largest, size.total) if different else n * size.largest
                items_differ = different and size.own_items
            children = [node.selection_set for node in nodes if node.selection_set is not None]
            total += self.cost(children, get_named_type(definition.type), count, items_differ)
        return total
