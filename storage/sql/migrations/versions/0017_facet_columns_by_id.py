"""facet columns by id: a search's matches read from an index, not from their rows (SQLite)

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-01

A search's facets find the matching assets once per statement: the full-text match gives
ids (of every organisation: the full-text table is not by organisation), and each id is
looked up for its organisation, its trash state and the five columns the facets count
(folder, media type, AI, provider, model). Looked up in the table, each is a walk to a wide
row (names, alt text, provenance): for a common word at 100,000 assets that was 18 ms of a
27 ms statement. This index holds exactly those columns by id, so the lookups read a narrow
B-tree that stays in cache (10.6 ms). The statement names it (`INDEXED BY`,
storage/search/facets.py): without `ANALYZE` statistics SQLite's planner takes the rowid.

- Not partial: a search of the trash counts facets too, and `INDEXED BY` a partial index
  would leave such a statement without a plan.
- SQLite only: PostgreSQL answers a search's matches with its own plans (migration 0015's
  indexes include `id` for it) and would only pay for one more index on every write. Raw
  DDL, outside storage.sql.tables' metadata, as 0016's.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEX = "ix_assets_facet_columns"


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON assets "
        "(id, org_id, trashed_at, folder_id, mime_type, ai_generated, provider, model)"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute(f"DROP INDEX IF EXISTS {INDEX}")
