"""similar assets: the perceptual hash's four 16-bit bands on image_facts, indexed

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30

Each band is an exact-match index: an asset within d bits of another shares a band within
d // 4 bits of it (domain.kernel.perceptual_hash). Existing facts get their bands here, in
SQL that mirrors `bands` (a test checks both agree on signed hashes); new facts are written
with them by processing.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0011'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BANDS = 4


def upgrade() -> None:
    with op.batch_alter_table('image_facts', schema=None) as batch_op:
        for i in range(BANDS):
            batch_op.add_column(sa.Column(f'phash_band_{i}', sa.Integer(), nullable=True))
    # both databases shift a BIGINT arithmetically; the mask keeps the band's 16 bits unsigned
    op.execute(
        "UPDATE image_facts SET "
        + ", ".join(f"phash_band_{i} = (perceptual_hash >> {16 * i}) & 65535" for i in range(BANDS))
    )
    with op.batch_alter_table('image_facts', schema=None) as batch_op:
        for i in range(BANDS):
            batch_op.alter_column(f'phash_band_{i}', existing_type=sa.Integer(), nullable=False)
            # covering: a band lookup reads subject_id and the hash from the index alone
            batch_op.create_index(
                f'ix_image_facts_org_band_{i}',
                ['org_id', 'subject_type', f'phash_band_{i}', 'subject_id', 'perceptual_hash'],
                unique=False,
            )


def downgrade() -> None:
    with op.batch_alter_table('image_facts', schema=None) as batch_op:
        for i in range(BANDS):
            batch_op.drop_index(f'ix_image_facts_org_band_{i}')
            batch_op.drop_column(f'phash_band_{i}')
