"""The library's per-request DataLoaders: assets, folders, projects, tags and their relations."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from strawberry.dataloader import DataLoader

from domain.kernel.access import Actor
from domain.kernel.pagination import Page, PageRequest
from domain.library.ports import AssetGroup, LibraryReads
from graph.library.types import Asset, Folder, Project, Tag
from graph.relay.batching import count, linked, many, one, viewer_flags


class LibraryLoaders:
    """The library's loaders of one request."""

    def __init__(self, reads: LibraryReads, actor: Actor) -> None:
        org = actor.org_id
        self._reads, self._org = reads, org
        self.asset = one(reads.assets_by_ids, org, Asset.from_domain)
        self.folder = one(reads.folders_by_ids, org, Folder.from_domain)
        self.project = one(reads.projects_by_ids, org, Project.from_domain)
        self.tag = one(reads.tags_by_ids, org, Tag.from_domain)
        self.asset_tags = many(reads.tags_of_assets, org, Tag.from_domain)
        self.asset_projects = many(reads.projects_of_assets, org, Project.from_domain)
        self.folder_children = many(reads.children_of_folders, org, Folder.from_domain)
        self.folder_path = many(reads.folder_paths, org, Folder.from_domain)
        self.folder_asset_count_deep = count(reads.count_folder_assets_deep, org)
        self.asset_context_assets = linked(reads.context_assets_of_assets, org, self.asset, lambda a: a.pk)
        self.favourited_by_viewer = viewer_flags(reads.favourited, org, actor.member_id)
        self._asset_pages: dict[tuple[AssetGroup, PageRequest], DataLoader[int, Page[Any]]] = {}
        self._asset_counts: dict[AssetGroup, DataLoader[int, int]] = {}

    def asset_page(self, group: AssetGroup, page: PageRequest) -> DataLoader[int, Page[Any]]:
        """First pages of folder/project/tag assets with the same page arguments, batched."""
        key = (group, page)
        if key not in self._asset_pages:
            reads, org = self._reads, self._org

            async def load(keys: list[int]) -> list[Page[Any]]:
                pages = await reads.asset_pages(org, group, keys, page)
                return [pages.get(k, Page.empty()) for k in keys]

            self._asset_pages[key] = DataLoader(load_fn=load)
        return self._asset_pages[key]

    def asset_count(self, group: AssetGroup) -> DataLoader[int, int]:
        """Live asset counts per folder/project/tag, batched."""
        if group not in self._asset_counts:
            reads = self._reads

            async def fetch(org_id: int, keys: Sequence[int]) -> Mapping[int, int]:
                return await reads.count_asset_groups(org_id, group, keys)

            self._asset_counts[group] = count(fetch, self._org)
        return self._asset_counts[group]
