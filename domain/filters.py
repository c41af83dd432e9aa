"""Filters for list queries, as the domain understands them (ids already decoded)."""

from __future__ import annotations

from dataclasses import dataclass

from domain.model.studio import ReviewState, SessionState


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
class GenerationFilter:
    """Which generations a Studio view shows."""

    session_id: int | None = None
    liked_by: int | None = None
    review_state: ReviewState | None = None
    saved: bool | None = None


@dataclass(frozen=True, slots=True)
class SessionFilter:
    """Which sessions a Studio view shows."""

    state: SessionState | None = None


@dataclass(frozen=True, slots=True)
class ProjectFilter:
    """Which projects a view shows."""

    archived: bool | None = None
