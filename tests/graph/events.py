"""Reading the event log in tests: every change must leave exactly its events."""

from __future__ import annotations

import sqlalchemy as sa

from storage.sql import tables as t


async def events_of(tenant, type_: str) -> int:
    async with tenant.engine.connect() as conn:
        stmt = (
            sa.select(sa.func.count())
            .select_from(t.events)
            .where(t.events.c.org_id == tenant.org_id, t.events.c.type == type_)
        )
        return (await conn.execute(stmt)).scalar_one()
