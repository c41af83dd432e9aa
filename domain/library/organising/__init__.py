"""Organising the library: folders (create, rename, move, delete), projects (create, update,
archive, link assets) and tags (create, rename, merge, delete). One module per kind; the
`Library` bundle binds each use case (`library.move_folder(actor, ...)`)."""

from __future__ import annotations

from domain.library.organising.folders import create_folder, delete_folder, move_folder, rename_folder
from domain.library.organising.names import MAX_DESCRIPTION, MAX_NAME
from domain.library.organising.projects import (
    archive_project,
    create_project,
    link_assets_to_project,
    unarchive_project,
    unlink_assets_from_project,
    update_project,
)
from domain.library.organising.tags import create_tag, delete_tag, merge_tags, rename_tag

__all__ = [
    "MAX_DESCRIPTION",
    "MAX_NAME",
    "archive_project",
    "create_folder",
    "create_project",
    "create_tag",
    "delete_folder",
    "delete_tag",
    "link_assets_to_project",
    "merge_tags",
    "move_folder",
    "rename_folder",
    "rename_tag",
    "unarchive_project",
    "unlink_assets_from_project",
    "update_project",
]
