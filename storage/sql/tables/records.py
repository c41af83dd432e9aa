"""What every feature writes beside its rows: idempotency keys and the event log."""

from __future__ import annotations

import sqlalchemy as sa

from storage.sql.tables.columns import Id, UtcDateTime, created_column, id_column, metadata, org_column

idempotency_keys = sa.Table(
    "idempotency_keys",
    metadata,
    org_column(primary_key=True),
    sa.Column("scope", sa.String(32), primary_key=True),
    sa.Column("key", sa.String(255), primary_key=True),
    sa.Column("fingerprint", sa.String(64), nullable=False),
    sa.Column("result", sa.JSON, nullable=False),
    created_column(),
)

events = sa.Table(
    "events",
    metadata,
    id_column(),
    org_column(),
    sa.Column("type", sa.String(64), nullable=False),
    sa.Column("version", sa.SmallInteger, nullable=False, server_default="1"),
    sa.Column("subject_type", sa.String(32), nullable=False),
    sa.Column("subject_id", Id, nullable=False),
    sa.Column("actor_id", Id, nullable=True),
    sa.Column("payload", sa.JSON, nullable=False),
    sa.Column("occurred_at", UtcDateTime, nullable=False),
    sa.Index("ix_events_org_id_id", "org_id", "id"),
)
