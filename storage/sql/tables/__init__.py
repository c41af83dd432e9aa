"""The SQL schema as SQLAlchemy Core tables: one metadata for SQLite and PostgreSQL, a module per feature.

Every tenant row carries `org_id`, and `org_id` leads the indexes that lists use. Link
tables lead their primary key with it too, so `org_id = ? AND asset_id IN (...)` is one
index range per id rather than a scan of the organisation's links.
Reads are Core selects mapped straight into domain dataclasses: hydrating ORM
entities costs several times as much for the same rows. Code reads the tables from here
(`from storage.sql import tables as t`; `t.assets`).
"""

from __future__ import annotations

from storage.sql.tables.columns import Id, UtcDateTime, metadata
from storage.sql.tables.library import (
    asset_context_assets,
    asset_favourites,
    asset_projects,
    asset_tags,
    assets,
    folders,
    placements,
    projects,
    tags,
)
from storage.sql.tables.organisations import (
    api_tokens,
    members,
    organisations,
)
from storage.sql.tables.processing import (
    image_facts,
    jobs,
    perceptual_hash_columns,
    renditions,
)
from storage.sql.tables.records import (
    event_log,
    events,
    idempotency_keys,
)
from storage.sql.tables.studio import (
    brand_kits,
    generation_context_assets,
    generation_likes,
    generations,
    sessions,
    uploads,
)
from storage.sql.tables.webhooks import (
    webhook_deliveries,
    webhook_dispatch,
    webhooks,
)

__all__ = [
    "Id",
    "UtcDateTime",
    "api_tokens",
    "asset_context_assets",
    "asset_favourites",
    "asset_projects",
    "asset_tags",
    "assets",
    "brand_kits",
    "event_log",
    "events",
    "folders",
    "generation_context_assets",
    "generation_likes",
    "generations",
    "idempotency_keys",
    "image_facts",
    "jobs",
    "members",
    "metadata",
    "organisations",
    "perceptual_hash_columns",
    "placements",
    "projects",
    "renditions",
    "sessions",
    "tags",
    "uploads",
    "webhook_deliveries",
    "webhook_dispatch",
    "webhooks",
]
