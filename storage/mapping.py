"""Rows to domain dataclasses: plain functions over Core result rows, no ORM hydration."""

from __future__ import annotations

from typing import Any

from domain.kernel.access import Role
from domain.library.model import Asset, Folder, Project, Provenance, Tag
from domain.organisations.model import ApiToken, Member, Organisation
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


def organisation(r: Row) -> Organisation:
    return Organisation(
        id=r.id,
        slug=r.slug,
        name=r.name,
        storage_quota_bytes=r.storage_quota_bytes,
        credit_budget=r.credit_budget,
        require_approval=r.require_approval,
        require_alt_text=r.require_alt_text,
        created_at=r.created_at,
        storage_used_bytes=r.storage_used_bytes,
        credits_spent=r.credits_spent,
    )


def member(r: Row) -> Member:
    return Member(
        id=r.id, org_id=r.org_id, name=r.name, email=r.email, role=Role(r.role), created_at=r.created_at
    )


def api_token(r: Row) -> ApiToken:
    return ApiToken(
        id=r.id,
        org_id=r.org_id,
        member_id=r.member_id,
        name=r.name,
        token_hash=r.token_hash,
        prefix=r.prefix,
        created_at=r.created_at,
        expires_at=r.expires_at,
        revoked_at=r.revoked_at,
    )


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
