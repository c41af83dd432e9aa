"""The library's use cases with their dependencies bound once: `library.save(actor, generation_ids=...)`.

The composition root builds one `Library` per process; each method is a service function
of this package whose first parameter is the bundle (`saving.save_to_library(library, actor, ...)`).
`SaveOptions`, what a save takes, `UploadItem`, what adding an upload takes, and the `KEEP` marker
of an update are here too, so the GraphQL layer reaches the library through this module alone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from domain.kernel.changes import KEEP, Keep
from domain.kernel.ports import BlobStore, Clock
from domain.library import editing, organising, saving, uploading
from domain.library.editing import BulkEdit
from domain.library.placements import services as placements
from domain.library.saving import SaveOptions
from domain.library.trash import services as trash
from domain.library.uploading import UploadedAsset, UploadItem
from domain.unit_of_work import UnitOfWork

__all__ = ["KEEP", "BulkEdit", "Keep", "Library", "SaveOptions", "UploadItem", "UploadedAsset"]


@dataclass(frozen=True, slots=True)
class Library:
    """Saving generations as assets, editing them and organising them, over their adapters."""

    uow: Callable[[], UnitOfWork]
    """A fresh unit of work; each service call takes one."""
    clock: Clock
    blobs: BlobStore
    trash_retention: timedelta = trash.DEFAULT_TRASH_RETENTION
    """How long an asset stays in the trash before the periodic purge deletes it."""

    save = saving.save_to_library
    add_uploads = uploading.add_uploads_to_library
    update_asset = editing.update_asset
    update_assets = editing.update_assets
    favourite_assets = editing.favourite_assets
    unfavourite_assets = editing.unfavourite_assets
    rate_assets = editing.rate_assets
    create_folder = organising.create_folder
    rename_folder = organising.rename_folder
    move_folder = organising.move_folder
    delete_folder = organising.delete_folder
    create_project = organising.create_project
    update_project = organising.update_project
    archive_project = organising.archive_project
    unarchive_project = organising.unarchive_project
    link_assets_to_project = organising.link_assets_to_project
    unlink_assets_from_project = organising.unlink_assets_from_project
    create_tag = organising.create_tag
    rename_tag = organising.rename_tag
    merge_tags = organising.merge_tags
    delete_tag = organising.delete_tag
    trash_assets = trash.trash_assets
    restore_assets = trash.restore_assets
    purge_assets = trash.purge_assets
    purge_expired_trash = trash.purge_expired_trash
    propose_placement = placements.propose_placement
    approve_placement = placements.approve_placement
    remove_placement = placements.remove_placement
