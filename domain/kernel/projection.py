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
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from domain.kernel.pagination import Key


@dataclass(frozen=True, slots=True)
class Projection:
    """What a projected page reads of each row, in this order: `id`, the fields, then the extras."""

    fields: tuple[str, ...]
    """Fields of the entity, by name (its dataclass fields)."""
    extras: tuple[str, ...] = ()
    """Values the list computes beside each row (named by the list's port, e.g. `like_count`)."""
    total: bool = False
    """Whether the page also carries how many rows the whole list holds."""

    @classmethod
    def of(
        cls,
        entity: type,
        fields: Sequence[str],
        extras: Sequence[str],
        known_extras: Sequence[str],
        total: bool,
    ) -> Projection:
        """A projection of `entity`, refusing a name it does not have (ValueError): a caller's mistake."""
        unknown = [f for f in fields if f not in _field_names(entity)] + [
            e for e in extras if e not in known_extras
        ]
        if unknown:
            raise ValueError(f"{entity.__name__} has no {', '.join(unknown)} to project")
        # the same projection asked twice is the same statement: order and repeats do not matter
        return cls(tuple(sorted(set(fields) - {"id"})), tuple(sorted(set(extras))), total)


@functools.cache
def _field_names(entity: type) -> frozenset[str]:
    return frozenset(f.name for f in dataclasses.fields(entity))


@dataclass(frozen=True, slots=True)
class ProjectedPage:
    """One page of plain rows (`id`, then the projection's fields and extras, in its order)."""

    rows: Sequence[tuple[Any, ...]]
    keys: Sequence[Key]
    has_next: bool
    total: int | None = None
    """How many rows the whole list holds, when the projection asked for it."""
