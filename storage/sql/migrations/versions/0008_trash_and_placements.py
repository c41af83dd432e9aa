"""Placements of assets, and an index for the trash's retention purge

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30

`placements`: an asset proposed for, or approved in, a post, page or campaign.
`ix_assets_trashed_at`: the periodic purge finds assets trashed longer ago than the
retention window across organisations without a scan.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.sql.tables


revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TRASHED = sa.text('trashed_at IS NOT NULL')


def upgrade() -> None:
    with op.batch_alter_table('assets', schema=None) as batch_op:
        batch_op.create_index(
            'ix_assets_trashed_at', ['trashed_at'], unique=False, sqlite_where=_TRASHED, postgresql_where=_TRASHED
        )
    op.create_table(
        'placements',
        sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
        sa.Column('org_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
        sa.Column('asset_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('target_ref', sa.Text(), nullable=False),
        sa.Column('project_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
        sa.Column('scheduled_at', storage.sql.tables.UtcDateTime(timezone=True), nullable=True),
        sa.Column('state', sa.String(length=10), nullable=False),
        sa.Column('proposed_by_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
        sa.Column('created_at', storage.sql.tables.UtcDateTime(timezone=True), nullable=False),
        sa.Column('approved_by_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
        sa.Column('approved_at', storage.sql.tables.UtcDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['approved_by_id'], ['members.id'], name=op.f('fk_placements_approved_by_id_members'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['asset_id'], ['assets.id'], name=op.f('fk_placements_asset_id_assets'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['org_id'], ['organisations.id'], name=op.f('fk_placements_org_id_organisations'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_placements_project_id_projects'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['proposed_by_id'], ['members.id'], name=op.f('fk_placements_proposed_by_id_members'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_placements')),
        sa.UniqueConstraint('org_id', 'asset_id', 'target_ref', 'kind', name='uq_placements_asset_target_kind'),
    )
    with op.batch_alter_table('placements', schema=None) as batch_op:
        batch_op.create_index('ix_placements_org_target_id', ['org_id', 'target_ref', 'id'], unique=False)
        batch_op.create_index('ix_placements_org_project_id', ['org_id', 'project_id', 'id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('placements', schema=None) as batch_op:
        batch_op.drop_index('ix_placements_org_project_id')
        batch_op.drop_index('ix_placements_org_target_id')
    op.drop_table('placements')
    with op.batch_alter_table('assets', schema=None) as batch_op:
        batch_op.drop_index('ix_assets_trashed_at', sqlite_where=_TRASHED, postgresql_where=_TRASHED)
