"""The Studio: brand kits, sessions, generations, their context assets and likes, received uploads."""

from __future__ import annotations

import sqlalchemy as sa

from storage.sql.tables.columns import (
    Id,
    UtcDateTime,
    created_column,
    id_column,
    member_ref,
    metadata,
    org_column,
    text_column,
)

brand_kits = sa.Table(
    "brand_kits",
    metadata,
    id_column(),
    org_column(),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("name_key", sa.Text, nullable=False),
    text_column("description"),
    sa.Column("colors", sa.JSON, nullable=False),
    created_column(),
    sa.UniqueConstraint("org_id", "name_key", name="uq_brand_kits_org_name"),
)

sessions = sa.Table(
    "sessions",
    metadata,
    id_column(),
    org_column(),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("platform", sa.String(16), nullable=True),
    sa.Column("brand_kit_id", Id, sa.ForeignKey("brand_kits.id", ondelete="SET NULL"), nullable=True),
    sa.Column("aspect_ratio", sa.String(8), nullable=False),
    sa.Column("state", sa.String(8), nullable=False),
    member_ref("created_by_id"),
    created_column(),
    sa.Column("closed_at", UtcDateTime, nullable=True),
    sa.Index("ix_sessions_org_id_id", "org_id", "id"),
)

generations = sa.Table(
    "generations",
    metadata,
    id_column(),
    org_column(),
    sa.Column("session_id", Id, sa.ForeignKey("sessions.id", ondelete="CASCADE"), nullable=False),
    sa.Column("prompt", sa.Text, nullable=False),
    text_column("negative_prompt"),
    sa.Column("platform", sa.String(16), nullable=True),
    sa.Column("brand_kit_id", Id, sa.ForeignKey("brand_kits.id", ondelete="SET NULL"), nullable=True),
    sa.Column("aspect_ratio", sa.String(8), nullable=False),
    sa.Column("width", sa.Integer, nullable=False),
    sa.Column("height", sa.Integer, nullable=False),
    sa.Column("provider", sa.String(64), nullable=False),
    sa.Column("model", sa.String(128), nullable=False),
    sa.Column("seed", sa.BigInteger, nullable=True),
    sa.Column("credits_used", sa.Integer, nullable=False, server_default="0"),
    sa.Column("review_state", sa.String(12), nullable=False),
    text_column("alt_text"),
    text_column("rights_notes"),
    text_column("source"),
    text_column("intended_placement"),
    text_column("review_reason"),
    member_ref("reviewed_by_id"),
    sa.Column("reviewed_at", UtcDateTime, nullable=True),
    sa.Column("escalation_concern", sa.String(32), nullable=True),
    text_column("escalation_reason"),
    # no FK: SQLite can add a column with a constraint only by rebuilding the table,
    # which with foreign keys on would cascade through likes and links
    sa.Column("escalated_by_id", Id, nullable=True),
    sa.Column("escalated_at", UtcDateTime, nullable=True),
    # No FK: assets also point back here, and SQLite cannot add a constraint to a cycle later.
    sa.Column("saved_asset_id", Id, nullable=True),
    sa.Column("blob_key", sa.String(64), nullable=False),
    sa.Column("mime_type", sa.String(32), nullable=False),
    sa.Column("byte_size", sa.BigInteger, nullable=False),
    member_ref("created_by_id"),
    created_column(),
    sa.Column("expires_at", UtcDateTime, nullable=True),
    sa.Index("ix_generations_org_id_id", "org_id", "id"),
    sa.Index("ix_generations_org_id_session_id_id", "org_id", "session_id", "id"),
    sa.Index("ix_generations_org_id_review_state_id", "org_id", "review_state", "id"),
    # the retention sweep runs across organisations
    sa.Index("ix_generations_expires_at", "expires_at"),
    sa.Index("ix_generations_blob_key", "blob_key"),  # is a scratch image still used?
)

generation_context_assets = sa.Table(
    "generation_context_assets",
    metadata,
    org_column(primary_key=True),
    sa.Column("generation_id", Id, sa.ForeignKey("generations.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("asset_id", Id, sa.ForeignKey("assets.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("position", sa.Integer, nullable=False),
)

generation_likes = sa.Table(
    "generation_likes",
    metadata,
    org_column(primary_key=True),
    sa.Column("generation_id", Id, sa.ForeignKey("generations.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("member_id", Id, sa.ForeignKey("members.id", ondelete="CASCADE"), primary_key=True),
    created_column(),
    sa.Index("ix_generation_likes_org_member_generation", "org_id", "member_id", "generation_id"),
)


uploads = sa.Table(
    "uploads",
    metadata,
    id_column(),
    org_column(),
    sa.Column("member_id", Id, sa.ForeignKey("members.id", ondelete="CASCADE"), nullable=False),
    sa.Column("blob_key", sa.String(64), nullable=False),
    sa.Column("mime_type", sa.String(32), nullable=False),
    sa.Column("byte_size", sa.BigInteger, nullable=False),
    sa.Column("width", sa.Integer, nullable=False),
    sa.Column("height", sa.Integer, nullable=False),
    text_column("filename"),
    sa.Column("metadata", sa.JSON, nullable=False),
    created_column(),
    sa.Column("expires_at", UtcDateTime, nullable=False),
    sa.Column("consumed_at", UtcDateTime, nullable=True),
    sa.Index("ix_uploads_expires_at", "expires_at"),
    sa.Index("ix_uploads_blob_key", "blob_key"),
)
