"""Studio entities: brand kits, generation sessions and their temporary generations."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from domain.kernel.errors import DomainError, InvalidState


class Platform(StrEnum):
    """Where an image is meant to be published; drives defaults such as the aspect ratio."""

    INSTAGRAM = "instagram"
    LINKEDIN = "linkedin"
    FACEBOOK = "facebook"
    X = "x"
    PINTEREST = "pinterest"
    TIKTOK = "tiktok"
    YOUTUBE = "youtube"
    WEB = "web"


class AspectRatio(StrEnum):
    """The shape of an image; values are width:height."""

    SQUARE = "1:1"
    PORTRAIT = "4:5"
    LANDSCAPE = "16:9"
    STORY = "9:16"
    CLASSIC = "4:3"
    PHOTO = "3:2"

    def size(self, long_side: int = 1024) -> tuple[int, int]:
        """Pixel width and height for this ratio with the longer side `long_side` long."""
        w, h = (int(part) for part in self.value.split(":"))
        if w >= h:
            return long_side, round(long_side * h / w)
        return round(long_side * w / h), long_side


class SessionState(StrEnum):
    """Whether a session still takes new generations."""

    OPEN = "open"
    CLOSED = "closed"


class ReviewState(StrEnum):
    """Where a generation stands in review; REJECTED is final."""

    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


@dataclass(frozen=True, slots=True)
class BrandKit:
    """Brand guidelines applied to generations: a name, a voice and a colour palette."""

    id: int
    org_id: int
    name: str
    description: str
    colors: tuple[str, ...]
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Session:
    """A Studio generation session."""

    id: int
    org_id: int
    title: str
    platform: Platform | None
    brand_kit_id: int | None
    aspect_ratio: AspectRatio
    state: SessionState
    created_by_id: int | None
    created_at: datetime
    closed_at: datetime | None


class Concern(StrEnum):
    """Why a generation was escalated to the reviewers."""

    RIGHTS = "rights"
    PRODUCT_ACCURACY = "product_accuracy"
    BRAND_COMPLIANCE = "brand_compliance"
    CLAIMS = "claims"


@dataclass(frozen=True, slots=True)
class Escalation:
    """A request for a reviewer's decision when rights, accuracy, brand or claims are uncertain."""

    concern: Concern | None
    reason: str
    by_id: int | None
    at: datetime


@dataclass(frozen=True, slots=True)
class ReviewNotes:
    """What a reviewer wrote when approving or rejecting."""

    alt_text: str = ""
    rights_notes: str = ""
    source: str = ""
    intended_placement: str = ""
    reason: str = ""


@dataclass(frozen=True, slots=True)
class Generation:
    """A temporary image made in a session, with its provenance and review state."""

    id: int
    org_id: int
    session_id: int
    prompt: str
    negative_prompt: str
    platform: Platform | None
    brand_kit_id: int | None
    aspect_ratio: AspectRatio
    width: int
    height: int
    provider: str
    model: str
    seed: int | None
    credits_used: int
    review_state: ReviewState
    review: ReviewNotes
    reviewed_by_id: int | None
    reviewed_at: datetime | None
    saved_asset_id: int | None
    blob_key: str
    mime_type: str
    byte_size: int
    created_by_id: int | None
    created_at: datetime
    expires_at: datetime | None
    escalation: Escalation | None = None

    @property
    def kept(self) -> bool:
        """Approved and saved generations are kept whatever their age (likes are counted apart).

        The retention sweep's SQL mirrors this rule (storage/studio/repositories.py
        `_unkept_and_unliked`); tests/contracts/test_retention_rule.py checks that both agree.
        """
        return self.review_state is ReviewState.APPROVED or self.saved_asset_id is not None

    def is_expired(self, now: datetime, *, liked: bool) -> bool:
        """Whether the sweep may delete it now: past its expiry, not kept, liked by nobody."""
        return self.expires_at is not None and self.expires_at <= now and not self.kept and not liked

    def cannot_approve(self) -> DomainError | None:
        """Why it cannot be approved, or None: a rejected generation stays rejected."""
        if self.review_state is ReviewState.REJECTED:
            return InvalidState("the generation was rejected, and a rejected generation stays rejected")
        return None

    def cannot_reject(self) -> DomainError | None:
        """Why it cannot be rejected, or None: approved and saved ones are past review."""
        if self.review_state is ReviewState.APPROVED:
            return InvalidState("the generation was approved; it cannot be rejected now")
        if self.saved_asset_id is not None:
            return InvalidState("the generation is in the library already; trash its asset instead")
        return None

    def approve(self, notes: ReviewNotes, *, by: int, at: datetime) -> Generation:
        """Approved with the reviewer's notes, kept from now on; approving it again changes nothing."""
        if (problem := self.cannot_approve()) is not None:
            raise problem
        if self.review_state is ReviewState.APPROVED:
            return self
        return replace(
            self,
            review_state=ReviewState.APPROVED,
            review=notes,
            reviewed_by_id=by,
            reviewed_at=at,
            expires_at=None,
        )

    def reject(self, reason: str, *, by: int, at: datetime) -> Generation:
        """Rejected for good; rejecting it again changes nothing."""
        if (problem := self.cannot_reject()) is not None:
            raise problem
        if self.review_state is ReviewState.REJECTED:
            return self
        return replace(
            self,
            review_state=ReviewState.REJECTED,
            review=ReviewNotes(reason=reason),
            reviewed_by_id=by,
            reviewed_at=at,
        )

    def escalate(self, concern: Concern | None, reason: str, *, by: int, at: datetime) -> Generation:
        """Put before the reviewers; only a pending generation can be."""
        if self.review_state is not ReviewState.PENDING:
            raise InvalidState("only a pending generation can be escalated", field="generationId")
        return replace(self, escalation=Escalation(concern, reason, by, at))


@dataclass(frozen=True, slots=True)
class LikeTally:
    """A generation's likes as one member sees them: how many members like it, and whether they do."""

    count: int = 0
    by_member: bool = False


@dataclass(frozen=True, slots=True)
class Upload:
    """An image file received for import, waiting (at most a day) to become a generation."""

    id: int
    org_id: int
    member_id: int
    blob_key: str
    mime_type: str
    byte_size: int
    width: int
    height: int
    filename: str
    prompt: str
    negative_prompt: str
    seed: int | None
    model: str
    tool: str | None
    created_at: datetime
    expires_at: datetime
    consumed_at: datetime | None


def nearest_ratio(width: int, height: int) -> AspectRatio:
    """The aspect ratio closest to an image's shape."""
    shape = width / max(1, height)

    def distance(ratio: AspectRatio) -> float:
        w, h = ratio.size(1000)
        return abs(w / h - shape)

    return min(AspectRatio, key=distance)
