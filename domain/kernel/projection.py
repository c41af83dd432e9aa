"""Projected pages: a page of a list read as just the values a view shows, in one round trip.

A page read as entities costs an object per row and a read per relation (counts, tallies).
When a view asks only for an entity's own fields and a few values the list knows how to
compute beside them (a like count, whether the viewer likes it, the list's total), the
whole page is one statement answering plain rows. The entity's field names say which
columns: each field list is still written once, on the entity.
"""

from __future__ import annotations

import dataclasses
import functools
import typing
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from domain.kernel.pagination import Key


@dataclass(frozen=True, slots=True)
class Related:
    """An entity related to each row (a folder, its tags) read beside it: `id` and these fields."""

    name: str
    """The relation, as the list's port names it."""
    fields: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Projection:
    """What a projected page reads of each row, in this order: `id`, the fields, the extras, then
    the related entities (each `(id, *fields)`, a list of them for a relation to many, or None)."""

    fields: tuple[str, ...]
    """Fields of the entity, by name (its dataclass fields)."""
    extras: tuple[str, ...] = ()
    """Values the list computes beside each row (named by the list's port, e.g. `like_count`)."""
    total: bool = False
    """Whether the page also carries how many rows the whole list holds."""
    related: tuple[Related, ...] = ()

    @classmethod
    def of(
        cls,
        entity: type,
        fields: Sequence[str],
        extras: Sequence[str],
        known_extras: Sequence[str],
        total: bool,
        related: Mapping[str, Sequence[str]] | None = None,
        known_related: Mapping[str, type] | None = None,
    ) -> Projection:
        """A projection of `entity`, refusing a name it does not have (ValueError): a caller's mistake.
        A related entity's fields travel as JSON, so only its text and number fields are projected."""
        related, known_related = related or {}, known_related or {}
        unknown = [f for f in fields if f not in _field_types(entity)]
        unknown += [e for e in extras if e not in known_extras]
        unknown += [r for r in related if r not in known_related]
        for name, wanted in related.items():
            types = _field_types(known_related.get(name, object))
            unknown += [f"{name}.{f}" for f in wanted if types.get(f) not in _JSON_TYPES]
        if unknown:
            raise ValueError(f"{entity.__name__} has no {', '.join(unknown)} to project")
        # the same projection asked twice is the same statement: order and repeats do not matter
        return cls(
            _names(fields),
            tuple(sorted(set(extras))),
            total,
            tuple(Related(name, _names(related[name])) for name in sorted(related)),
        )


def _names(fields: Sequence[str]) -> tuple[str, ...]:
    return tuple(sorted(set(fields) - {"id"}))


_JSON_TYPES = (str, int)
"""What a related entity's field may hold to come back from JSON as it went in (not bool: 0 and 1)."""


@functools.cache
def _field_types(entity: type) -> dict[str, object]:
    """The dataclass's fields with their annotated types (an empty dict for anything else)."""
    if not dataclasses.is_dataclass(entity):
        return {}
    hints = typing.get_type_hints(entity)
    return {f.name: hints[f.name] for f in dataclasses.fields(entity)}


@dataclass(frozen=True, slots=True)
class ProjectedPage:
    """One page of plain rows (`id`, then the projection's fields and extras, in its order)."""

    rows: Sequence[tuple[Any, ...]]
    keys: Sequence[Key]
    has_next: bool
    total: int | None = None
    """How many rows the whole list holds, when the projection asked for it."""
