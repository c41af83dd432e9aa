"""The library's ports: its repository and its reads."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Literal, Protocol

from domain.kernel.pagination import Page, PageRequest
from domain.kernel.projection import ProjectedPage, Projection
from domain.library.filters import ProjectFilter
from domain.library.model import Asset, Folder, Project, Tag
from domain.library.writes import NewAsset
from domain.studio.model import BrandKit

AssetLink = Literal["tag", "project"]
"""A many-to-many link of assets that a bulk edit adds or removes."""

AssetGroup = Literal["folder", "project", "tag"]
"""A relation that groups assets: folder.assets, project.assets, tag.assets."""


class LibraryRepository(Protocol):
    """Writes and transactional reads of assets, folders, projects and tags."""

    async def folder(self, org_id: int, folder_id: int) -> Folder | None:
        """The organisation's folder; None when there is none or it is another organisation's."""
        ...

    async def brand_kit(self, org_id: int, brand_kit_id: int) -> BrandKit | None:
        """The organisation's brand kit; None when there is none or it is another organisation's."""
        ...

    async def projects(self, org_id: int, ids: Sequence[int]) -> Mapping[int, Project]:
        """The organisation's projects among these ids (archived ones too), by id; others are left out."""
        ...

    async def assets(self, org_id: int, ids: Sequence[int]) -> Mapping[int, Asset]:
        """The organisation's assets among these ids (trashed ones too), by id; others are left out."""
        ...

    async def ensure_tags(
        self, org_id: int, names: Sequence[str], at: datetime
    ) -> tuple[Sequence[Tag], set[int]]:
        """The tags of these names in their order (created when new), and the ids of those created now.

        Names are compared by `name_key` (case, width and invisible characters aside). One INSERT
        that skips existing keys, then one SELECT: a tag a racing save created is simply found.
        """
        ...

    async def add_assets(self, assets: Sequence[NewAsset]) -> Sequence[Asset]:
        """Create the assets with their tag, project and context-asset links, in a fixed handful of
        statements whatever their number; returns them in the order given."""
        ...

    async def add_folder(self, org_id: int, name: str, parent_id: int | None, at: datetime) -> Folder | None:
        """Create a folder under the parent (None: at the root); None when a sibling already has the
        name by `name_key`. The unique key, not a prior read, settles a race between two creators."""
        ...

    async def add_project(self, org_id: int, name: str, description: str, at: datetime) -> Project | None:
        """Create an unarchived project; None when one of the organisation's already has the name by
        `name_key`. The unique key, not a prior read, settles a race between two creators."""
        ...

    async def lock_folder_tree(self, org_id: int) -> None:
        """Hold the organisation's folder tree until the transaction ends, so that two moves or deletes
        never both pass their checks (A into B while B goes into A would make a cycle)."""
        ...

    async def folder_ancestry(self, org_id: int, folder_id: int) -> Sequence[int]:
        """The folder's id, then its ancestors' ids up to the root, in one recursive query (bounded
        in depth); empty when the organisation has no such folder."""
        ...

    async def rename_folder(self, org_id: int, folder_id: int, name: str) -> Folder | None:
        """Give the folder a new name; None when a sibling already has it by `name_key` (the unique
        key settles a race)."""
        ...

    async def move_folder(self, org_id: int, folder_id: int, parent_id: int | None) -> Folder | None:
        """Put the folder, with all it holds, under the parent (None: the root); None when a folder
        there already has its name by `name_key`."""
        ...

    async def folder_is_empty(self, org_id: int, folder_id: int) -> bool:
        """Whether the folder holds no subfolder and no live asset (trashed ones do not count)."""
        ...

    async def delete_folder(
        self, org_id: int, folder_id: int, content_to: int | None
    ) -> tuple[int, int] | None:
        """Move the folder's subfolders and assets (trashed ones too) to `content_to` (None: the
        root), then delete it; returns (folders moved, assets moved), or None when a subfolder's
        name is taken there by `name_key` (then the caller rolls back)."""
        ...

    async def update_project(self, project: Project) -> bool:
        """Write the project's name (and its key), description and archived flag; False when another
        of the organisation's projects has the name by `name_key`."""
        ...

    async def link_project_assets(self, org_id: int, project_id: int, asset_ids: Sequence[int]) -> set[int]:
        """Link the assets to the project in one statement, skipping links that exist; returns the
        ids newly linked."""
        ...

    async def unlink_project_assets(self, org_id: int, project_id: int, asset_ids: Sequence[int]) -> set[int]:
        """Unlink the assets from the project in one statement; returns the ids that were linked."""
        ...

    async def update_asset(self, asset: Asset) -> None:
        """Write the asset's name, description, alt text, folder and `updated_at`."""
        ...

    async def tags(self, org_id: int, ids: Sequence[int]) -> Mapping[int, Tag]:
        """The organisation's tags among these ids, by id; others are left out."""
        ...

    async def move_assets(self, org_id: int, asset_ids: Sequence[int], folder_id: int | None) -> set[int]:
        """Put the assets in the folder (None: the root) in one statement; returns the ids that moved."""
        ...

    async def link_assets(
        self, org_id: int, kind: AssetLink, asset_ids: Sequence[int], ids: Sequence[int]
    ) -> set[int]:
        """Give every asset every tag or project of `ids` in one statement, skipping links that
        exist; returns the ids of the assets that got a new link."""
        ...

    async def unlink_assets(
        self, org_id: int, kind: AssetLink, asset_ids: Sequence[int], ids: Sequence[int]
    ) -> set[int]:
        """Remove these tags or projects from the assets in one statement; returns the ids of the
        assets that lost a link."""
        ...

    async def touch_assets(self, org_id: int, asset_ids: Sequence[int], at: datetime) -> None:
        """Set the assets' `updated_at` in one statement."""
        ...

    async def favourite_assets(
        self, org_id: int, member_id: int, asset_ids: Sequence[int], at: datetime
    ) -> set[int]:
        """Make the assets the member's favourites in one statement, skipping those that are;
        returns the ids newly favourited."""
        ...

    async def unfavourite_assets(self, org_id: int, member_id: int, asset_ids: Sequence[int]) -> set[int]:
        """Remove the assets from the member's favourites in one statement; returns the ids that were."""
        ...

    async def rate_assets(self, org_id: int, asset_ids: Sequence[int], rating: int, at: datetime) -> set[int]:
        """Give the assets the rating (and `updated_at`) in one statement, those with another rating
        only; returns the ids that changed."""
        ...

    async def tag(self, org_id: int, tag_id: int) -> Tag | None:
        """The organisation's tag; None when there is none or it is another organisation's."""
        ...

    async def add_tag(self, org_id: int, name: str, at: datetime) -> Tag | None:
        """Create a tag; None when one of the organisation's already has the name by `name_key`."""
        ...

    async def rename_tag(self, org_id: int, tag_id: int, name: str) -> Tag | None:
        """Give the tag a new name; None when another tag has it by `name_key`."""
        ...

    async def merge_tags(self, org_id: int, source_id: int, target_id: int) -> int:
        """Give the target tag every asset of the source that it lacks, then delete the source with
        its links; returns how many assets newly got the target."""
        ...

    async def delete_tag(self, org_id: int, tag_id: int) -> int:
        """Delete the tag and its links; returns how many assets lost it."""
        ...


class LibraryLookups(Protocol):
    """Bulk lookups by natural keys in a transaction: assets by content, folders by id, tags by name."""

    async def live_assets_by_blob_keys(self, org_id: int, keys: Sequence[str]) -> Mapping[str, Asset]:
        """The organisation's live (not trashed) asset holding each of these blob keys (sha256), the
        oldest when several do, in one statement; a key no live asset holds is left out."""
        ...

    async def folders(self, org_id: int, ids: Sequence[int]) -> Mapping[int, Folder]:
        """The organisation's folders among these ids, by id, in one statement; others are left out."""
        ...

    async def tags_by_names(self, org_id: int, names: Sequence[str]) -> Mapping[str, Tag]:
        """The organisation's tags with these names, by the names' `name_key` (case, width and invisible
        characters aside), in one statement; a name no tag has is left out."""
        ...


class LibraryReads(Protocol):
    """Reads of assets, folders, projects and tags, each call one round trip, each scoped by `org_id`."""

    async def asset_pages(
        self, org_id: int, group: AssetGroup, group_ids: Sequence[int], page: PageRequest
    ) -> Mapping[int, Page[Asset]]:
        """The same page (newest first, past `page.after`) of each group's live assets, in one query;
        a group with none on it is left out."""
        ...

    async def count_asset_groups(
        self, org_id: int, group: AssetGroup, group_ids: Sequence[int]
    ) -> Mapping[int, int]:
        """How many live assets each group holds; a group with none is left out (zero)."""
        ...

    async def group_asset_rows(
        self, org_id: int, group: AssetGroup, group_id: int, page: PageRequest, projection: Projection
    ) -> ProjectedPage:
        """The page of one group's live assets that `asset_pages` answers, as projected rows; the
        relations are `folder`, `generation` (while it exists), `tags` and `projects` (by name)."""
        ...

    async def assets_by_ids(self, org_id: int, ids: Sequence[int]) -> Mapping[int, Asset]:
        """The organisation's assets among these ids (trashed ones too), by id; others are left out."""
        ...

    async def tags_of_assets(self, org_id: int, asset_ids: Sequence[int]) -> Mapping[int, Sequence[Tag]]:
        """Each asset's tags by name (name key, then id); an asset without any is left out."""
        ...

    async def projects_of_assets(
        self, org_id: int, asset_ids: Sequence[int]
    ) -> Mapping[int, Sequence[Project]]:
        """Each asset's projects by name (name key, then id); an asset in none is left out."""
        ...

    async def context_assets_of_assets(
        self, org_id: int, asset_ids: Sequence[int]
    ) -> Mapping[int, Sequence[int]]:
        """Each asset's context asset ids in the order given, trashed ones left out (they leave every
        list but the trash); an asset without any is left out."""
        ...

    async def favourited(self, org_id: int, member_id: int, asset_ids: Sequence[int]) -> set[int]:
        """Which of these assets the member has favourited."""
        ...

    async def folders(self, org_id: int, parent_id: int | None, page: PageRequest) -> Page[Folder]:
        """A page of the folders under the parent (None: the root folders), by name (name key, then id)."""
        ...

    async def count_folders(self, org_id: int, parent_id: int | None) -> int:
        """How many folders are under the parent (None: at the root)."""
        ...

    async def folders_by_ids(self, org_id: int, ids: Sequence[int]) -> Mapping[int, Folder]:
        """The organisation's folders among these ids, by id; others are left out."""
        ...

    async def count_folder_assets_deep(self, org_id: int, folder_ids: Sequence[int]) -> Mapping[int, int]:
        """How many live assets each folder holds, its subfolders' at any depth included, in one
        recursive query (bounded in depth); a folder with none is left out (zero)."""
        ...

    async def children_of_folders(
        self, org_id: int, parent_ids: Sequence[int]
    ) -> Mapping[int, Sequence[Folder]]:
        """Each folder's subfolders by name (name key, then id); a folder without any is left out."""
        ...

    async def folder_paths(self, org_id: int, ids: Sequence[int]) -> Mapping[int, Sequence[Folder]]:
        """Each folder's ancestors from the root down, ending with the folder itself, in one recursive
        query (bounded in depth, should a cycle slip in); an unknown folder is left out."""
        ...

    async def projects(self, org_id: int, filter: ProjectFilter, page: PageRequest) -> Page[Project]:
        """A page of the organisation's projects that pass the filter, by name (name key, then id)."""
        ...

    async def count_projects(self, org_id: int, filter: ProjectFilter) -> int:
        """How many of the organisation's projects pass the filter."""
        ...

    async def projects_by_ids(self, org_id: int, ids: Sequence[int]) -> Mapping[int, Project]:
        """The organisation's projects among these ids, by id; others are left out."""
        ...

    async def tags(self, org_id: int, page: PageRequest) -> Page[Tag]:
        """A page of the organisation's tags by name (name key, then id)."""
        ...

    async def count_tags(self, org_id: int) -> int:
        """How many tags the organisation has."""
        ...

    async def tags_by_ids(self, org_id: int, ids: Sequence[int]) -> Mapping[int, Tag]:
        """The organisation's tags among these ids, by id; others are left out."""
        ...
