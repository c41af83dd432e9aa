"""Plans of a selection kept across requests of the same parsed document.

What a plan of a selection decides (which fields, which short road each takes) depends on the
document's nodes and, through @skip and @include, on the operation's Boolean variables, never on
the data. strawberry keeps parsed documents, so the same text gives the same nodes on every
request: keyed by them, a page asked again plans nothing. The nodes (and the schema object the
plan is for) are kept beside their plan, so that their ids cannot be reused while it lives.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Generic, TypeVar

P = TypeVar("P")

Switches = tuple[tuple[str, bool], ...]


def switches_of(variables: Mapping[str, Any]) -> Switches:
    """The operation's Boolean variables: the only values @skip and @include can read."""
    return tuple(sorted((name, value) for name, value in variables.items() if isinstance(value, bool)))


class SelectionPlans(Generic[P]):
    """Plans by (a schema object, the selection's nodes, the Boolean variables), at most `limit`."""

    def __init__(self, limit: int = 1024) -> None:
        self._limit = limit
        self._plans: dict[tuple[int, tuple[int, ...], Switches], tuple[object, tuple[Any, ...], P]] = {}

    def get(self, owner: object, field_details_list: Any, switches: Switches, make: Callable[[], P]) -> P:
        """The plan of `owner` (a field, a type) under these fields, made by `make` the first time."""
        nodes = tuple(details.node for details in field_details_list)
        key = (id(owner), tuple(map(id, nodes)), switches)
        known = self._plans.get(key)
        if known is not None and known[0] is owner and known[1] == nodes:
            return known[2]
        plan = make()
        if len(self._plans) >= self._limit:
            self._plans.clear()
        self._plans[key] = (owner, nodes, plan)
        return plan
