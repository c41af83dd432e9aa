"""Filters of the library's lists: assets and projects."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class AssetFilter:
    """Which assets a library view shows; trashed assets only when asked for."""

    folder_id: int | None = None
    project_id: int | None = None
    tag_id: int | None = None
    favourite_of: int | None = None
    ai_generated: bool | None = None
    trashed: bool = False


@dataclass(frozen=True, slots=True)
class ProjectFilter:
    """Which projects a view shows."""

    archived: bool | None = None
