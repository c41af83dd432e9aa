"""Trashing, restoring and purging cost a fixed handful of statements, whatever the number (1-500)."""

from __future__ import annotations

import sqlalchemy as sa

from graph.relay.ids import to_global_id
from storage.demo.seeding import now
from storage.sql import tables as t
from tests import defaults
from tests.builders import gql
from tests.graph.statements import count_statements

SIZES = (1, 50, 500)
TRASH = "mutation($ids: [ID!]!) { trashAssets(input: {ids: $ids}) { assets { id } userErrors { code } } }"
RESTORE = "mutation($ids: [ID!]!) { restoreAssets(input: {ids: $ids}) { assets { id } userErrors { code } } }"
PURGE = "mutation($ids: [ID!]!) { purgeAssets(input: {ids: $ids}) { purgedAssetIds userErrors { code } } }"


async def assets(tenant, count: int) -> list[str]:
    at = now()
    rows = [
        defaults.ASSET
        | {
            "org_id": tenant.org_id,
            "name": f"A{i}",
            "blob_key": defaults.blob_key(),
            "created_at": at,
            "updated_at": at,
        }
        for i in range(count)
    ]

    async def add(conn) -> list[int]:
        result = await conn.execute(sa.insert(t.assets).returning(t.assets.c.id), rows)
        return [r.id for r in result]

    return [to_global_id("Asset", pk) for pk in await tenant.run(add)]


async def test_trash_restore_and_purge_cost_the_same_for_one_fifty_and_five_hundred(client, engine, tenant):
    counts: dict[str, set[int]] = {"trash": set(), "restore": set(), "purge": set()}
    for size in SIZES:
        ids = await assets(tenant, size)
        for name, document in (
            ("trash", TRASH),
            ("restore", RESTORE),
            ("trash again", TRASH),
            ("purge", PURGE),
        ):
            with count_statements(engine) as statements:
                _, body = await gql(client, tenant.token, document, {"ids": ids})
            payload = next(iter(body["data"].values()))
            assert payload["userErrors"] == [], payload
            if name in counts:
                counts[name].add(len(statements))
        assert await _count(tenant) == 0
    # trash 5 (6 with PostgreSQL's row lock), restore 5, purge 10 (its jobs, facts and renditions
    # deleted in three, and its files' check after the commit included)
    assert {name: len(found) for name, found in counts.items()} == {"trash": 1, "restore": 1, "purge": 1}, (
        counts
    )


async def _count(tenant) -> int:
    async with tenant.engine.connect() as conn:
        return (
            await conn.execute(
                sa.select(sa.func.count()).select_from(t.assets).where(t.assets.c.org_id == tenant.org_id)
            )
        ).scalar_one()
