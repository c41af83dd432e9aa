"""Plans of a connection's selection: the projection to read, where each response key's value comes from."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from graphql import (
    GraphQLBoolean,
    GraphQLField,
    GraphQLID,
    GraphQLInt,
    GraphQLLeafType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLString,
)

from domain.kernel.projection import Projection
from graph.relay.direct_resolvers import STRAWBERRY_DEFINITION
from graph.relay.planned_lists import streams
from graph.relay.projected_pages.answers import (
    CURSOR,
    EDGES,
    END,
    HAS_NEXT,
    HAS_PREVIOUS,
    ID,
    MANY,
    NODE,
    ONE,
    PAGE_INFO,
    START,
    TOTAL,
    TYPENAME,
    VALUE,
    PagePlan,
    Slot,
)
from graph.relay.projected_pages.lists import ProjectedList, Relation
from graph.relay.selection_plans import SelectionPlans, Switches

_CONNECTION = {"totalCount": TOTAL, "edges": EDGES, "pageInfo": PAGE_INFO}
_EDGE = {"cursor": CURSOR, "node": NODE}
_PAGE_INFO = {
    "hasNextPage": HAS_NEXT,
    "hasPreviousPage": HAS_PREVIOUS,
    "startCursor": START,
    "endCursor": END,
}


class PagePlanner:
    """Plans of one execution's projected pages, kept across requests of the same document
    (graph/relay/selection_plans.py)."""

    def __init__(
        self, collect_subfields: Callable[[GraphQLObjectType, Any], Any], switches: Switches
    ) -> None:
        self._collect = collect_subfields
        self._switches = switches

    def plan(self, field: GraphQLField, spec: ProjectedList, field_details_list: Any) -> PagePlan | None:
        """The plan of this connection field under these fields, or None when it needs graphql-core."""
        return _plans.get(
            field,
            field_details_list,
            self._switches,
            lambda: _Planning(self._collect, spec).connection(field, field_details_list),
        )


_plans: SelectionPlans[PagePlan | None] = SelectionPlans()


class _Planning:
    """One connection's plan: the projection is known only once every node key has been seen."""

    def __init__(self, collect: Callable[[GraphQLObjectType, Any], Any], spec: ProjectedList) -> None:
        self._collect = collect
        self._spec = spec
        self._fields: list[str] = []
        self._extras: list[str] = []
        self._total = False
        self._related_fields: dict[str, list[str]] = {}

    def connection(self, field: GraphQLField, field_details_list: Any) -> PagePlan | None:
        connection = _object_type(field.type)
        if connection is None:
            return None
        entries = self._keys(connection, field_details_list, _CONNECTION, self._connection_key)
        if entries is None:
            return None
        try:
            projection = self._spec.projection(self._fields, self._extras, self._total, self._related_fields)
        except ValueError:
            return None
        return PagePlan(projection, _placed(entries, projection), connection.name)

    def _keys(
        self,
        object_type: GraphQLObjectType,
        field_details_list: Any,
        known: Mapping[str, int] | None,
        nested: Callable[[int, str, GraphQLField, Any], Slot | None],
    ) -> tuple[Slot, ...] | None:
        grouped, defer_usages, *_ = self._collect(object_type, field_details_list)
        if defer_usages:
            return None
        entries = []
        for name, details in grouped.items():
            node = details[0].node
            if node.name.value == "__typename":
                entries.append(Slot(name, TYPENAME))
                continue
            if node.arguments or streams(node):
                return None
            field = object_type.fields.get(node.name.value)
            kind = VALUE if known is None else known.get(node.name.value)
            if field is None or kind is None:
                return None
            entry = nested(kind, name, field, details)
            if entry is None:
                return None
            entries.append(entry)
        return tuple(entries)

    def _connection_key(self, kind: int, name: str, field: GraphQLField, details: Any) -> Slot | None:
        if kind == TOTAL:
            self._total = True
            return _leaf(name, TOTAL, field)
        named = _object_type(field.type)
        if named is None or (kind == EDGES) != isinstance(_nullable(field.type), GraphQLList):
            return None
        if kind == PAGE_INFO:
            entries = self._keys(named, details, _PAGE_INFO, lambda k, n, f, d: Slot(n, k))
        else:
            entries = self._keys(named, details, _EDGE, self._edge_key)
        return None if entries is None else Slot(name, kind, named.name, entries)

    def _edge_key(self, kind: int, name: str, field: GraphQLField, details: Any) -> Slot | None:
        if kind == CURSOR:
            return Slot(name, CURSOR)
        node = _object_type(field.type)
        if node is None or isinstance(_nullable(field.type), GraphQLList):
            return None
        entries = self._keys(node, details, None, self._node_key)
        return None if entries is None else Slot(name, NODE, node.name, entries)

    def _node_key(self, kind: int, name: str, field: GraphQLField, details: Any) -> Slot | None:
        spec = self._spec
        graphql_name = details[0].node.name.value
        extra = spec.extras.get(graphql_name)
        if extra is not None:
            self._extras.append(extra)
            return _leaf(name, VALUE, field, extra)
        relation = spec.relations.get(graphql_name)
        if relation is not None:
            return self._related(name, field, details, relation)
        return _column(name, field, spec.computed, self._fields)

    def _related(self, name: str, field: GraphQLField, details: Any, relation: Relation) -> Slot | None:
        related = _object_type(field.type)
        definition: Any = (field.extensions or {}).get(STRAWBERRY_DEFINITION)
        if related is None or definition is None or definition.extensions:
            return None
        fields = self._related_fields.setdefault(relation.name, [])

        def column(kind: int, key: str, f: GraphQLField, d: Any) -> Slot | None:
            return _column(key, f, relation.computed, fields)

        entries = self._keys(related, details, None, column)
        if entries is None:
            return None
        many = isinstance(_nullable(field.type), GraphQLList)
        non_null = isinstance(field.type, GraphQLNonNull)
        kind = MANY if many else ONE
        return Slot(
            name,
            kind,
            related.name,
            entries,
            non_null=non_null,
            id_type=relation.id_type,
            source=relation.name,
        )


def _column(name: str, field: GraphQLField, computed: frozenset[str], fields: list[str]) -> Slot | None:
    """A plain attribute copied from the entity (collected in `fields`), or its global `id`."""
    definition: Any = (field.extensions or {}).get(STRAWBERRY_DEFINITION)
    if not getattr(field.resolve, "_is_default", False) or not getattr(definition, "is_basic_field", False):
        return None
    attribute = definition.python_name
    if attribute == "id":
        return _leaf(name, ID, field)
    if attribute in computed:
        return None  # any other attribute the entity lacks, the projection refuses
    fields.append(attribute)
    return _leaf(name, VALUE, field, attribute)


def _leaf(name: str, kind: int, field: GraphQLField, source: str = "") -> Slot | None:
    non_null = isinstance(field.type, GraphQLNonNull)
    named = _nullable(field.type)
    if not isinstance(named, GraphQLLeafType):
        return None
    # `source` names the column or extra until the projection says where the row holds it
    return Slot(name, kind, "", (), 0, _serialiser(named), non_null, source=source)


_INT_RANGE = range(-(2**31), 2**31)


def _serialiser(named: GraphQLLeafType) -> Callable[[Any], Any]:
    """The type's own serialisation, skipped for a value it would return unchanged (a str for
    String and ID, a bool for Boolean, an int in range for Int): a page has a few hundred."""
    coerce = named.coerce_output_value
    if named is GraphQLString or named is GraphQLID:
        return lambda value: value if type(value) is str else coerce(value)
    if named is GraphQLBoolean:
        return lambda value: value if type(value) is bool else coerce(value)
    if named is GraphQLInt:
        return lambda value: value if type(value) is int and value in _INT_RANGE else coerce(value)
    return coerce


def _placed(entries: tuple[Slot, ...], projection: Projection) -> tuple[Slot, ...]:
    """Where the rows hold each node value: `id`, the fields, the extras, then the related entities."""
    where = {name: 1 + i for i, name in enumerate(projection.fields)}
    where.update({name: 1 + len(projection.fields) + i for i, name in enumerate(projection.extras)})
    first_related = 1 + len(projection.fields) + len(projection.extras)
    placed = []
    for key in entries:
        if key.kind == VALUE:
            key = key._replace(position=where[key.source])
        elif key.kind in (ONE, MANY):
            i, related = next((i, r) for i, r in enumerate(projection.related) if r.name == key.source)
            inner = {name: 1 + j for j, name in enumerate(related.fields)}
            entries = tuple(
                k._replace(position=inner[k.source]) if k.kind == VALUE else k for k in key.entries
            )
            key = key._replace(position=first_related + i, entries=entries)
        elif key.entries:
            key = key._replace(entries=_placed(key.entries, projection))
        placed.append(key)
    return tuple(placed)


def _nullable(output_type: Any) -> Any:
    return output_type.of_type if isinstance(output_type, GraphQLNonNull) else output_type


def _object_type(output_type: Any) -> GraphQLObjectType | None:
    """The object type of a field, or of its list's items (edges)."""
    named = output_type.of_type if isinstance(output_type, GraphQLNonNull) else output_type
    if isinstance(named, GraphQLList):
        named = named.of_type.of_type if isinstance(named.of_type, GraphQLNonNull) else named.of_type
    return named if isinstance(named, GraphQLObjectType) else None
