"""Library rows to domain dataclasses: plain functions over Core rows, no ORM hydration."""

from __future__ import annotations

from typing import Any

from domain.library.model import Asset, Folder, Project, Provenance, Tag
from domain.studio.model import AspectRatio, Platform

Row = Any  # sqlalchemy.Row; attribute access by column name


def asset(r: Row) -> Asset:
    provenance = None
    if r.ai_generated:
        provenance = Provenance(
            generation_id=r.generation_id,
            session_id=r.session_id,
            prompt=r.prompt,
            negative_prompt=r.negative_prompt,
            platform=Platform(r.platform) if r.platform else None,
            brand_kit_id=r.brand_kit_id,
            aspect_ratio=AspectRatio(r.aspect_ratio) if r.aspect_ratio else None,
            provider=r.provider,
            model=r.model,
            seed=r.seed,
            credits_used=r.credits_used,
            created_by_id=r.created_by_id,
            reviewed_by_id=r.reviewed_by_id,
            reviewed_at=r.reviewed_at,
            rights_notes=r.rights_notes,
            source=r.source,
            intended_placement=r.intended_placement,
        )
    return Asset(
        id=r.id,
        org_id=r.org_id,
        name=r.name,
        description=r.description,
        alt_text=r.alt_text,
        folder_id=r.folder_id,
        blob_key=r.blob_key,
        mime_type=r.mime_type,
        byte_size=r.byte_size,
        width=r.width,
        height=r.height,
        ai_generated=r.ai_generated,
        provenance=provenance,
        trashed_at=r.trashed_at,
        created_at=r.created_at,
        updated_at=r.updated_at,
    )


def folder(r: Row) -> Folder:
    return Folder(id=r.id, org_id=r.org_id, parent_id=r.parent_id, name=r.name, created_at=r.created_at)


def project(r: Row) -> Project:
    return Project(
        id=r.id,
        org_id=r.org_id,
        name=r.name,
        description=r.description,
        archived=r.archived,
        created_at=r.created_at,
    )


def tag(r: Row) -> Tag:
    return Tag(id=r.id, org_id=r.org_id, name=r.name, created_at=r.created_at)
