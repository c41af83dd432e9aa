"""name keys: Unicode-normalised before case folding

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24

The `name_key` of folders, projects, tags and brand kits was `strip().casefold()`, so
`café` typed precomposed and as `e` + U+0301 were two names. Keys are recomputed
as Unicode's canonical caseless match. Rows that now share a key with an older sibling
are neither merged nor dropped: they keep a key of their own (the new key, U+0001 and
their id, which no name can produce since names refuse C0 controls), so they list next
to the older one and can be renamed or merged by hand.
"""

from collections.abc import Callable, Sequence
import unicodedata

import sqlalchemy as sa
from alembic import op


revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (table, the columns a name is unique within)
_TABLES = (
    ('folders', ('org_id', 'parent_id')),
    ('projects', ('org_id',)),
    ('tags', ('org_id',)),
    ('brand_kits', ('org_id',)),
)


# A frozen copy, not domain.library.model.name_key: a migration must keep meaning what it
# meant when it was written, whatever the domain's rule becomes later.
def _canonical_key(name: str) -> str:
    return unicodedata.normalize('NFC', unicodedata.normalize('NFD', name.strip()).casefold())


def _old_key(name: str) -> str:
    return name.strip().casefold()


def _rekey(table_name: str, scope: Sequence[str], key_of: Callable[[str], str]) -> None:
    table = sa.table(table_name, sa.column('id'), sa.column('name'), sa.column('name_key'), *map(sa.column, scope))
    conn = op.get_bind()
    rows = conn.execute(sa.select(table).order_by(table.c.id)).all()
    taken: set[tuple[object, ...]] = set()
    changes: dict[int, str] = {}
    for row in rows:  # by id: the oldest row keeps a key that others now share
        key = key_of(row.name)
        place = (*(getattr(row, c) for c in scope), key)
        if place in taken:
            key = f'{key}\x01{row.id}'
        taken.add(place)
        if key != row.name_key:
            changes[row.id] = key
    if not changes:
        return
    update = table.update().where(table.c.id == sa.bindparam('row_id')).values(name_key=sa.bindparam('key'))
    # two passes: a row's new key may be another changed row's old one, and the unique index
    # is checked row by row
    conn.execute(update, [{'row_id': i, 'key': f'\x02{i}'} for i in changes])
    conn.execute(update, [{'row_id': i, 'key': k} for i, k in changes.items()])


def upgrade() -> None:
    for table_name, scope in _TABLES:
        _rekey(table_name, scope, _canonical_key)


def downgrade() -> None:
    for table_name, scope in _TABLES:
        _rekey(table_name, scope, _old_key)
