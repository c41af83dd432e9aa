"""Reading and setting an organisation's budget, quota and counters in tests."""

from __future__ import annotations

import sqlalchemy as sa

from storage.sql import tables as t
from tests.builders import Tenant


async def set_org(tenant: Tenant, **values: object) -> None:
    async with tenant.engine.begin() as conn:
        await conn.execute(
            sa.update(t.organisations).where(t.organisations.c.id == tenant.org_id).values(**values)
        )


async def org_row(tenant: Tenant):
    async with tenant.engine.connect() as conn:
        return (
            await conn.execute(sa.select(t.organisations).where(t.organisations.c.id == tenant.org_id))
        ).one()


async def count_rows(tenant: Tenant, table: sa.Table) -> int:
    async with tenant.engine.connect() as conn:
        stmt = sa.select(sa.func.count()).select_from(table).where(table.c.org_id == tenant.org_id)
        return (await conn.execute(stmt)).scalar_one()
