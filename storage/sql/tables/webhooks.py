"""Webhooks: partners' subscriptions, their deliveries (the outbox), and the dispatcher's cursor."""

from __future__ import annotations

import sqlalchemy as sa

from storage.sql.tables.columns import Id, UtcDateTime, created_column, id_column, metadata, org_column

_DUE = sa.text("due_at IS NOT NULL")

webhooks = sa.Table(
    "webhooks",
    metadata,
    id_column(),
    org_column(),
    sa.Column("url", sa.String(2000), nullable=False),
    sa.Column("event_types", sa.JSON, nullable=False),  # ["asset.saved", ...], sorted
    sa.Column("description", sa.Text, nullable=False, server_default=""),
    sa.Column("state", sa.String(16), nullable=False),  # enabled | disabled
    sa.Column("disabled_reason", sa.String(300), nullable=True),
    # salts, not secrets: the secret is HMAC(server key, salt) (domain.webhooks.signing)
    sa.Column("secret_salt", sa.String(64), nullable=False),
    sa.Column("previous_secret_salt", sa.String(64), nullable=True),
    sa.Column("previous_secret_expires_at", UtcDateTime, nullable=True),
    sa.Column("failing_since", UtcDateTime, nullable=True),  # the first failure since the last success
    created_column(),
    sa.Column("updated_at", UtcDateTime, nullable=False),
    sa.Index("ix_webhooks_org_id", "org_id", "id"),
)

webhook_deliveries = sa.Table(
    "webhook_deliveries",
    metadata,
    id_column(),
    org_column(),
    sa.Column("webhook_id", Id, sa.ForeignKey("webhooks.id", ondelete="CASCADE"), nullable=False),
    sa.Column("event_seq", Id, nullable=False),
    sa.Column("event_type", sa.String(64), nullable=False),
    sa.Column("subject_type", sa.String(32), nullable=False),
    sa.Column("subject_id", Id, nullable=False),
    sa.Column("body", sa.Text, nullable=False),  # fixed when made: a redelivery sends the same bytes
    sa.Column("status", sa.String(16), nullable=False),  # pending | delivered | failed
    sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
    sa.Column("response_status", sa.SmallInteger, nullable=True),
    sa.Column("duration_ms", sa.Integer, nullable=True),
    sa.Column("last_error", sa.String(32), nullable=True),  # a DeliveryError code, never a message
    created_column(),
    # when it may next be claimed: the retry time, or the lease's end while a sender holds it;
    # NULL once delivered
    sa.Column("due_at", UtcDateTime, nullable=True),
    sa.Column("claimed_by", sa.String(64), nullable=True),
    sa.Column("delivered_at", UtcDateTime, nullable=True),
    sa.UniqueConstraint("webhook_id", "event_seq", name="uq_webhook_deliveries_webhook_event"),
    sa.Index("ix_webhook_deliveries_due_at", "due_at", sqlite_where=_DUE, postgresql_where=_DUE),
    # "is an earlier delivery of this webhook and subject undelivered?", asked per claimed row
    sa.Index("ix_webhook_deliveries_subject", "webhook_id", "subject_type", "subject_id", "id"),
    sa.Index("ix_webhook_deliveries_org_webhook", "org_id", "webhook_id", "id"),
)

webhook_dispatch = sa.Table(
    "webhook_dispatch",
    metadata,
    sa.Column("id", sa.SmallInteger, primary_key=True),
    sa.Column("last_seq", Id, nullable=False),  # the last event cursor turned into deliveries
)
