"""A placement of an asset in a post, page or campaign, and its two states.

The seed's workflow says "attach deliberately": an editor proposes a placement, an
approver (or an admin) approves it. Both states count as use of the asset.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from domain.kernel.errors import InvalidState
from domain.kernel.text import clean_text

MAX_TARGET_REF = 500
"""A target reference is a short text: a CMS URL, a post id, a campaign slug."""

MAX_PLACEMENTS_PER_ASSET = 50
"""Bounds `Asset.placements`, an unpaged list: a proposal past it is LIMIT_EXCEEDED. The README's
library page at `first: 50` with `usageCount` and five placement fields costs 26,756 of the 50,000
a query may cost; with 100 it would cost 41,756."""


class PlacementKind(StrEnum):
    """How the asset is used in its target."""

    FEATURED_IMAGE = "featured_image"
    INLINE = "inline"
    SOCIAL_POST = "social_post"


class PlacementState(StrEnum):
    """Proposed by an editor, then approved by an approver or admin."""

    PROPOSED = "proposed"
    APPROVED = "approved"


def clean_target_ref(value: str) -> str:
    """The target reference trimmed, one line, bounded and free of credentials, else InvalidInput."""
    return clean_text(value, field="targetRef", max_length=MAX_TARGET_REF, required=True, single_line=True)


@dataclass(frozen=True, slots=True)
class Placement:
    """An asset placed (or proposed to be placed) in a target: a post, a page, a campaign."""

    id: int
    org_id: int
    asset_id: int
    kind: PlacementKind
    target_ref: str
    project_id: int | None
    scheduled_at: datetime | None
    state: PlacementState
    proposed_by_id: int | None
    created_at: datetime
    approved_by_id: int | None = None
    approved_at: datetime | None = None

    @property
    def is_approved(self) -> bool:
        """Whether an approver attached it."""
        return self.state is PlacementState.APPROVED

    def approve(self, *, by: int, at: datetime) -> Placement:
        """The placement approved by a member now; approving an approved one is refused by the caller
        before (it returns it unchanged), so this only moves PROPOSED to APPROVED."""
        if self.is_approved:
            raise InvalidState("the placement is approved already")
        return replace(self, state=PlacementState.APPROVED, approved_by_id=by, approved_at=at)


@dataclass(frozen=True, slots=True)
class NewPlacement:
    """A placement to propose."""

    org_id: int
    asset_id: int
    kind: PlacementKind
    target_ref: str
    project_id: int | None
    scheduled_at: datetime | None
    proposed_by_id: int
    created_at: datetime
    state: PlacementState = PlacementState.PROPOSED
