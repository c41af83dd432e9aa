"""The library's per-request DataLoaders: assets, folders, projects, tags and their relations."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cached_property
from typing import Any

from strawberry.dataloader import DataLoader

from domain.kernel.access import Actor
from domain.kernel.pagination import Page, PageRequest
from domain.library.ports import AssetGroup, LibraryReads
from graph.library.types import Asset, Folder, Project, Tag
from graph.relay.batching import count, linked, many, one, viewer_flags


class LibraryLoaders:
    """The library's loaders of one request, each made when a field first asks for it."""

    def __init__(self, reads: LibraryReads, actor: Actor) -> None:
        self._reads, self._org, self._member = reads, actor.org_id, actor.member_id
        self._asset_pages: dict[tuple[AssetGroup, PageRequest], DataLoader[int, Page[Any]]] = {}
        self._asset_counts: dict[AssetGroup, DataLoader[int, int]] = {}

    @cached_property
    def asset(self) -> DataLoader[int, Asset | None]:
        return one(self._reads.assets_by_ids, self._org, Asset.from_domain)

    @cached_property
    def folder(self) -> DataLoader[int, Folder | None]:
        return one(self._reads.folders_by_ids, self._org, Folder.from_domain)

    @cached_property
    def project(self) -> DataLoader[int, Project | None]:
        return one(self._reads.projects_by_ids, self._org, Project.from_domain)

    @cached_property
    def tag(self) -> DataLoader[int, Tag | None]:
        return one(self._reads.tags_by_ids, self._org, Tag.from_domain)

    @cached_property
    def asset_tags(self) -> DataLoader[int, list[Tag]]:
        return many(self._reads.tags_of_assets, self._org, Tag.from_domain)

    @cached_property
    def asset_projects(self) -> DataLoader[int, list[Project]]:
        return many(self._reads.projects_of_assets, self._org, Project.from_domain)

    @cached_property
    def folder_children(self) -> DataLoader[int, list[Folder]]:
        return many(self._reads.children_of_folders, self._org, Folder.from_domain)

    @cached_property
    def folder_path(self) -> DataLoader[int, list[Folder]]:
        return many(self._reads.folder_paths, self._org, Folder.from_domain)

    @cached_property
    def folder_asset_count_deep(self) -> DataLoader[int, int]:
        return count(self._reads.count_folder_assets_deep, self._org)

    @cached_property
    def asset_context_assets(self) -> DataLoader[int, list[Asset]]:
        return linked(self._reads.context_assets_of_assets, self._org, self.asset, lambda a: a.pk)

    @cached_property
    def favourited_by_viewer(self) -> DataLoader[int, bool]:
        return viewer_flags(self._reads.favourited, self._org, self._member)

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
