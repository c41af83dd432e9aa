"""processing rows of deleted subjects

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-30

Until now a purged asset or an expired generation left its `jobs`, `image_facts` and
`renditions` rows behind (no foreign key can hold a polymorphic subject); the services
delete them with their subject from now on. This deletes the ones already left over, so a
later row given the same id (SQLite may reuse the highest one) inherits none. No schema
change; the rendition files they held go with the next orphan sweep.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SUBJECTS = (("asset", "assets"), ("generation", "generations"))


def upgrade() -> None:
    for table in ("jobs", "image_facts", "renditions"):
        for subject, subjects in SUBJECTS:
            op.execute(
                f"DELETE FROM {table} WHERE subject_type = '{subject}' AND NOT EXISTS "
                f"(SELECT 1 FROM {subjects} s WHERE s.org_id = {table}.org_id AND s.id = {table}.subject_id)"
            )


def downgrade() -> None:
    pass  # the deleted rows described nothing that still exists
