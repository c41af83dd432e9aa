"""Giving committed events their cursors (PostgreSQL's relay), and deleting old ones.

On PostgreSQL a row id taken early may commit after a larger one, so ids are not cursors.
One sequencer at a time (a transaction-level advisory lock; the others skip their turn)
numbers the committed rows still without a `seq` from `event_log.last_seq` on, in one
statement, and commits: each run's cursors are above every earlier run's, and a reader
sees whole runs or none, so no reader passes a cursor that a later commit could fill in.
On SQLite the insert trigger has numbered them already (writers are serial), so `sequence`
finds nothing to do.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.sql import tables as t
from storage.sql.database import WRITE, is_sqlite

SEQUENCER_LOCK = 0x61746C_6576  # "atl" "ev": the advisory lock key only the sequencer takes
BATCH = 5_000

_SEQUENCE = sa.text(
    """
    WITH next AS (
        SELECT id, row_number() OVER (ORDER BY id) AS n
        FROM events WHERE seq IS NULL ORDER BY id LIMIT :batch
    ), counter AS (
        UPDATE event_log SET last_seq = last_seq + (SELECT count(*) FROM next)
        WHERE id = 1 RETURNING last_seq - (SELECT count(*) FROM next) AS base
    )
    UPDATE events SET seq = counter.base + next.n FROM next, counter WHERE events.id = next.id
    """
)


class SqlEventLogMaintenance:
    """EventLogMaintenance over SQL."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._sqlite = is_sqlite(engine)

    async def sequence(self, *, wait: bool = False) -> int:
        if self._sqlite:
            return 0
        async with self._engine.connect() as conn:
            await conn.execution_options(**{WRITE: True})
            async with conn.begin():
                # most calls find nothing to number: a read of the partial index, no lock, no write
                if not await conn.scalar(sa.select(sa.exists().where(t.events.c.seq.is_(None)))):
                    return 0
                if wait:
                    await conn.execute(sa.select(sa.func.pg_advisory_xact_lock(SEQUENCER_LOCK)))
                elif not await conn.scalar(sa.select(sa.func.pg_try_advisory_xact_lock(SEQUENCER_LOCK))):
                    return 0  # another process is the sequencer right now
                result = await conn.execute(_SEQUENCE, {"batch": BATCH})
                return int(result.rowcount or 0)

    async def prune(self, *, before: datetime, limit: int) -> int:
        E, L = t.events, t.event_log
        async with self._engine.connect() as conn:
            await conn.execution_options(**{WRITE: True})
            async with conn.begin():
                oldest = (
                    sa.select(E.c.seq)
                    .where(E.c.seq.is_not(None), E.c.occurred_at < before)
                    .order_by(E.c.seq)
                    .limit(limit)
                    .subquery()
                )
                through = await conn.scalar(sa.select(sa.func.max(oldest.c.seq)))
                if through is None:
                    return 0
                # by cursor, not by time: what is kept stays one unbroken run after `pruned_through`
                result = await conn.execute(sa.delete(E).where(E.c.seq <= through))
                await conn.execute(
                    sa.update(L)
                    .where(L.c.id == 1)
                    .values(
                        pruned_through=sa.func.max(L.c.pruned_through, through)
                        if self._sqlite
                        else sa.func.greatest(L.c.pruned_through, through)
                    )
                )
                return int(result.rowcount or 0)
