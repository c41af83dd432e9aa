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
    # the cursor: given in commit order once committed (migration 0013); NULL until then on PostgreSQL
    sa.Column("seq", Id, nullable=True),
    sa.Index("ix_events_seq", "seq", unique=True),
    sa.Index("ix_events_org_id_seq", "org_id", "seq"),
    sa.Index("ix_events_subject", "org_id", "subject_type", "subject_id", "seq"),
    sa.Index(
        "ix_events_unsequenced",
        "id",
        sqlite_where=sa.text("seq IS NULL"),
        postgresql_where=sa.text("seq IS NULL"),
    ),
)

event_log = sa.Table(
    "event_log",
    metadata,
    sa.Column("id", sa.SmallInteger, primary_key=True),
    sa.Column("last_seq", Id, nullable=False),  # the last cursor given
    sa.Column("pruned_through", Id, nullable=False),  # the last one retention deleted: older ones expired
)
