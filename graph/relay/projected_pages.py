"""Connection fields answered from one projected page (domain.kernel.projection), without objects.

A Studio page (a session's 50 generations with their like counts and whether the viewer likes
them) goes through a domain object, a GraphQL object, a DataLoader and a planned list per
generation, and three statements (the page, its count, the like tallies). When the selection
under a connection asks only for what one statement can answer (the nodes' own columns by
field name, the extras its port computes beside them, `id`, cursors, `totalCount`, `pageInfo`
and `__typename`), the field is read as one projected page and its JSON built here from the
plain rows, a plan made once per selection saying where each response key's value comes from.

Whatever the plan does not cover (any other field, an argument on a node field, an argument of
the connection but `first` and `after`, a parent inside a list, whose pages graphql-core
batches) goes the usual way. An answer the plan cannot give
exactly (a null in a non-null place, a value that does not serialise, a bad argument or cursor,
an error of the read) is given up and the field executed by graphql-core, which reports it as
it always does; the read is read-only, so running the field again changes nothing.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

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
    Undefined,
)

from domain.kernel.pagination import Key, PageRequest
from domain.kernel.projection import ProjectedPage, Projection
from graph.relay.ids import ListCursors, to_global_id
from graph.relay.planned_lists import Abandon, streams
from graph.relay.selection_plans import SelectionPlans, Switches

PROJECTED = "atelier-projected-page"
"""The key of a connection field's strawberry metadata that holds its `ProjectedList`."""
_DEFINITION = "strawberry-definition"


@dataclass(frozen=True)
class Relation:
    """A node field answered by an entity the port reads beside each row (a folder, tags)."""

    name: str
    """The relation, as the port names it."""
    id_type: str
    """The related entities' global id type."""
    computed: frozenset[str] = frozenset()
    """Their attributes that the GraphQL type computes instead of copying from the entity."""


@dataclass(frozen=True)
class ProjectedList:
    """How a connection field is read as a projected page; the field's resolver reads the same list."""

    entity: type
    """The domain dataclass of the nodes: a node field copied from it by name is a column."""
    id_type: str
    """The nodes' global id type."""
    extras: Mapping[str, str]
    """Node fields (GraphQL names) answered by an extra of the port, which must equal their resolvers'."""
    computed: frozenset[str]
    """Node attributes that the GraphQL type computes from the entity instead of copying it."""
    page: Callable[[int | None, Key | None], PageRequest]
    """The resolver's page request from `first` and the decoded `after`."""
    projection: Callable[[Sequence[str], Sequence[str], bool, Mapping[str, Sequence[str]]], Projection]
    """The port's projection from fields, extras, whether the total is wanted, and relations' fields."""
    read: Callable[[Any, Any, PageRequest, Projection], Awaitable[ProjectedPage]]
    """The page, from the request's context, the parent object, the page request and the projection."""
    relations: Mapping[str, Relation] = dataclasses.field(default_factory=dict)
    """Node fields (GraphQL names) answered by a related entity, which must equal their resolvers'."""
    cursors: str = ""
    """The list its cursors are signed for, when not `Type.field` (graph.relay.connection.cursors_of)."""


def projected(spec: ProjectedList) -> dict[str, object]:
    """The strawberry field metadata that marks a connection field as projectable."""
    return {PROJECTED: spec}


def projected_list(field: GraphQLField) -> ProjectedList | None:
    """A schema field's `ProjectedList`, when it has one and nothing wraps its resolver."""
    definition: Any = (field.extensions or {}).get(_DEFINITION)
    if definition is None or definition.extensions or getattr(definition, "permission_classes", None):
        return None
    spec = (definition.metadata or {}).get(PROJECTED)
    return spec if isinstance(spec, ProjectedList) else None


# what each response key of the plan answers
TYPENAME, TOTAL, EDGES, PAGE_INFO, CURSOR, NODE = range(6)  # a connection's and its edges' keys
HAS_NEXT, HAS_PREVIOUS, START, END = range(6, 10)  # its page info's
ID, VALUE, ONE, MANY = range(10, 14)  # a node's: its id, a column or extra, related entities


class Slot(NamedTuple):
    """One response key: what it answers, and for a node value where the row holds it and its type."""

    name: str
    kind: int
    typename: str = ""
    entries: tuple[Slot, ...] = ()  # an object's keys
    position: int = 0
    serialise: Callable[[Any], Any] | None = None
    non_null: bool = False
    id_type: str = ""  # a related entity's global id type
    source: str = ""  # the field, extra or relation it reads, until the projection places it


class PagePlan(NamedTuple):
    """A connection field's selection: the projection to read, and the keys to answer."""

    projection: Projection
    entries: tuple[Slot, ...]
    typename: str

    def answer(self, page: ProjectedPage, spec: ProjectedList, after: object, cursors: ListCursors) -> Any:
        """The field's completed value, or Abandon when it would not be graphql-core's."""
        out: dict[str, Any] = {}
        for key in self.entries:
            kind = key.kind
            if kind == TYPENAME:
                out[key.name] = self.typename
            elif kind == TOTAL:
                out[key.name] = _serialised(page.total, key)
            elif kind == EDGES:
                out[key.name] = [_edge(key, row, page_key, spec, cursors) for row, page_key in _rows(page)]
            else:
                out[key.name] = _page_info(key, page, after, cursors)
        return out


def _rows(page: ProjectedPage) -> zip[tuple[tuple[Any, ...], Key]]:
    return zip(page.rows, page.keys, strict=True)


def _edge(
    edge: Slot, row: tuple[Any, ...], page_key: Key, spec: ProjectedList, cursors: ListCursors
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key in edge.entries:
        if key.kind == TYPENAME:
            out[key.name] = edge.typename
        elif key.kind == CURSOR:
            out[key.name] = cursors.encode(page_key)
        else:
            out[key.name] = _node(key, row, spec.id_type)
    return out


def _node(node: Slot, row: tuple[Any, ...], id_type: str) -> dict[str, Any]:
    """A node, or a related entity (`id_type` its global id type), from its row."""
    out: dict[str, Any] = {}
    for key in node.entries:
        kind = key.kind
        if kind == TYPENAME:
            out[key.name] = node.typename
        elif kind == ID:
            out[key.name] = _serialised(to_global_id(id_type, row[0]), key)
        elif kind == VALUE:
            out[key.name] = _serialised(row[key.position], key)
        elif kind == ONE:
            one = row[key.position]
            if one is None:
                if key.non_null:
                    raise Abandon
                out[key.name] = None
            else:
                out[key.name] = _node(key, one, key.id_type)
        else:
            out[key.name] = [_node(key, item, key.id_type) for item in row[key.position]]
    return out


def _page_info(info: Slot, page: ProjectedPage, after: object, cursors: ListCursors) -> dict[str, Any]:
    out: dict[str, Any] = {}
    keys = page.keys
    for key in info.entries:
        kind = key.kind
        if kind == TYPENAME:
            out[key.name] = info.typename
        elif kind == HAS_NEXT:
            out[key.name] = page.has_next
        elif kind == HAS_PREVIOUS:
            out[key.name] = after is not None  # as graph.relay.connection: asked for with `after`
        elif kind == START:
            out[key.name] = cursors.encode(keys[0]) if keys else None
        else:
            out[key.name] = cursors.encode(keys[-1]) if keys else None
    return out


def _serialised(value: Any, key: Slot) -> Any:
    if value is None:
        if key.non_null:
            raise Abandon
        return None
    assert key.serialise is not None
    serialised = key.serialise(value)
    if serialised is None or serialised is Undefined:
        raise Abandon
    return serialised


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
        definition: Any = (field.extensions or {}).get(_DEFINITION)
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
    definition: Any = (field.extensions or {}).get(_DEFINITION)
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
