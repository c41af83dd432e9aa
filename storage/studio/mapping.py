"""Studio rows to domain dataclasses, field by field name (storage.sql.rows); no ORM hydration."""

from __future__ import annotations

from typing import Any

from domain.studio.model import BrandKit, Concern, Escalation, Generation, ReviewNotes, Session, Upload
from storage.sql.rows import from_row

Row = Any  # sqlalchemy.Row; attribute access by column name


def brand_kit(r: Row) -> BrandKit:
    return from_row(BrandKit, r, colors=tuple(r.colors))


def session(r: Row) -> Session:
    return from_row(Session, r)


def generation(r: Row) -> Generation:
    # the review notes and the escalation are columns of the generation's own row
    escalation = (
        Escalation(
            Concern(r.escalation_concern) if r.escalation_concern else None,
            r.escalation_reason,
            r.escalated_by_id,
            r.escalated_at,
        )
        if r.escalated_at
        else None
    )
    review = ReviewNotes(r.alt_text, r.rights_notes, r.source, r.intended_placement, r.review_reason)
    return from_row(Generation, r, review=review, escalation=escalation)


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
