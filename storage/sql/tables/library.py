"""The library: folders, projects, tags, assets, their links and favourites, placements."""

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

folders = sa.Table(
    "folders",
    metadata,
    id_column(),
    org_column(),
    sa.Column("parent_id", Id, sa.ForeignKey("folders.id", ondelete="CASCADE"), nullable=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("name_key", sa.Text, nullable=False),
    created_column(),
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
    id_column(),
    org_column(),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("name_key", sa.Text, nullable=False),
    text_column("description"),
    sa.Column("archived", sa.Boolean, nullable=False, server_default=sa.false()),
    created_column(),
    sa.UniqueConstraint("org_id", "name_key", name="uq_projects_org_name"),
)

tags = sa.Table(
    "tags",
    metadata,
    id_column(),
    org_column(),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("name_key", sa.Text, nullable=False),
    created_column(),
    sa.UniqueConstraint("org_id", "name_key", name="uq_tags_org_name"),
)

# Partial indexes: PostgreSQL does not treat `trashed_at IS NULL` as an equality, so a
# (org_id, trashed_at, id) index could not serve "newest first" without a sort.
_LIVE = sa.text("trashed_at IS NULL")
_TRASHED = sa.text("trashed_at IS NOT NULL")

assets = sa.Table(
    "assets",
    metadata,
    id_column(),
    org_column(),
    sa.Column("name", sa.Text, nullable=False),
    text_column("description"),
    text_column("alt_text"),
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
    text_column("prompt"),
    text_column("negative_prompt"),
    sa.Column("platform", sa.String(16), nullable=True),
    sa.Column("brand_kit_id", Id, sa.ForeignKey("brand_kits.id", ondelete="SET NULL"), nullable=True),
    sa.Column("aspect_ratio", sa.String(8), nullable=True),
    text_column("provider"),
    text_column("model"),
    sa.Column("seed", sa.BigInteger, nullable=True),
    sa.Column("credits_used", sa.Integer, nullable=False, server_default="0"),
    member_ref("created_by_id"),
    member_ref("reviewed_by_id"),
    sa.Column("reviewed_at", UtcDateTime, nullable=True),
    text_column("rights_notes"),
    text_column("source"),
    text_column("intended_placement"),
    sa.Column("trashed_at", UtcDateTime, nullable=True),
    created_column(),
    sa.Column("updated_at", UtcDateTime, nullable=False),
    sa.Column("rating", sa.SmallInteger, nullable=False, server_default="0"),  # 0-5, 0: not rated
    # domain.library.model.name_key(name), written wherever the name is, for the NAME sort
    sa.Column("name_key", sa.Text, nullable=False, server_default=""),
    sa.Index("ix_assets_org_live_id", "org_id", "id", sqlite_where=_LIVE, postgresql_where=_LIVE),
    # trashed_at (always NULL here) makes it covering for the folder facet: SQLite still tests the
    # partial index's own condition per row (migration 0015)
    sa.Index(
        "ix_assets_org_folder_live_id",
        "org_id",
        "folder_id",
        "id",
        "trashed_at",
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
    # the facets of a column (storage/search): a count by value reads the index alone (migration 0015)
    *(
        sa.Index(
            f"ix_assets_org_live_{column}",
            "org_id",
            column,
            "id",
            "trashed_at",
            sqlite_where=_LIVE,
            postgresql_where=_LIVE,
        )
        for column in ("mime_type", "ai_generated", "provider", "model")
    ),
)

asset_context_assets = sa.Table(
    "asset_context_assets",
    metadata,
    org_column(primary_key=True),
    sa.Column("asset_id", Id, sa.ForeignKey("assets.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("context_asset_id", Id, sa.ForeignKey("assets.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("position", sa.Integer, nullable=False),
)

asset_tags = sa.Table(
    "asset_tags",
    metadata,
    org_column(primary_key=True),
    sa.Column("asset_id", Id, sa.ForeignKey("assets.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("tag_id", Id, sa.ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True),
    sa.Index("ix_asset_tags_org_tag_asset", "org_id", "tag_id", "asset_id"),
)

asset_projects = sa.Table(
    "asset_projects",
    metadata,
    org_column(primary_key=True),
    sa.Column("asset_id", Id, sa.ForeignKey("assets.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("project_id", Id, sa.ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True),
    sa.Index("ix_asset_projects_org_project_asset", "org_id", "project_id", "asset_id"),
)

asset_favourites = sa.Table(
    "asset_favourites",
    metadata,
    org_column(primary_key=True),
    sa.Column("asset_id", Id, sa.ForeignKey("assets.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("member_id", Id, sa.ForeignKey("members.id", ondelete="CASCADE"), primary_key=True),
    created_column(),
    sa.Index("ix_asset_favourites_org_member_asset", "org_id", "member_id", "asset_id"),
)

# the trash's retention purge runs across organisations, oldest trashed first
sa.Index("ix_assets_trashed_at", assets.c.trashed_at, sqlite_where=_TRASHED, postgresql_where=_TRASHED)

placements = sa.Table(
    "placements",
    metadata,
    id_column(),
    org_column(),
    sa.Column("asset_id", Id, sa.ForeignKey("assets.id", ondelete="CASCADE"), nullable=False),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("target_ref", sa.Text, nullable=False),
    sa.Column("project_id", Id, sa.ForeignKey("projects.id", ondelete="SET NULL"), nullable=True),
    sa.Column("scheduled_at", UtcDateTime, nullable=True),
    sa.Column("state", sa.String(10), nullable=False),
    member_ref("proposed_by_id"),
    created_column(),
    member_ref("approved_by_id"),
    sa.Column("approved_at", UtcDateTime, nullable=True),
    # one placement of an asset per target and kind: proposing it again finds it; it also serves
    # `org_id = ? AND asset_id IN (...)`, the loaders of asset.placements and usageCount
    sa.UniqueConstraint("org_id", "asset_id", "target_ref", "kind", name="uq_placements_asset_target_kind"),
    sa.Index("ix_placements_org_target_id", "org_id", "target_ref", "id"),
    sa.Index("ix_placements_org_project_id", "org_id", "project_id", "id"),
)
