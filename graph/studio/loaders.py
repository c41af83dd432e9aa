"""The Studio's per-request DataLoaders: brand kits, sessions, generations, likes and their relations."""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
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
    """The Studio's loaders of one request, each made when a field first asks for it; context assets
    come through the library's asset loader."""

    def __init__(
        self, reads: StudioReads, actor: Actor, assets: Callable[[], DataLoader[int, Asset | None]]
    ) -> None:
        self._reads, self._org, self._member = reads, actor.org_id, actor.member_id
        self._assets = assets
        self._generation_pages: dict[PageRequest, DataLoader[int, Page[Any]]] = {}

    @cached_property
    def brand_kit(self) -> DataLoader[int, BrandKit | None]:
        return one(self._reads.brand_kits_by_ids, self._org, BrandKit.from_domain)

    @cached_property
    def session(self) -> DataLoader[int, Session | None]:
        return one(self._reads.sessions_by_ids, self._org, Session.from_domain)

    @cached_property
    def generation(self) -> DataLoader[int, Generation | None]:
        return one(self._reads.generations_by_ids, self._org, Generation.from_domain)

    @cached_property
    def generation_context_assets(self) -> DataLoader[int, list[Asset]]:
        return linked(self._reads.context_assets_of_generations, self._org, self._assets(), lambda a: a.pk)

    @cached_property
    def session_generation_count(self) -> DataLoader[int, int]:
        return count(self._reads.count_session_generations, self._org)

    @cached_property
    def like_tally(self) -> DataLoader[int, LikeTally]:
        return _like_tallies(self._reads, self._org, self._member)

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
