"""facet counts: the live library's facets kept by triggers on SQLite

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-01

The library's first view asks for the facets of every live asset: seven counts that read
the whole library (250,000 tag links and 150,000 project links at 100,000 assets), 300 ms
and more on SQLite even from covering indexes. Here each count is a row,
`asset_facet_counts (org_id, kind, value, n)`, moved by triggers in the transaction of the
change that moves it, so every write path (saves, uploads, moves, trash, restore, purge,
tags, projects, folder deletions, the seeding, paths added later) keeps it without calling
anything, and the unfiltered facets read a few rows.

- `value` is text: a folder, tag or project id in decimal ('' for the root folder), a media
  type, a provider or a model ('' for none), '1' or '0' for AI; `n` counts live assets
  (`trashed_at IS NULL`). Every change is an upsert of +1 or -1, so the rows are exact sums
  whatever order the triggers run in; a row at 0 stays (the reads skip it).
- A trashed asset leaves every count it was in, its tags' and projects' included, and a
  restored one comes back. Links count only while their asset is live. Deleting a live asset
  takes its counts out before the row goes (a BEFORE trigger: when the links' ON DELETE
  CASCADE runs, the asset is gone and their own trigger finds nothing live to count).

SQLite only: its writers are serial, so the hot rows cost nothing. On PostgreSQL concurrent
writers of one organisation would queue on these rows (and could deadlock where two
statements touch the same values in a different order), so there the facets still count
from the covering indexes of migration 0015.

A later migration that rebuilds `assets`, `asset_tags` or `asset_projects` on SQLite (a
batch ALTER) drops their triggers with the old table and must create them again, as it must
the full-text triggers of 0009. The table is raw DDL outside storage.sql.tables' metadata.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_COLUMNS = {  # kind -> the value of an assets row `r` as text
    "folder": "coalesce(CAST({r}.folder_id AS TEXT), '')",
    "mime_type": "{r}.mime_type",
    "ai_generated": "CASE WHEN {r}.ai_generated THEN '1' ELSE '0' END",
    "provider": "{r}.provider",
    "model": "{r}.model",
}
_LINKS = {"tag": ("asset_tags", "tag_id"), "project": ("asset_projects", "project_id")}
_ADD = " ON CONFLICT (org_id, kind, value) DO UPDATE SET n = n + excluded.n"


def _columns(r: str, n: int) -> str:
    """One upsert moving each column facet of the assets row `r` by n."""
    values = ", ".join(f"({r}.org_id, '{kind}', {expr.format(r=r)}, {n})" for kind, expr in _COLUMNS.items())
    return f"INSERT INTO asset_facet_counts (org_id, kind, value, n) VALUES {values}{_ADD};"


def _links_of(r: str, n: int) -> str:
    """Upserts moving the tag and project facets of every link of the assets row `r` by n."""
    return " ".join(
        f"INSERT INTO asset_facet_counts (org_id, kind, value, n) SELECT org_id, '{kind}', "
        f"CAST({column} AS TEXT), {n} FROM {table} WHERE org_id = {r}.org_id AND asset_id = {r}.id{_ADD};"
        for kind, (table, column) in _LINKS.items()
    )


def _link(kind: str, column: str, r: str, n: int) -> str:
    """An upsert moving one link's facet by n, when its asset is live."""
    return (
        f"INSERT INTO asset_facet_counts (org_id, kind, value, n) SELECT {r}.org_id, '{kind}', "
        f"CAST({r}.{column} AS TEXT), {n} FROM assets "
        f"WHERE assets.id = {r}.asset_id AND assets.trashed_at IS NULL{_ADD};"
    )


_FACETED = "folder_id, mime_type, ai_generated, provider, model, trashed_at"
TRIGGERS = {
    "assets_insert": f"AFTER INSERT ON assets WHEN NEW.trashed_at IS NULL BEGIN {_columns('NEW', 1)} END",
    "assets_leave": f"AFTER UPDATE OF {_FACETED} ON assets WHEN OLD.trashed_at IS NULL "
    f"BEGIN {_columns('OLD', -1)} END",
    "assets_enter": f"AFTER UPDATE OF {_FACETED} ON assets WHEN NEW.trashed_at IS NULL "
    f"BEGIN {_columns('NEW', 1)} END",
    "assets_trash": "AFTER UPDATE OF trashed_at ON assets "
    f"WHEN OLD.trashed_at IS NULL AND NEW.trashed_at IS NOT NULL BEGIN {_links_of('NEW', -1)} END",
    "assets_restore": "AFTER UPDATE OF trashed_at ON assets "
    f"WHEN OLD.trashed_at IS NOT NULL AND NEW.trashed_at IS NULL BEGIN {_links_of('NEW', 1)} END",
    "assets_delete": "BEFORE DELETE ON assets WHEN OLD.trashed_at IS NULL "
    f"BEGIN {_columns('OLD', -1)} {_links_of('OLD', -1)} END",
}
for kind, (table, column) in _LINKS.items():
    TRIGGERS |= {
        f"{table}_insert": f"AFTER INSERT ON {table} BEGIN {_link(kind, column, 'NEW', 1)} END",
        f"{table}_delete": f"AFTER DELETE ON {table} BEGIN {_link(kind, column, 'OLD', -1)} END",
        f"{table}_update": f"AFTER UPDATE ON {table} "
        f"BEGIN {_link(kind, column, 'OLD', -1)} {_link(kind, column, 'NEW', 1)} END",
    }

_BACKFILL = [
    *(
        "INSERT INTO asset_facet_counts (org_id, kind, value, n) "
        f"SELECT org_id, '{kind}', {expr.format(r='assets')}, count(*) FROM assets "
        f"WHERE trashed_at IS NULL GROUP BY org_id, {expr.format(r='assets')}"
        for kind, expr in _COLUMNS.items()
    ),
    *(
        "INSERT INTO asset_facet_counts (org_id, kind, value, n) "
        f"SELECT x.org_id, '{kind}', CAST(x.{column} AS TEXT), count(*) FROM {table} x "
        f"JOIN assets a ON a.id = x.asset_id WHERE a.trashed_at IS NULL GROUP BY x.org_id, x.{column}"
        for kind, (table, column) in _LINKS.items()
    ),
]


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute(
        "CREATE TABLE asset_facet_counts (org_id INTEGER NOT NULL, kind TEXT NOT NULL, value TEXT NOT NULL, "
        "n INTEGER NOT NULL, PRIMARY KEY (org_id, kind, value)) WITHOUT ROWID"
    )
    for statement in _BACKFILL:
        op.execute(statement)
    for name, body in TRIGGERS.items():
        op.execute(f"CREATE TRIGGER asset_facet_counts_{name} {body}")


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for name in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS asset_facet_counts_{name}")
    op.execute("DROP TABLE IF EXISTS asset_facet_counts")
