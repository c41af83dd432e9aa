"""event cursors in commit order, and the log's state

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-30

`events.seq` is the cursor partner tools read the log by. It must grow in commit order,
which the row id does not do on PostgreSQL: an id taken early may commit after a larger
one, and a reader that passed the larger one would miss it for good. So a single relay
(storage.events.sequencer, under an advisory lock) gives committed rows their `seq` in the
order it sees them, one by one from `event_log.last_seq`. On SQLite, where writers are
serial, a row trigger gives it in the inserting transaction. `event_log.pruned_through` is
the last cursor retention deleted: a cursor before it is expired, never a silent gap.
Existing rows are committed, so they take their ids as cursors.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

Seq = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

SQLITE_TRIGGER = """
CREATE TRIGGER events_sequence AFTER INSERT ON events FOR EACH ROW WHEN NEW.seq IS NULL BEGIN
    UPDATE event_log SET last_seq = last_seq + 1 WHERE id = 1;
    UPDATE events SET seq = (SELECT last_seq FROM event_log WHERE id = 1) WHERE id = NEW.id;
END
"""


def upgrade() -> None:
    bind = op.get_bind()
    op.create_table(
        "event_log",
        sa.Column("id", sa.SmallInteger, primary_key=True),
        sa.Column("last_seq", Seq, nullable=False),
        sa.Column("pruned_through", Seq, nullable=False),
    )
    op.add_column("events", sa.Column("seq", Seq, nullable=True))
    op.execute("UPDATE events SET seq = id")
    op.execute("INSERT INTO event_log (id, last_seq, pruned_through) SELECT 1, COALESCE(MAX(id), 0), 0 FROM events")
    op.create_index("ix_events_seq", "events", ["seq"], unique=True)
    op.create_index("ix_events_org_id_seq", "events", ["org_id", "seq"])
    op.create_index("ix_events_subject", "events", ["org_id", "subject_type", "subject_id", "seq"])
    op.create_index(
        "ix_events_unsequenced", "events", ["id"], sqlite_where=sa.text("seq IS NULL"),
        postgresql_where=sa.text("seq IS NULL"),
    )
    op.drop_index("ix_events_org_id_id", table_name="events")
    if bind.dialect.name == "sqlite":
        op.execute(SQLITE_TRIGGER)


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        op.execute("DROP TRIGGER events_sequence")
    op.create_index("ix_events_org_id_id", "events", ["org_id", "id"])
    op.drop_index("ix_events_unsequenced", table_name="events")
    op.drop_index("ix_events_subject", table_name="events")
    op.drop_index("ix_events_org_id_seq", table_name="events")
    op.drop_index("ix_events_seq", table_name="events")
    with op.batch_alter_table("events") as batch:
        batch.drop_column("seq")
    op.drop_table("event_log")
