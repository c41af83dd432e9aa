"""name keys: of the name as it shows

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26

Names that look the same were two names: `hero` and `hero` + U+200B, `summer sale` with
an NBSP, a tab or two spaces, `Zed` and `Zed` + U+FE0F. The `name_key` of folders, projects,
tags and brand kits is now taken from the name as it shows: invisible characters dropped
(but a zero-width joiner between two emoji and tag characters after an emoji, which make
distinct emoji sequences), every run of whitespace one space, then NFD, case fold, NFC.
As in 0003, rows that now share a key with an older sibling are neither merged nor
dropped: they keep a key of their own (the new key, U+0001 and their id), so they list
next to the older one and can be renamed or merged by hand.
"""

from collections.abc import Callable, Sequence
import unicodedata

import sqlalchemy as sa
from alembic import op


revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (table, the columns a name is unique within)
_TABLES = (
    ('folders', ('org_id', 'parent_id')),
    ('projects', ('org_id',)),
    ('tags', ('org_id',)),
    ('brand_kits', ('org_id',)),
)

# A frozen copy of domain.kernel.visible and domain.library.model.name_key as they were
# written: a migration must keep meaning what it meant, whatever the domain's rule becomes.
_INVISIBLE = frozenset(
    '\u034f\u115f\u1160\u17b4\u17b5\u180b\u180c\u180d\u180f\u2800\u3164\uffa0'
    + ''.join(map(chr, range(0xFE00, 0xFE10)))
)
_BLANK = frozenset('\u115f\u1160\u2800\u3164\uffa0')
_ZWJ = '\u200d'
_TAGS = range(0xE0020, 0xE0080)


def _invisible(char: str) -> bool:
    return (
        char.isspace()
        or char in _INVISIBLE
        or 0xE0100 <= ord(char) <= 0xE01EF
        or unicodedata.category(char) == 'Cf'
    )


def _emoji(char: str) -> bool:
    return unicodedata.category(char) in ('So', 'Sk')


def _emoji_after(value: str, start: int) -> bool:
    for char in value[start:]:
        if not _invisible(char) or char.isspace() or char in _BLANK:
            return _emoji(char)
    return False


def _visible_form(value: str) -> str:
    kept: list[str] = []
    for i, char in enumerate(value):
        before = kept[-1] if kept else ' '
        if char.isspace() or char in _BLANK:
            kept.append(' ')
        elif (
            not _invisible(char)
            or (char == _ZWJ and _emoji(before) and _emoji_after(value, i + 1))
            or (ord(char) in _TAGS and (_emoji(before) or ord(before) in _TAGS))
        ):
            kept.append(char)
    return ' '.join(''.join(kept).split())


def _visible_key(name: str) -> str:
    return unicodedata.normalize('NFC', unicodedata.normalize('NFD', _visible_form(name)).casefold())


def _canonical_key(name: str) -> str:  # 0003's rule
    return unicodedata.normalize('NFC', unicodedata.normalize('NFD', name.strip()).casefold())


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
        _rekey(table_name, scope, _visible_key)


def downgrade() -> None:
    for table_name, scope in _TABLES:
        _rekey(table_name, scope, _canonical_key)
