"""The library's ports: its repository and its reads."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Literal, Protocol

from domain.kernel.pagination import Page, PageRequest
from domain.library.filters import AssetFilter, ProjectFilter
from domain.library.model import Asset, Folder, Project, Tag
from domain.library.writes import NewAsset
from domain.studio.model import BrandKit

AssetGroup = Literal["folder", "project", "tag"]
"""A relation that groups assets: folder.assets, project.assets, tag.assets."""


class LibraryRepository(Protocol):
    """Writes and transactional reads of assets, folders, projects and tags."""

    async def folder(self, org_id: int, folder_id: int) -> Folder | None: ...

    async def brand_kit(self, org_id: int, brand_kit_id: int) -> BrandKit | None: ...

    async def projects(self, org_id: int, ids: Sequence[int]) -> Mapping[int, Project]: ...

    async def assets(self, org_id: int, ids: Sequence[int]) -> Mapping[int, Asset]: ...

    async def ensure_tags(
        self, org_id: int, names: Sequence[str], at: datetime
    ) -> tuple[Sequence[Tag], set[int]]:
        """The tags of these names (created when new), and the ids of those created now; case-insensitive."""
        ...

    async def add_assets(self, assets: Sequence[NewAsset]) -> Sequence[Asset]:
        """Create the assets with their tag, project and context-asset links, in a fixed handful of
        statements whatever their number; returns them in the order given."""
        ...

    async def add_folder(self, org_id: int, name: str, parent_id: int | None, at: datetime) -> Folder | None:
        """Create a folder; None when a sibling already has the name (regardless of case)."""
        ...

    async def add_project(self, org_id: int, name: str, description: str, at: datetime) -> Project | None:
        """Create a project; None when one already has the name (regardless of case)."""
        ...


class LibraryReads(Protocol):
    """Reads of assets, folders, projects and tags, each call one round trip."""

    async def assets(self, org_id: int, filter: AssetFilter, page: PageRequest) -> Page[Asset]: ...

    async def count_assets(self, org_id: int, filter: AssetFilter) -> int: ...

    async def asset_pages(
        self, org_id: int, group: AssetGroup, group_ids: Sequence[int], page: PageRequest
    ) -> Mapping[int, Page[Asset]]:
        """The first page of each group's live assets, in one query."""
        ...

    async def count_asset_groups(
        self, org_id: int, group: AssetGroup, group_ids: Sequence[int]
    ) -> Mapping[int, int]: ...

    async def assets_by_ids(self, org_id: int, ids: Sequence[int]) -> Mapping[int, Asset]: ...

    async def tags_of_assets(self, org_id: int, asset_ids: Sequence[int]) -> Mapping[int, Sequence[Tag]]: ...

    async def projects_of_assets(
        self, org_id: int, asset_ids: Sequence[int]
    ) -> Mapping[int, Sequence[Project]]: ...

    async def context_assets_of_assets(
        self, org_id: int, asset_ids: Sequence[int]
    ) -> Mapping[int, Sequence[int]]: ...

    async def favourited(self, org_id: int, member_id: int, asset_ids: Sequence[int]) -> set[int]: ...

    async def folders(self, org_id: int, parent_id: int | None, page: PageRequest) -> Page[Folder]: ...

    async def count_folders(self, org_id: int, parent_id: int | None) -> int: ...

    async def folders_by_ids(self, org_id: int, ids: Sequence[int]) -> Mapping[int, Folder]: ...

    async def children_of_folders(
        self, org_id: int, parent_ids: Sequence[int]
    ) -> Mapping[int, Sequence[Folder]]: ...

    async def folder_paths(self, org_id: int, ids: Sequence[int]) -> Mapping[int, Sequence[Folder]]:
        """Each folder's ancestors from the root down, ending with the folder itself."""
        ...

    async def projects(self, org_id: int, filter: ProjectFilter, page: PageRequest) -> Page[Project]: ...

    async def count_projects(self, org_id: int, filter: ProjectFilter) -> int: ...

    async def projects_by_ids(self, org_id: int, ids: Sequence[int]) -> Mapping[int, Project]: ...

    async def tags(self, org_id: int, page: PageRequest) -> Page[Tag]: ...

    async def count_tags(self, org_id: int) -> int: ...

    async def tags_by_ids(self, org_id: int, ids: Sequence[int]) -> Mapping[int, Tag]: ...
