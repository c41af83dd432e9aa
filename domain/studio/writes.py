"""What the Studio's services hand their repositories to create: new sessions, generations and uploads."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from domain.kernel.media import EmbeddedMetadata
from domain.studio.model import AspectRatio, Platform


@dataclass(frozen=True, slots=True)
class NewSession:
    """A session to open."""

    org_id: int
    title: str
    platform: Platform | None
    brand_kit_id: int | None
    aspect_ratio: AspectRatio
    created_by_id: int
    created_at: datetime


@dataclass(frozen=True, slots=True)
class NewGeneration:
    """A generation to record, its image already in the scratch area of the blob store."""

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
    blob_key: str
    mime_type: str
    byte_size: int
    created_by_id: int
    created_at: datetime
    expires_at: datetime | None
    context_asset_ids: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class NewUpload:
    """A received, inspected image file to remember until it is imported."""

    org_id: int
    member_id: int
    blob_key: str
    mime_type: str
    byte_size: int
    width: int
    height: int
    filename: str
    metadata: EmbeddedMetadata
    created_at: datetime
    expires_at: datetime
