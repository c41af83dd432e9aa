"""What saving hands the library repository to create: a new asset with its frozen provenance."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from domain.library.model import Provenance


@dataclass(frozen=True, slots=True)
class NewAsset:
    """A library asset to create, with its frozen provenance and links."""

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
    provenance: Provenance | None
    created_at: datetime
    tag_ids: tuple[int, ...] = ()
    project_ids: tuple[int, ...] = ()
    context_asset_ids: tuple[int, ...] = field(default=())
