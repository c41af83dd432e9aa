"""Filters of the library's lists: assets and projects."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from domain.processing.model import ProcessingStatus
from domain.studio.model import Platform


@dataclass(frozen=True, slots=True)
class AssetFilter:
    """Which assets a library view shows; trashed assets only when asked for.

    Every given condition must hold; a list condition holds when any of its values does
    (`all_tag_ids`: when every one does). Bounds are checked by `domain.search.bounds`.
    """

    folder_id: int | None = None
    project_id: int | None = None
    tag_id: int | None = None
    favourite_of: int | None = None
    ai_generated: bool | None = None
    trashed: bool = False
    include_subfolders: bool = False
    """With `folder_id`: the folder's subfolders at any depth too."""
    project_ids: tuple[int, ...] = ()
    any_tag_ids: tuple[int, ...] = ()
    all_tag_ids: tuple[int, ...] = ()
    rating_at_least: int | None = None
    mime_types: tuple[str, ...] = ()
    created_since: datetime | None = None
    created_until: datetime | None = None
    updated_since: datetime | None = None
    updated_until: datetime | None = None
    min_byte_size: int | None = None
    max_byte_size: int | None = None
    sha256: str | None = None
    providers: tuple[str, ...] = ()
    models: tuple[str, ...] = ()
    seed: int | None = None
    platforms: tuple[Platform, ...] = ()
    brand_kit_id: int | None = None
    session_id: int | None = None
    processing_statuses: tuple[ProcessingStatus, ...] = ()
    """Where the image's processing stands (PENDING also matches an asset that has no job)."""


@dataclass(frozen=True, slots=True)
class ProjectFilter:
    """Which projects a view shows."""

    archived: bool | None = None
