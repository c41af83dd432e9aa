"""Filters of the Studio's lists: sessions and generations."""

from __future__ import annotations

from dataclasses import dataclass

from domain.studio.model import ReviewState, SessionState


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
