"""A page's facets in one read: the kinds a request selects for one query batch into one statement."""

from __future__ import annotations

from collections.abc import Sequence

from strawberry.dataloader import DataLoader

from domain.kernel.access import Actor
from domain.search import queries as search
from domain.search.model import AssetQuery, FacetCount, FacetKind
from domain.search.ports import AssetSearchReads


class FacetLoaders:
    """The facet loaders of one request, one per distinct query."""

    def __init__(self, reads: AssetSearchReads, actor: Actor) -> None:
        self._reads, self._actor = reads, actor
        self._of: dict[AssetQuery, DataLoader[FacetKind, Sequence[FacetCount]]] = {}

    def of(self, query: AssetQuery) -> DataLoader[FacetKind, Sequence[FacetCount]]:
        """The counts of each facet kind among the assets matching `query`."""
        if query not in self._of:
            reads, actor = self._reads, self._actor

            async def load(kinds: list[FacetKind]) -> list[Sequence[FacetCount]]:
                found = await search.facets(reads, actor, query=query, kinds=kinds)
                return [found[kind] for kind in kinds]

            self._of[query] = DataLoader(load_fn=load)
        return self._of[query]
