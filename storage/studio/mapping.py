"""Studio rows to domain dataclasses: plain functions over Core rows, no ORM hydration."""

from __future__ import annotations

from typing import Any

from domain.studio.model import (
    AspectRatio,
    BrandKit,
    Concern,
    Escalation,
    Generation,
    Platform,
    ReviewNotes,
    ReviewState,
    Session,
    SessionState,
    Upload,
)

Row = Any  # sqlalchemy.Row; attribute access by column name


def brand_kit(r: Row) -> BrandKit:
    return BrandKit(
        id=r.id,
        org_id=r.org_id,
        name=r.name,
        description=r.description,
        colors=tuple(r.colors),
        created_at=r.created_at,
    )


def session(r: Row) -> Session:
    return Session(
        id=r.id,
        org_id=r.org_id,
        title=r.title,
        platform=Platform(r.platform) if r.platform else None,
        brand_kit_id=r.brand_kit_id,
        aspect_ratio=AspectRatio(r.aspect_ratio),
        state=SessionState(r.state),
        created_by_id=r.created_by_id,
        created_at=r.created_at,
        closed_at=r.closed_at,
    )


def generation(r: Row) -> Generation:
    return Generation(
        id=r.id,
        org_id=r.org_id,
        session_id=r.session_id,
        prompt=r.prompt,
        negative_prompt=r.negative_prompt,
        platform=Platform(r.platform) if r.platform else None,
        brand_kit_id=r.brand_kit_id,
        aspect_ratio=AspectRatio(r.aspect_ratio),
        width=r.width,
        height=r.height,
        provider=r.provider,
        model=r.model,
        seed=r.seed,
        credits_used=r.credits_used,
        review_state=ReviewState(r.review_state),
        review=ReviewNotes(
            alt_text=r.alt_text,
            rights_notes=r.rights_notes,
            source=r.source,
            intended_placement=r.intended_placement,
            reason=r.review_reason,
        ),
        reviewed_by_id=r.reviewed_by_id,
        reviewed_at=r.reviewed_at,
        saved_asset_id=r.saved_asset_id,
        blob_key=r.blob_key,
        mime_type=r.mime_type,
        byte_size=r.byte_size,
        created_by_id=r.created_by_id,
        created_at=r.created_at,
        expires_at=r.expires_at,
        escalation=Escalation(
            Concern(r.escalation_concern) if r.escalation_concern else None,
            r.escalation_reason,
            r.escalated_by_id,
            r.escalated_at,
        )
        if r.escalated_at
        else None,
    )


def upload(r: Row) -> Upload:
    m = r.metadata or {}
    return Upload(
        id=r.id,
        org_id=r.org_id,
        member_id=r.member_id,
        blob_key=r.blob_key,
        mime_type=r.mime_type,
        byte_size=r.byte_size,
        width=r.width,
        height=r.height,
        filename=r.filename,
        prompt=m.get("prompt") or "",
        negative_prompt=m.get("negative_prompt") or "",
        seed=m.get("seed"),
        model=m.get("model") or "",
        tool=m.get("tool"),
        created_at=r.created_at,
        expires_at=r.expires_at,
        consumed_at=r.consumed_at,
    )
