"""event versions: each event row says which version of its type's payload it holds

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30

Events became one class per type with a version (the catalogue partner tools read);
rows written before are version 1, as every type was.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('events') as batch:
        batch.add_column(sa.Column('version', sa.SmallInteger(), nullable=False, server_default='1'))


def downgrade() -> None:
    with op.batch_alter_table('events') as batch:
        batch.drop_column('version')
