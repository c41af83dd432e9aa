"""Per-request DataLoaders: every relation field batches into one query per kind.

Loaders hand out GraphQL types, mapped once per object. Each batch runs on its own
short connection (see storage.reads), so sibling batches may run concurrently.
The actor's organisation scopes every batch; reads need only READ, which every
role has, and the root field that led here already checked it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any, TypeVar

from strawberry.dataloader import DataLoader

from domain.kernel.access import Actor
from domain.kernel.pagination import Page, PageRequest
from domain.library.ports import AssetGroup
from domain.unit_of_work import Reads
from graph.library.types import Asset, Folder, Project, Tag
from graph.organisations.types import Member
from graph.studio.types import BrandKit, Generation, Session

K = TypeVar("K")
D = TypeVar("D")
T = TypeVar("T")

Fetch = Callable[[int, Sequence[int]], Awaitable[Mapping[int, Any]]]


def _one(fetch: Fetch, org_id: int, mapper: Callable[[Any], T]) -> DataLoader[int, T | None]:
    async def load(keys: list[int]) -> list[T | None]:
        found = await fetch(org_id, keys)
        return [mapper(found[k]) if k in found else None for k in keys]

    return DataLoader(load_fn=load)


def _many(fetch: Fetch, org_id: int, mapper: Callable[[Any], T]) -> DataLoader[int, list[T]]:
    async def load(keys: list[int]) -> list[list[T]]:
        found = await fetch(org_id, keys)
        return [[mapper(x) for x in found.get(k, ())] for k in keys]

    return DataLoader(load_fn=load)


def _count(fetch: Fetch, org_id: int) -> DataLoader[int, int]:
    async def load(keys: list[int]) -> list[int]:
        found = await fetch(org_id, keys)
        return [found.get(k, 0) for k in keys]

    return DataLoader(load_fn=load)


class Loaders:
    """All loaders of one request."""

    def __init__(self, reads: Reads, actor: Actor) -> None:
        org = actor.org_id
        lib, studio = reads.library, reads.studio
        self._reads, self._actor = reads, actor
        self.asset = _one(lib.assets_by_ids, org, Asset.from_domain)
        self.folder = _one(lib.folders_by_ids, org, Folder.from_domain)
        self.project = _one(lib.projects_by_ids, org, Project.from_domain)
        self.tag = _one(lib.tags_by_ids, org, Tag.from_domain)
        self.brand_kit = _one(studio.brand_kits_by_ids, org, BrandKit.from_domain)
        self.session = _one(studio.sessions_by_ids, org, Session.from_domain)
        self.generation = _one(studio.generations_by_ids, org, Generation.from_domain)
        self.member = _one(reads.directory.members_by_ids, org, Member.from_domain)
        self.asset_tags = _many(lib.tags_of_assets, org, Tag.from_domain)
        self.asset_projects = _many(lib.projects_of_assets, org, Project.from_domain)
        self.folder_children = _many(lib.children_of_folders, org, Folder.from_domain)
        self.folder_path = _many(lib.folder_paths, org, Folder.from_domain)
        self.asset_context_assets = self._assets_via(lib.context_assets_of_assets)
        self.generation_context_assets = self._assets_via(studio.context_assets_of_generations)
        self.like_count = _count(studio.like_counts, org)
        self.session_generation_count = _count(studio.count_session_generations, org)
        self.liked_by_viewer = self._viewer_flags(studio.liked)
        self.favourited_by_viewer = self._viewer_flags(lib.favourited)
        self._asset_pages: dict[tuple[AssetGroup, PageRequest], DataLoader[int, Page[Any]]] = {}
        self._asset_counts: dict[AssetGroup, DataLoader[int, int]] = {}
        self._generation_pages: dict[PageRequest, DataLoader[int, Page[Any]]] = {}

    def _assets_via(self, fetch: Fetch) -> DataLoader[int, list[Asset]]:
        """Assets linked to each key: one query for the links, one (batched) for the assets."""
        org = self._actor.org_id

        async def load(keys: list[int]) -> list[list[Asset]]:
            links: Mapping[int, Sequence[int]] = await fetch(org, keys)
            assets = await self.asset.load_many([i for k in keys for i in links.get(k, ())])
            by_id = {a.pk: a for a in assets if a is not None}
            return [[by_id[i] for i in links.get(k, ()) if i in by_id] for k in keys]

        return DataLoader(load_fn=load)

    def _viewer_flags(
        self, fetch: Callable[[int, int, Sequence[int]], Awaitable[set[int]]]
    ) -> DataLoader[int, bool]:
        org, member = self._actor.org_id, self._actor.member_id

        async def load(keys: list[int]) -> list[bool]:
            hits = await fetch(org, member, keys)
            return [k in hits for k in keys]

        return DataLoader(load_fn=load)

    def asset_page(self, group: AssetGroup, page: PageRequest) -> DataLoader[int, Page[Any]]:
        """First pages of folder/project/tag assets with the same page arguments, batched."""
        key = (group, page)
        if key not in self._asset_pages:
            org = self._actor.org_id

            async def load(keys: list[int]) -> list[Page[Any]]:
                pages = await self._reads.library.asset_pages(org, group, keys, page)
                return [pages.get(k, Page.empty()) for k in keys]

            self._asset_pages[key] = DataLoader(load_fn=load)
        return self._asset_pages[key]

    def asset_count(self, group: AssetGroup) -> DataLoader[int, int]:
        """Live asset counts per folder/project/tag, batched."""
        if group not in self._asset_counts:
            reads, org = self._reads.library, self._actor.org_id

            async def fetch(org_id: int, keys: Sequence[int]) -> Mapping[int, int]:
                return await reads.count_asset_groups(org_id, group, keys)

            self._asset_counts[group] = _count(fetch, org)
        return self._asset_counts[group]

    def generation_page(self, page: PageRequest) -> DataLoader[int, Page[Any]]:
        """First pages of session generations with the same page arguments, batched."""
        if page not in self._generation_pages:
            org = self._actor.org_id

            async def load(keys: list[int]) -> list[Page[Any]]:
                pages = await self._reads.studio.generation_pages(org, keys, page)
                return [pages.get(k, Page.empty()) for k in keys]

            self._generation_pages[page] = DataLoader(load_fn=load)
        return self._generation_pages[page]
