"""The Studio's per-request DataLoaders: brand kits, sessions, generations, likes and their relations."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from strawberry.dataloader import DataLoader

from domain.kernel.access import Actor
from domain.kernel.pagination import Page, PageRequest
from domain.studio.model import LikeTally
from domain.studio.ports import StudioReads
from graph.relay.batching import count, linked, one
from graph.studio.types import BrandKit, Generation, Session

if TYPE_CHECKING:
    from graph.library.types import Asset


class StudioLoaders:
    """The Studio's loaders of one request; context assets come through the library's asset loader."""

    def __init__(self, reads: StudioReads, actor: Actor, assets: DataLoader[int, Asset | None]) -> None:
        org = actor.org_id
        self._reads, self._org = reads, org
        self.brand_kit = one(reads.brand_kits_by_ids, org, BrandKit.from_domain)
        self.session = one(reads.sessions_by_ids, org, Session.from_domain)
        self.generation = one(reads.generations_by_ids, org, Generation.from_domain)
        self.generation_context_assets = linked(
            reads.context_assets_of_generations, org, assets, lambda a: a.pk
        )
        self.session_generation_count = count(reads.count_session_generations, org)
        self.like_tally = _like_tallies(reads, org, actor.member_id)
        self._generation_pages: dict[PageRequest, DataLoader[int, Page[Any]]] = {}

    def generation_page(self, page: PageRequest) -> DataLoader[int, Page[Any]]:
        """First pages of session generations with the same page arguments, batched."""
        if page not in self._generation_pages:
            reads, org = self._reads, self._org

            async def load(keys: list[int]) -> list[Page[Any]]:
                pages = await reads.generation_pages(org, keys, page)
                return [pages.get(k, Page.empty()) for k in keys]

            self._generation_pages[page] = DataLoader(load_fn=load)
        return self._generation_pages[page]


def _like_tallies(reads: StudioReads, org_id: int, member_id: int) -> DataLoader[int, LikeTally]:
    """`likeCount` and `likedByViewer` of a page's generations, one read for both."""

    async def load(keys: list[int]) -> list[LikeTally]:
        found = await reads.like_tallies(org_id, member_id, keys)
        return [found.get(k, _UNLIKED) for k in keys]

    return DataLoader(load_fn=load)


_UNLIKED = LikeTally()
