"""asset search: the full-text index, assets.name_key, and the indexes of the sorts

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30

The full-text index of assets (name, description, alt text, prompt, negative prompt and
the names of its tags) is kept by database triggers, in the transaction of the change
that moves it: every write path, the seeding and writes added later included, keeps it
in step without calling anything. SQLite: an FTS5 table whose rowid is the asset's id
(row triggers). PostgreSQL: a table of tsvectors ('simple' configuration: no stemming,
no stop words, as FTS5's unicode61) with a GIN index, refreshed by statement triggers
over transition tables, so a bulk change refreshes its assets in one statement.

These objects are not in storage.sql.tables' metadata (neither database can express
the other's); the drift test leaves the `asset_search*` names out.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from domain.library.model import name_key


revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_LIVE = sa.text('trashed_at IS NULL')
_SORTS = {
    'ix_assets_org_live_updated': 'updated_at',
    'ix_assets_org_live_name': 'name_key',
    'ix_assets_org_live_size': 'byte_size',
    'ix_assets_org_live_rating': 'rating',
}

# org_id first: the links' primary key is (org_id, asset_id, tag_id), and without it every
# trigger would scan all links
_TAG_NAMES = (
    "(SELECT coalesce(group_concat(t.name, ' '), '') FROM asset_tags x JOIN tags t ON t.id = x.tag_id "
    "WHERE x.org_id = {org} AND x.asset_id = {id})"
)

SQLITE_UP = [
    # remove_diacritics 0: accents count, as in PostgreSQL's 'simple' configuration
    "CREATE VIRTUAL TABLE asset_search USING fts5("
    "name, description, alt_text, prompt, negative_prompt, tags, tokenize = 'unicode61 remove_diacritics 0')",
    "CREATE TRIGGER asset_search_assets_insert AFTER INSERT ON assets BEGIN "
    "INSERT INTO asset_search (rowid, name, description, alt_text, prompt, negative_prompt, tags) "
    "VALUES (new.id, new.name, new.description, new.alt_text, new.prompt, new.negative_prompt, "
    + _TAG_NAMES.format(org='new.org_id', id='new.id') + "); END",
    "CREATE TRIGGER asset_search_assets_update "
    "AFTER UPDATE OF name, description, alt_text, prompt, negative_prompt ON assets BEGIN "
    "UPDATE asset_search SET name = new.name, description = new.description, alt_text = new.alt_text, "
    "prompt = new.prompt, negative_prompt = new.negative_prompt WHERE rowid = new.id; END",
    "CREATE TRIGGER asset_search_assets_delete AFTER DELETE ON assets BEGIN "
    "DELETE FROM asset_search WHERE rowid = old.id; END",
    "CREATE TRIGGER asset_search_tags_link AFTER INSERT ON asset_tags BEGIN "
    "UPDATE asset_search SET tags = " + _TAG_NAMES.format(org='new.org_id', id='new.asset_id')
    + " WHERE rowid = new.asset_id; END",
    "CREATE TRIGGER asset_search_tags_unlink AFTER DELETE ON asset_tags BEGIN "
    "UPDATE asset_search SET tags = " + _TAG_NAMES.format(org='old.org_id', id='old.asset_id')
    + " WHERE rowid = old.asset_id; END",
    "CREATE TRIGGER asset_search_tags_rename AFTER UPDATE OF name ON tags BEGIN "
    "UPDATE asset_search SET tags = " + _TAG_NAMES.format(org='new.org_id', id='asset_search.rowid')
    + " WHERE rowid IN (SELECT asset_id FROM asset_tags WHERE org_id = new.org_id AND tag_id = new.id); END",
    "INSERT INTO asset_search (rowid, name, description, alt_text, prompt, negative_prompt, tags) "
    "SELECT a.id, a.name, a.description, a.alt_text, a.prompt, a.negative_prompt, "
    + _TAG_NAMES.format(org='a.org_id', id='a.id') + " FROM assets a",
]

SQLITE_DOWN = [
    *(
        f'DROP TRIGGER IF EXISTS asset_search_{name}'
        for name in ('assets_insert', 'assets_update', 'assets_delete', 'tags_link', 'tags_unlink', 'tags_rename')
    ),
    'DROP TABLE IF EXISTS asset_search',
]

_PG_DOCUMENT = (
    "setweight(to_tsvector('simple', a.name), 'A')"
    " || setweight(to_tsvector('simple', coalesce((SELECT string_agg(t.name, ' ') FROM asset_tags x"
    " JOIN tags t ON t.id = x.tag_id WHERE x.org_id = a.org_id AND x.asset_id = a.id), '')), 'B')"
    " || setweight(to_tsvector('simple', a.description), 'C')"
    " || setweight(to_tsvector('simple', a.alt_text), 'C')"
    " || to_tsvector('simple', a.prompt)"
    " || to_tsvector('simple', a.negative_prompt)"
)

_PG_TRIGGERS = {
    # name: (table, event, transition tables, the asset ids to refresh)
    'assets_insert': ('assets', 'INSERT', 'NEW TABLE AS new_rows', 'SELECT id FROM new_rows'),
    'assets_update': (
        'assets',
        'UPDATE',
        'OLD TABLE AS old_rows NEW TABLE AS new_rows',
        'SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id '
        'WHERE (n.name, n.description, n.alt_text, n.prompt, n.negative_prompt) '
        'IS DISTINCT FROM (o.name, o.description, o.alt_text, o.prompt, o.negative_prompt)',
    ),
    'tags_link': ('asset_tags', 'INSERT', 'NEW TABLE AS new_rows', 'SELECT DISTINCT asset_id FROM new_rows'),
    'tags_unlink': ('asset_tags', 'DELETE', 'OLD TABLE AS old_rows', 'SELECT DISTINCT asset_id FROM old_rows'),
    'tags_rename': (
        'tags',
        'UPDATE',
        'OLD TABLE AS old_rows NEW TABLE AS new_rows',
        'SELECT DISTINCT x.asset_id FROM asset_tags x JOIN new_rows n ON n.org_id = x.org_id AND n.id = x.tag_id '
        'JOIN old_rows o ON o.id = n.id WHERE n.name IS DISTINCT FROM o.name',
    ),
}

POSTGRESQL_UP = [
    "CREATE TABLE asset_search ("
    " asset_id BIGINT PRIMARY KEY REFERENCES assets (id) ON DELETE CASCADE,"
    " org_id BIGINT NOT NULL,"
    " document TSVECTOR NOT NULL)",
    "CREATE INDEX ix_asset_search_document ON asset_search USING GIN (document)",
    "CREATE FUNCTION asset_search_refresh(ids BIGINT[]) RETURNS void LANGUAGE sql AS $$ "
    "INSERT INTO asset_search (asset_id, org_id, document) "
    f"SELECT a.id, a.org_id, {_PG_DOCUMENT} FROM assets a WHERE a.id = ANY(ids) "
    "ON CONFLICT (asset_id) DO UPDATE SET document = EXCLUDED.document $$",
    *(
        stmt
        for name, (table, event, transition, ids) in _PG_TRIGGERS.items()
        for stmt in (
            f"CREATE FUNCTION asset_search_on_{name}() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN PERFORM asset_search_refresh(ARRAY({ids})); RETURN NULL; END $$",
            f"CREATE TRIGGER asset_search_{name} AFTER {event} ON {table} REFERENCING {transition} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION asset_search_on_{name}()",
        )
    ),
    "SELECT asset_search_refresh(ARRAY(SELECT id FROM assets))",
]

POSTGRESQL_DOWN = [
    *(
        stmt
        for name, (table, *_rest) in _PG_TRIGGERS.items()
        for stmt in (
            f'DROP TRIGGER IF EXISTS asset_search_{name} ON {table}',
            f'DROP FUNCTION IF EXISTS asset_search_on_{name}()',
        )
    ),
    'DROP FUNCTION IF EXISTS asset_search_refresh(BIGINT[])',
    'DROP TABLE IF EXISTS asset_search',
]


def upgrade() -> None:
    with op.batch_alter_table('assets', schema=None) as batch_op:
        batch_op.add_column(sa.Column('name_key', sa.Text(), server_default='', nullable=False))
    # The current rule of names (a migration written with this one, so it means the same)
    bind = op.get_bind()
    assets = sa.table('assets', sa.column('id'), sa.column('name'), sa.column('name_key'))
    rows = bind.execute(sa.select(assets.c.id, assets.c.name)).all()
    if rows:
        bind.execute(
            assets.update().where(assets.c.id == sa.bindparam('row_id')).values(name_key=sa.bindparam('key')),
            [{'row_id': r.id, 'key': name_key(r.name)} for r in rows],
        )
    for index, column in _SORTS.items():
        op.create_index(
            index, 'assets', ['org_id', column, 'id'], unique=False, sqlite_where=_LIVE, postgresql_where=_LIVE
        )
    for statement in SQLITE_UP if bind.dialect.name == 'sqlite' else POSTGRESQL_UP:
        op.execute(statement)


def downgrade() -> None:
    bind = op.get_bind()
    for statement in SQLITE_DOWN if bind.dialect.name == 'sqlite' else POSTGRESQL_DOWN:
        op.execute(statement)
    for index in _SORTS:
        op.drop_index(index, table_name='assets', sqlite_where=_LIVE, postgresql_where=_LIVE)
    with op.batch_alter_table('assets', schema=None) as batch_op:
        batch_op.drop_column('name_key')
