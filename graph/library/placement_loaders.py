"""The placements' per-request DataLoaders: by id, per asset (list and count), per project (pages)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from strawberry.dataloader import DataLoader

from domain.kernel.access import Actor
from domain.kernel.pagination import Page, PageRequest
from domain.library.placements.ports import PlacementReads
from graph.library.placement_types import Placement
from graph.relay.batching import count, many, one


class PlacementLoaders:
    """The placements' loaders of one request."""

    def __init__(self, reads: PlacementReads, actor: Actor) -> None:
        org = actor.org_id
        self._reads, self._org = reads, org
        self.placement = one(reads.placements_by_ids, org, Placement.from_domain)
        self.of_asset = many(reads.placements_of_assets, org, Placement.from_domain)
        self.usage_count = count(reads.count_placements_of_assets, org)
        self.project_count = count(reads.count_project_placements, org)
        self._project_pages: dict[PageRequest, DataLoader[int, Page[Any]]] = {}

    def project_page(self, page: PageRequest) -> DataLoader[int, Page[Any]]:
        """The same page of several projects' placements, batched; its items are Placement types."""
        if page not in self._project_pages:
            reads, org = self._reads, self._org

            async def load(keys: list[int]) -> list[Page[Any]]:
                pages: Mapping[int, Page[Any]] = await reads.project_placement_pages(org, keys, page)
                return [_typed(pages.get(k, Page.empty())) for k in keys]

            self._project_pages[page] = DataLoader(load_fn=load)
        return self._project_pages[page]


def _typed(page: Page[Any]) -> Page[Placement]:
    return Page(items=[Placement.from_domain(p) for p in page.items], keys=page.keys, has_next=page.has_next)
