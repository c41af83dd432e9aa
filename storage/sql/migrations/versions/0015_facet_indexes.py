"""facet indexes: (org_id, column) over the live assets, for the media type, AI, provider and model facets

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-30

Each facet of a column of assets counts the organisation's live assets by that column. With
no index holding the column, SQLite walked another live index (the rating's) and read every
asset's row to find its value: 110-130 ms per facet at 100,000 assets. With one, the count
reads the index alone, in the order of the GROUP BY (no temporary B-tree): about a fifth.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LIVE = sa.text("trashed_at IS NULL")
INDEXES = {
    "ix_assets_org_live_mime_type": "mime_type",
    "ix_assets_org_live_ai_generated": "ai_generated",
    "ix_assets_org_live_provider": "provider",
    "ix_assets_org_live_model": "model",
}


def upgrade() -> None:
    for index, column in INDEXES.items():
        op.create_index(index, "assets", ["org_id", column], sqlite_where=LIVE, postgresql_where=LIVE)


def downgrade() -> None:
    for index in INDEXES:
        op.drop_index(index, table_name="assets", sqlite_where=LIVE, postgresql_where=LIVE)
