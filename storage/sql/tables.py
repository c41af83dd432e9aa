"""The SQL schema as SQLAlchemy Core tables: one metadata for SQLite and PostgreSQL.

Every tenant row carries `org_id`, and `org_id` leads the indexes that lists use. Link
tables lead their primary key with it too, so `org_id = ? AND asset_id IN (...)` is one
index range per id rather than a scan of the organisation's links.
Reads are Core selects mapped straight into domain dataclasses: hydrating ORM
entities costs several times as much for the same rows.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect

from domain.kernel.perceptual_hash import bands

metadata = sa.MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")  # SQLite's rowid alias must be INTEGER


class UtcDateTime(sa.TypeDecorator[datetime]):
    """Aware UTC datetimes on both databases (SQLite keeps no zone, PostgreSQL keeps timestamptz)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use aware UTC datetimes")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        moment: datetime = value
        return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _id() -> sa.Column[int]:
    return sa.Column("id", Id, primary_key=True, autoincrement=True)


def _org(*, primary_key: bool = False) -> sa.Column[int]:
    return sa.Column(
        "org_id",
        Id,
        sa.ForeignKey("organisations.id", ondelete="CASCADE"),
        nullable=False,
        primary_key=primary_key,
    )


def _member_ref(name: str) -> sa.Column[int]:
    return sa.Column(name, Id, sa.ForeignKey("members.id", ondelete="SET NULL"), nullable=True)


def _text(name: str, default: str = "") -> sa.Column[str]:
    return sa.Column(name, sa.Text, nullable=False, server_default=default)


def _created() -> sa.Column[datetime]:
    return sa.Column("created_at", UtcDateTime, nullable=False)


organisations = sa.Table(
    "organisations",
    metadata,
    _id(),
    sa.Column("slug", sa.String(63), nullable=False, unique=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("storage_quota_bytes", sa.BigInteger, nullable=False),
    sa.Column("credit_budget", sa.BigInteger, nullable=False),
    sa.Column("require_approval", sa.Boolean, nullable=False, server_default=sa.true()),
    sa.Column("require_alt_text", sa.Boolean, nullable=False, server_default=sa.true()),
    _created(),
    # running totals, moved by conditional UPDATEs so that concurrent saves and
    # generations cannot pass the quota or budget between a check and a write
    sa.Column("storage_used_bytes", sa.BigInteger, nullable=False, server_default="0"),
    sa.Column("credits_spent", sa.BigInteger, nullable=False, server_default="0"),
)

members = sa.Table(
    "members",
    metadata,
    _id(),
    _org(),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("email", sa.String(255), nullable=False),
    sa.Column("role", sa.String(16), nullable=False),
    _created(),
    sa.UniqueConstraint("org_id", "email", name="uq_members_org_email"),
)

api_tokens = sa.Table(
    "api_tokens",
    metadata,
    _id(),
    _org(),
    sa.Column("member_id", Id, sa.ForeignKey("members.id", ondelete="CASCADE"), nullable=False),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("prefix", sa.String(16), nullable=False),
    _created(),
    sa.Column("expires_at", UtcDateTime, nullable=True),
    sa.Column("revoked_at", UtcDateTime, nullable=True),
)

brand_kits = sa.Table(
    "brand_kits",
    metadata,
    _id(),
    _org(),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("name_key", sa.Text, nullable=False),
    _text("description"),
    sa.Column("colors", sa.JSON, nullable=False),
    _created(),
    sa.UniqueConstraint("org_id", "name_key", name="uq_brand_kits_org_name"),
)

sessions = sa.Table(
    "sessions",
    metadata,
    _id(),
    _org(),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("platform", sa.String(16), nullable=True),
    sa.Column("brand_kit_id", Id, sa.ForeignKey("brand_kits.id", ondelete="SET NULL"), nullable=True),
    sa.Column("aspect_ratio", sa.String(8), nullable=False),
    sa.Column("state", sa.String(8), nullable=False),
    _member_ref("created_by_id"),
    _created(),
    sa.Column("closed_at", UtcDateTime, nullable=True),
    sa.Index("ix_sessions_org_id_id", "org_id", "id"),
)

generations = sa.Table(
    "generations",
    metadata,
    _id(),
    _org(),
    sa.Column("session_id", Id, sa.ForeignKey("sessions.id", ondelete="CASCADE"), nullable=False),
    sa.Column("prompt", sa.Text, nullable=False),
    _text("negative_prompt"),
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
    _text("alt_text"),
    _text("rights_notes"),
    _text("source"),
    _text("intended_placement"),
    _text("review_reason"),
    _member_ref("reviewed_by_id"),
    sa.Column("reviewed_at", UtcDateTime, nullable=True),
    sa.Column("escalation_concern", sa.String(32), nullable=True),
    _text("escalation_reason"),
    # no FK: SQLite can add a column with a constraint only by rebuilding the table,
    # which with foreign keys on would cascade through likes and links
    sa.Column("escalated_by_id", Id, nullable=True),
    sa.Column("escalated_at", UtcDateTime, nullable=True),
    # No FK: assets also point back here, and SQLite cannot add a constraint to a cycle later.
    sa.Column("saved_asset_id", Id, nullable=True),
    sa.Column("blob_key", sa.String(64), nullable=False),
    sa.Column("mime_type", sa.String(32), nullable=False),
    sa.Column("byte_size", sa.BigInteger, nullable=False),
    _member_ref("created_by_id"),
    _created(),
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
    _org(primary_key=True),
    sa.Column("generation_id", Id, sa.ForeignKey("generations.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("asset_id", Id, sa.ForeignKey("assets.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("position", sa.Integer, nullable=False),
)

generation_likes = sa.Table(
    "generation_likes",
    metadata,
    _org(primary_key=True),
    sa.Column("generation_id", Id, sa.ForeignKey("generations.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("member_id", Id, sa.ForeignKey("members.id", ondelete="CASCADE"), primary_key=True),
    _created(),
    sa.Index("ix_generation_likes_org_member_generation", "org_id", "member_id", "generation_id"),
)

folders = sa.Table(
    "folders",
    metadata,
    _id(),
    _org(),
    sa.Column("parent_id", Id, sa.ForeignKey("folders.id", ondelete="CASCADE"), nullable=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("name_key", sa.Text, nullable=False),
    _created(),
    sa.UniqueConstraint("org_id", "parent_id", "name_key", name="uq_folders_sibling_name"),
    # NULL parents never collide in a unique constraint, so the roots need their own index
    sa.Index(
        "uq_folders_root_name",
        "org_id",
        "name_key",
        unique=True,
        sqlite_where=sa.text("parent_id IS NULL"),
        postgresql_where=sa.text("parent_id IS NULL"),
    ),
)

projects = sa.Table(
    "projects",
    metadata,
    _id(),
    _org(),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("name_key", sa.Text, nullable=False),
    _text("description"),
    sa.Column("archived", sa.Boolean, nullable=False, server_default=sa.false()),
    _created(),
    sa.UniqueConstraint("org_id", "name_key", name="uq_projects_org_name"),
)

tags = sa.Table(
    "tags",
    metadata,
    _id(),
    _org(),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("name_key", sa.Text, nullable=False),
    _created(),
    sa.UniqueConstraint("org_id", "name_key", name="uq_tags_org_name"),
)

# Partial indexes: PostgreSQL does not treat `trashed_at IS NULL` as an equality, so a
# (org_id, trashed_at, id) index could not serve "newest first" without a sort.
_LIVE = sa.text("trashed_at IS NULL")
_TRASHED = sa.text("trashed_at IS NOT NULL")

assets = sa.Table(
    "assets",
    metadata,
    _id(),
    _org(),
    sa.Column("name", sa.Text, nullable=False),
    _text("description"),
    _text("alt_text"),
    sa.Column("folder_id", Id, sa.ForeignKey("folders.id", ondelete="SET NULL"), nullable=True),
    sa.Column("blob_key", sa.String(64), nullable=False),
    sa.Column("mime_type", sa.String(32), nullable=False),
    sa.Column("byte_size", sa.BigInteger, nullable=False),
    sa.Column("width", sa.Integer, nullable=False),
    sa.Column("height", sa.Integer, nullable=False),
    sa.Column("ai_generated", sa.Boolean, nullable=False),
    # provenance, frozen from the generation at save time; meaningful when ai_generated
    sa.Column("generation_id", Id, sa.ForeignKey("generations.id", ondelete="SET NULL"), nullable=True),
    sa.Column("session_id", Id, sa.ForeignKey("sessions.id", ondelete="SET NULL"), nullable=True),
    _text("prompt"),
    _text("negative_prompt"),
    sa.Column("platform", sa.String(16), nullable=True),
    sa.Column("brand_kit_id", Id, sa.ForeignKey("brand_kits.id", ondelete="SET NULL"), nullable=True),
    sa.Column("aspect_ratio", sa.String(8), nullable=True),
    _text("provider"),
    _text("model"),
    sa.Column("seed", sa.BigInteger, nullable=True),
    sa.Column("credits_used", sa.Integer, nullable=False, server_default="0"),
    _member_ref("created_by_id"),
    _member_ref("reviewed_by_id"),
    sa.Column("reviewed_at", UtcDateTime, nullable=True),
    _text("rights_notes"),
    _text("source"),
    _text("intended_placement"),
    sa.Column("trashed_at", UtcDateTime, nullable=True),
    _created(),
    sa.Column("updated_at", UtcDateTime, nullable=False),
    sa.Column("rating", sa.SmallInteger, nullable=False, server_default="0"),  # 0-5, 0: not rated
    # domain.library.model.name_key(name), written wherever the name is, for the NAME sort
    sa.Column("name_key", sa.Text, nullable=False, server_default=""),
    sa.Index("ix_assets_org_live_id", "org_id", "id", sqlite_where=_LIVE, postgresql_where=_LIVE),
    sa.Index(
        "ix_assets_org_folder_live_id",
        "org_id",
        "folder_id",
        "id",
        sqlite_where=_LIVE,
        postgresql_where=_LIVE,
    ),
    sa.Index("ix_assets_org_trashed_id", "org_id", "id", sqlite_where=_TRASHED, postgresql_where=_TRASHED),
    sa.Index("ix_assets_blob_key", "blob_key"),  # is a library image still used? (the orphan sweep)
    # the sorts of `assets` within an organisation's live library (search: storage/search)
    sa.Index(
        "ix_assets_org_live_updated", "org_id", "updated_at", "id", sqlite_where=_LIVE, postgresql_where=_LIVE
    ),
    sa.Index(
        "ix_assets_org_live_name", "org_id", "name_key", "id", sqlite_where=_LIVE, postgresql_where=_LIVE
    ),
    sa.Index(
        "ix_assets_org_live_size", "org_id", "byte_size", "id", sqlite_where=_LIVE, postgresql_where=_LIVE
    ),
    sa.Index(
        "ix_assets_org_live_rating", "org_id", "rating", "id", sqlite_where=_LIVE, postgresql_where=_LIVE
    ),
)

asset_context_assets = sa.Table(
    "asset_context_assets",
    metadata,
    _org(primary_key=True),
    sa.Column("asset_id", Id, sa.ForeignKey("assets.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("context_asset_id", Id, sa.ForeignKey("assets.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("position", sa.Integer, nullable=False),
)

asset_tags = sa.Table(
    "asset_tags",
    metadata,
    _org(primary_key=True),
    sa.Column("asset_id", Id, sa.ForeignKey("assets.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("tag_id", Id, sa.ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True),
    sa.Index("ix_asset_tags_org_tag_asset", "org_id", "tag_id", "asset_id"),
)

asset_projects = sa.Table(
    "asset_projects",
    metadata,
    _org(primary_key=True),
    sa.Column("asset_id", Id, sa.ForeignKey("assets.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("project_id", Id, sa.ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True),
    sa.Index("ix_asset_projects_org_project_asset", "org_id", "project_id", "asset_id"),
)

asset_favourites = sa.Table(
    "asset_favourites",
    metadata,
    _org(primary_key=True),
    sa.Column("asset_id", Id, sa.ForeignKey("assets.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("member_id", Id, sa.ForeignKey("members.id", ondelete="CASCADE"), primary_key=True),
    _created(),
    sa.Index("ix_asset_favourites_org_member_asset", "org_id", "member_id", "asset_id"),
)

# the trash's retention purge runs across organisations, oldest trashed first
sa.Index("ix_assets_trashed_at", assets.c.trashed_at, sqlite_where=_TRASHED, postgresql_where=_TRASHED)

placements = sa.Table(
    "placements",
    metadata,
    _id(),
    _org(),
    sa.Column("asset_id", Id, sa.ForeignKey("assets.id", ondelete="CASCADE"), nullable=False),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("target_ref", sa.Text, nullable=False),
    sa.Column("project_id", Id, sa.ForeignKey("projects.id", ondelete="SET NULL"), nullable=True),
    sa.Column("scheduled_at", UtcDateTime, nullable=True),
    sa.Column("state", sa.String(10), nullable=False),
    _member_ref("proposed_by_id"),
    _created(),
    _member_ref("approved_by_id"),
    sa.Column("approved_at", UtcDateTime, nullable=True),
    # one placement of an asset per target and kind: proposing it again finds it; it also serves
    # `org_id = ? AND asset_id IN (...)`, the loaders of asset.placements and usageCount
    sa.UniqueConstraint("org_id", "asset_id", "target_ref", "kind", name="uq_placements_asset_target_kind"),
    sa.Index("ix_placements_org_target_id", "org_id", "target_ref", "id"),
    sa.Index("ix_placements_org_project_id", "org_id", "project_id", "id"),
)

uploads = sa.Table(
    "uploads",
    metadata,
    _id(),
    _org(),
    sa.Column("member_id", Id, sa.ForeignKey("members.id", ondelete="CASCADE"), nullable=False),
    sa.Column("blob_key", sa.String(64), nullable=False),
    sa.Column("mime_type", sa.String(32), nullable=False),
    sa.Column("byte_size", sa.BigInteger, nullable=False),
    sa.Column("width", sa.Integer, nullable=False),
    sa.Column("height", sa.Integer, nullable=False),
    _text("filename"),
    sa.Column("metadata", sa.JSON, nullable=False),
    _created(),
    sa.Column("expires_at", UtcDateTime, nullable=False),
    sa.Column("consumed_at", UtcDateTime, nullable=True),
    sa.Index("ix_uploads_expires_at", "expires_at"),
    sa.Index("ix_uploads_blob_key", "blob_key"),
)

idempotency_keys = sa.Table(
    "idempotency_keys",
    metadata,
    _org(primary_key=True),
    sa.Column("scope", sa.String(32), primary_key=True),
    sa.Column("key", sa.String(255), primary_key=True),
    sa.Column("fingerprint", sa.String(64), nullable=False),
    sa.Column("result", sa.JSON, nullable=False),
    _created(),
)

events = sa.Table(
    "events",
    metadata,
    _id(),
    _org(),
    sa.Column("type", sa.String(64), nullable=False),
    sa.Column("version", sa.SmallInteger, nullable=False, server_default="1"),
    sa.Column("subject_type", sa.String(32), nullable=False),
    sa.Column("subject_id", Id, nullable=False),
    sa.Column("actor_id", Id, nullable=True),
    sa.Column("payload", sa.JSON, nullable=False),
    sa.Column("occurred_at", UtcDateTime, nullable=False),
    sa.Index("ix_events_org_id_id", "org_id", "id"),
)

# processing: one job per subject (an asset or a generation), its outcome beside it
_DUE = sa.text("due_at IS NOT NULL")

jobs = sa.Table(
    "jobs",
    metadata,
    _id(),
    _org(),
    sa.Column("kind", sa.String(16), nullable=False, server_default="image"),
    sa.Column("subject_type", sa.String(16), nullable=False),  # asset | generation
    sa.Column("subject_id", Id, nullable=False),
    sa.Column("source_key", sa.String(64), nullable=False),  # the original's blob (sha256)
    sa.Column("state", sa.String(16), nullable=False),  # queued | running | done | failed
    sa.Column("attempts", sa.SmallInteger, nullable=False, server_default="0"),
    # when the job may next be claimed: the retry time while queued, the lease's end while
    # running, NULL once done or failed; the claim reads only this column's index
    sa.Column("due_at", UtcDateTime, nullable=True),
    sa.Column("claimed_by", sa.String(64), nullable=True),
    sa.Column("last_error", sa.String(32), nullable=True),  # a ProcessingError code, never a message
    _created(),
    sa.Column("updated_at", UtcDateTime, nullable=False),
    sa.UniqueConstraint("org_id", "subject_type", "subject_id", "kind", name="uq_jobs_org_subject"),
    sa.Index("ix_jobs_due_at", "due_at", sqlite_where=_DUE, postgresql_where=_DUE),
)

image_facts = sa.Table(
    "image_facts",
    metadata,
    _org(primary_key=True),
    sa.Column("subject_type", sa.String(16), primary_key=True),
    sa.Column("subject_id", Id, primary_key=True),
    sa.Column("format", sa.String(16), nullable=False),
    sa.Column("colour_mode", sa.String(16), nullable=False),
    sa.Column("dominant_colours", sa.JSON, nullable=False),  # ["#rrggbb", ...], most common first
    sa.Column("perceptual_hash", sa.BigInteger, nullable=False),  # 64-bit dHash, signed
    sa.Column("processed_at", UtcDateTime, nullable=False),
    # the hash's four 16-bit bands (domain.kernel.perceptual_hash.bands), written with it: any
    # asset within d bits of another shares a band within d // 4 bits, found by these indexes
    *(sa.Column(f"phash_band_{i}", sa.Integer, nullable=False) for i in range(4)),
    *(
        # subject_id and the hash too, so a band lookup reads the index alone
        sa.Index(
            f"ix_image_facts_org_band_{i}",
            "org_id",
            "subject_type",
            f"phash_band_{i}",
            "subject_id",
            "perceptual_hash",
        )
        for i in range(4)
    ),
)


def perceptual_hash_columns(perceptual_hash: int) -> dict[str, int]:
    """An `image_facts` row's hash and its bands, as every writer of the row must set them together."""
    return {
        "perceptual_hash": perceptual_hash,
        **{f"phash_band_{i}": band for i, band in enumerate(bands(perceptual_hash))},
    }


renditions = sa.Table(
    "renditions",
    metadata,
    _org(primary_key=True),
    sa.Column("subject_type", sa.String(16), primary_key=True),
    sa.Column("subject_id", Id, primary_key=True),
    sa.Column("size", sa.SmallInteger, primary_key=True),  # the long edge asked for: 256, 1024
    sa.Column("blob_key", sa.String(64), nullable=False),  # in the `renditions` blob area
    sa.Column("width", sa.Integer, nullable=False),
    sa.Column("height", sa.Integer, nullable=False),
    sa.Column("byte_size", sa.BigInteger, nullable=False),
    sa.Index("ix_renditions_blob_key", "blob_key"),  # is a rendition blob still used? (an orphan sweep)
)
