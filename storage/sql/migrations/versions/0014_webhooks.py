"""webhooks, their deliveries (the outbox) and the dispatcher's cursor

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-30

The dispatcher starts at the log's head: events before webhooks existed go to no one.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.sql.tables.columns import UtcDateTime

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
DUE = sa.text("due_at IS NOT NULL")


def upgrade() -> None:
    op.create_table(
        "webhooks",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column("org_id", Id, sa.ForeignKey("organisations.id", ondelete="CASCADE"), nullable=False),
        sa.Column("url", sa.String(2000), nullable=False),
        sa.Column("event_types", sa.JSON, nullable=False),
        sa.Column("description", sa.Text, nullable=False, server_default=""),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("disabled_reason", sa.String(300), nullable=True),
        sa.Column("secret_salt", sa.String(64), nullable=False),
        sa.Column("previous_secret_salt", sa.String(64), nullable=True),
        sa.Column("previous_secret_expires_at", UtcDateTime, nullable=True),
        sa.Column("failing_since", UtcDateTime, nullable=True),
        sa.Column("created_at", UtcDateTime, nullable=False),
        sa.Column("updated_at", UtcDateTime, nullable=False),
    )
    op.create_index("ix_webhooks_org_id", "webhooks", ["org_id", "id"])
    op.create_table(
        "webhook_deliveries",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column("org_id", Id, sa.ForeignKey("organisations.id", ondelete="CASCADE"), nullable=False),
        sa.Column("webhook_id", Id, sa.ForeignKey("webhooks.id", ondelete="CASCADE"), nullable=False),
        sa.Column("event_seq", Id, nullable=False),
        sa.Column("event_type", sa.String(64), nullable=False),
        sa.Column("subject_type", sa.String(32), nullable=False),
        sa.Column("subject_id", Id, nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("response_status", sa.SmallInteger, nullable=True),
        sa.Column("duration_ms", sa.Integer, nullable=True),
        sa.Column("last_error", sa.String(32), nullable=True),
        sa.Column("created_at", UtcDateTime, nullable=False),
        sa.Column("due_at", UtcDateTime, nullable=True),
        sa.Column("claimed_by", sa.String(64), nullable=True),
        sa.Column("delivered_at", UtcDateTime, nullable=True),
        sa.UniqueConstraint("webhook_id", "event_seq", name="uq_webhook_deliveries_webhook_event"),
    )
    op.create_index(
        "ix_webhook_deliveries_due_at", "webhook_deliveries", ["due_at"], sqlite_where=DUE, postgresql_where=DUE
    )
    op.create_index(
        "ix_webhook_deliveries_subject", "webhook_deliveries", ["webhook_id", "subject_type", "subject_id", "id"]
    )
    op.create_index("ix_webhook_deliveries_org_webhook", "webhook_deliveries", ["org_id", "webhook_id", "id"])
    op.create_table(
        "webhook_dispatch",
        sa.Column("id", sa.SmallInteger, primary_key=True),
        sa.Column("last_seq", Id, nullable=False),
    )
    op.execute("INSERT INTO webhook_dispatch (id, last_seq) SELECT 1, last_seq FROM event_log WHERE id = 1")


def downgrade() -> None:
    op.drop_table("webhook_dispatch")
    op.drop_table("webhook_deliveries")
    op.drop_table("webhooks")
