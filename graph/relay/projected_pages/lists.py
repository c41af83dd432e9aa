"""Which connection fields may be answered from a projected page, and how each reads one."""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from graphql import GraphQLField

from domain.kernel.pagination import Key, PageRequest
from domain.kernel.projection import ProjectedPage, Projection
from graph.relay.direct_resolvers import STRAWBERRY_DEFINITION

PROJECTED = "atelier-projected-page"
"""The key of a connection field's strawberry metadata that holds its `ProjectedList`."""


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
    definition: Any = (field.extensions or {}).get(STRAWBERRY_DEFINITION)
    if definition is None or definition.extensions or getattr(definition, "permission_classes", None):
        return None
    spec = (definition.metadata or {}).get(PROJECTED)
    return spec if isinstance(spec, ProjectedList) else None
