"""A projected page's answer, built from its plain rows by a plan of response keys."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from graphql import Undefined

from domain.kernel.pagination import Key
from domain.kernel.projection import ProjectedPage, Projection
from graph.relay.ids import ListCursors, to_global_id
from graph.relay.planned_lists import Abandon
from graph.relay.projected_pages.lists import ProjectedList

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
