"""Library reads: the views an SPA builds over assets, folders, projects and tags."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from domain.kernel.access import Actor, Permission
from domain.kernel.pagination import BY_NAME, NEWEST_FIRST, Key, Page, PageRequest
from domain.kernel.projection import Projection
from domain.library.filters import ProjectFilter
from domain.library.model import Asset, Folder, Project, Tag
from domain.library.ports import LibraryReads
from domain.studio.model import Generation


async def list_folders(
    reads: LibraryReads, actor: Actor, *, parent_id: int | None, first: int | None, after: Key | None
) -> Page[Folder]:
    """Folders under a parent (the roots when None), by name."""
    actor.require(Permission.READ)
    return await reads.folders(actor.org_id, parent_id, PageRequest.of(first, after, shape=BY_NAME))


async def list_projects(
    reads: LibraryReads, actor: Actor, *, filter: ProjectFilter, first: int | None, after: Key | None
) -> Page[Project]:
    """Projects, by name."""
    actor.require(Permission.READ)
    return await reads.projects(actor.org_id, filter, PageRequest.of(first, after, shape=BY_NAME))


async def list_tags(reads: LibraryReads, actor: Actor, *, first: int | None, after: Key | None) -> Page[Tag]:
    """Tags, by name."""
    actor.require(Permission.READ)
    return await reads.tags(actor.org_id, PageRequest.of(first, after, shape=BY_NAME))


def group_page(first: int | None, after: Key | None) -> PageRequest:
    """The page request of a nested asset list (folder.assets, project.assets, tag.assets)."""
    return PageRequest.of(first, after, shape=NEWEST_FIRST)


ASSET_RELATIONS: Mapping[str, type] = {
    "folder": Folder,
    "generation": Generation,
    "tags": Tag,
    "projects": Project,
}
"""What a projected asset can be read with beside it (LibraryReads.group_asset_rows)."""


def assets_projection(
    fields: Sequence[str], extras: Sequence[str], total: bool, related: Mapping[str, Sequence[str]]
) -> Projection:
    """What a page of assets (a folder's, a project's, a tag's, the whole library's) is read with;
    no extras."""
    return Projection.of(Asset, fields, extras, (), total, related, ASSET_RELATIONS)
