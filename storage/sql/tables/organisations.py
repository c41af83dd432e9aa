"""Organisations, their members and API tokens."""

from __future__ import annotations

import sqlalchemy as sa

from storage.sql.tables.columns import Id, UtcDateTime, created_column, id_column, metadata, org_column

organisations = sa.Table(
    "organisations",
    metadata,
    id_column(),
    sa.Column("slug", sa.String(63), nullable=False, unique=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("storage_quota_bytes", sa.BigInteger, nullable=False),
    sa.Column("credit_budget", sa.BigInteger, nullable=False),
    sa.Column("require_approval", sa.Boolean, nullable=False, server_default=sa.true()),
    sa.Column("require_alt_text", sa.Boolean, nullable=False, server_default=sa.true()),
    created_column(),
    # running totals, moved by conditional UPDATEs so that concurrent saves and
    # generations cannot pass the quota or budget between a check and a write
    sa.Column("storage_used_bytes", sa.BigInteger, nullable=False, server_default="0"),
    sa.Column("credits_spent", sa.BigInteger, nullable=False, server_default="0"),
)

members = sa.Table(
    "members",
    metadata,
    id_column(),
    org_column(),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("email", sa.String(255), nullable=False),
    sa.Column("role", sa.String(16), nullable=False),
    created_column(),
    sa.UniqueConstraint("org_id", "email", name="uq_members_org_email"),
)

api_tokens = sa.Table(
    "api_tokens",
    metadata,
    id_column(),
    org_column(),
    sa.Column("member_id", Id, sa.ForeignKey("members.id", ondelete="CASCADE"), nullable=False),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("prefix", sa.String(16), nullable=False),
    created_column(),
    sa.Column("expires_at", UtcDateTime, nullable=True),
    sa.Column("revoked_at", UtcDateTime, nullable=True),
)
