"""assets.blob_key index

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26

The orphan sweep asks, for a batch of library files, which ones an asset still refers
to (`blob_key IN (...)` across organisations); without an index that is a scan of
every asset per batch.
"""

from collections.abc import Sequence

from alembic import op


revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index('ix_assets_blob_key', 'assets', ['blob_key'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_assets_blob_key', table_name='assets')
