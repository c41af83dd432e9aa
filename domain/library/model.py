"""Library entities: permanent assets, the folders, projects and tags that organise them."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import datetime, timedelta
from typing import Any

from domain.kernel.errors import DomainError, InvalidInput, InvalidState
from domain.kernel.visible import visible_form
from domain.studio.model import AspectRatio, Generation, Platform


@dataclass(frozen=True, slots=True)
class Provenance:
    """How an AI asset was made, frozen from its generation when it was saved."""

    generation_id: int | None
    session_id: int | None
    prompt: str
    negative_prompt: str
    platform: Platform | None
    brand_kit_id: int | None
    aspect_ratio: AspectRatio | None
    provider: str
    model: str
    seed: int | None
    credits_used: int
    created_by_id: int | None
    reviewed_by_id: int | None
    reviewed_at: datetime | None
    rights_notes: str
    source: str
    intended_placement: str

    @classmethod
    def of(cls, generation: Generation) -> Provenance:
        """Frozen from a generation when it is saved: its fields of the same names, its review's
        notes, its id. A new provenance field is declared here only, next to the generation's."""
        values: dict[str, Any] = {}
        for f in fields(cls):
            if f.name == "generation_id":
                values[f.name] = generation.id
            elif hasattr(generation, f.name):
                values[f.name] = getattr(generation, f.name)
            else:  # rights notes, source, placement: what the reviewer wrote
                values[f.name] = getattr(generation.review, f.name)
        return cls(**values)


@dataclass(frozen=True, slots=True)
class Asset:
    """A permanent image in the library."""

    id: int
    org_id: int
    name: str
    description: str
    alt_text: str
    folder_id: int | None
    blob_key: str
    mime_type: str
    byte_size: int
    width: int
    height: int
    ai_generated: bool
    provenance: Provenance | None
    trashed_at: datetime | None
    created_at: datetime
    updated_at: datetime
    rating: int = 0
    """0-5; 0 is not rated."""

    def cannot_be_linked(self) -> DomainError | None:
        """Why the asset cannot be linked to a project now (it is in the trash), or None."""
        if self.trashed_at is not None:
            return InvalidState("the asset is in the trash; restore it first")
        return None

    def cannot_be_edited(self) -> DomainError | None:
        """Why the asset cannot be edited now (it is in the trash), or None."""
        return self.cannot_be_linked()

    def cannot_be_placed(self) -> DomainError | None:
        """Why the asset cannot be placed in a post, page or campaign now (it is in the trash), or None."""
        return self.cannot_be_linked()

    def cannot_be_purged(self) -> DomainError | None:
        """Why the asset cannot be purged now (it is live: only the trash is purged), or None."""
        if self.trashed_at is None:
            return InvalidState("only a trashed asset can be purged; trash it first")
        return None

    def purge_due(self, now: datetime, keep_for: timedelta) -> bool:
        """Whether the trash's retention window has passed for this asset (a live one never); the SQL of
        `TrashRepository.expired_trash` and `purge_assets` mirrors it."""
        return self.trashed_at is not None and self.trashed_at < now - keep_for


MAX_RATING = 5


def check_rating(rating: int) -> int:
    """A rating of 0 (not rated) to MAX_RATING, else InvalidInput."""
    if not 0 <= rating <= MAX_RATING:
        raise InvalidInput(f"a rating is 0 to {MAX_RATING} (got {rating})", field="rating")
    return rating


@dataclass(frozen=True, slots=True)
class Folder:
    """A folder of assets; folders nest, and names are unique among siblings."""

    id: int
    org_id: int
    parent_id: int | None
    name: str
    created_at: datetime

    def holds(self, ancestry: Sequence[int]) -> bool:
        """Whether the folder whose `ancestry` this is (its own id, then its ancestors' up to the root)
        is this folder or lies somewhere inside it."""
        return self.id in ancestry

    def check_move(self, parent_id: int | None, parent_ancestry: Sequence[int]) -> None:
        """Refuse a move into itself or its own subtree (a cycle); `parent_ancestry` is the new
        parent's ancestry (its id, then its ancestors' up to the root). The root always takes it."""
        if parent_id is not None and self.holds(parent_ancestry):
            raise InvalidInput(
                "a folder cannot move into itself or one of its own subfolders", field="parentId"
            )

    def check_content_destination(self, to_id: int | None, to_ancestry: Sequence[int]) -> None:
        """Refuse to send a deleted folder's content into the folder itself or its own subtree,
        which go with it; `to_ancestry` is the destination's ancestry. The root always takes it."""
        if to_id is not None and self.holds(to_ancestry):
            raise InvalidInput(
                "the content cannot move into the folder being deleted or one of its subfolders",
                field="moveContentTo",
            )


@dataclass(frozen=True, slots=True)
class Project:
    """A campaign that assets are linked to."""

    id: int
    org_id: int
    name: str
    description: str
    archived: bool
    created_at: datetime

    def cannot_take_assets(self) -> DomainError | None:
        """Why assets cannot be linked to the project now (it is archived), or None."""
        if self.archived:
            return InvalidState("the project is archived")
        return None


@dataclass(frozen=True, slots=True)
class Tag:
    """A label; unique per organisation regardless of case."""

    id: int
    org_id: int
    name: str
    created_at: datetime


def name_key(name: str) -> str:
    """The identity of a tag, folder, project or brand-kit name: names that look the same have one key.

    First the name as it shows (`visible_form`: invisible characters dropped but for those
    that hold emoji sequences together, every run of whitespace one space), so `hero` and
    `hero` + U+200B, `summer sale` with a space, two, a tab or an NBSP, are one name. Then
    Unicode's canonical caseless match (NFD, case fold, NFD), kept in NFC for size: `café`
    typed precomposed or as `e` + combining acute, `Straße` or `STRASSE`, have one key.
    Storage keeps the key in a column with the unique index on it, so the database settles races.
    """
    visible = visible_form(name)
    return unicodedata.normalize("NFC", unicodedata.normalize("NFD", visible).casefold())
