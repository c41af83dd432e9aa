"""Library entities: permanent assets, the folders, projects and tags that organise them."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

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


@dataclass(frozen=True, slots=True)
class Folder:
    """A folder of assets; folders nest, and names are unique among siblings."""

    id: int
    org_id: int
    parent_id: int | None
    name: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Project:
    """A campaign that assets are linked to."""

    id: int
    org_id: int
    name: str
    description: str
    archived: bool
    created_at: datetime


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
