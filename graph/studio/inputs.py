"""Filter inputs of the Studio's lists, and their decoding into domain filters."""

from __future__ import annotations

import strawberry

from domain.studio.filters import GenerationFilter as DomainGenerationFilter
from domain.studio.filters import SessionFilter as DomainSessionFilter
from graph.relay.ids import decode_optional_id
from graph.studio.enums import ReviewState, SessionState


@strawberry.input(description="Narrows `generations`; every given condition must hold.")
class GenerationFilter:
    session_id: strawberry.ID | None = strawberry.field(
        default=None, description="Only this session's generations."
    )
    liked_by_viewer: bool | None = strawberry.field(
        default=None, description="Only those the viewer likes (true)."
    )
    review_state: ReviewState | None = strawberry.field(
        default=None, description="Only those in this review state."
    )
    saved: bool | None = strawberry.field(
        default=None, description="Only saved (true) or unsaved (false) ones."
    )

    def to_domain(self, member_id: int) -> DomainGenerationFilter:
        return DomainGenerationFilter(
            session_id=decode_optional_id(self.session_id, "Session", field="filter.sessionId"),
            liked_by=member_id if self.liked_by_viewer else None,
            review_state=self.review_state,
            saved=self.saved,
        )


@strawberry.input(description="Narrows `sessions`.")
class SessionFilter:
    state: SessionState | None = strawberry.field(
        default=None, description="Only OPEN or only CLOSED sessions."
    )

    def to_domain(self) -> DomainSessionFilter:
        return DomainSessionFilter(state=self.state)
