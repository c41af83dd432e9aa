"""Bulk writes cost a fixed handful of statements, whatever the number of items (1-500)."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from graph.relay.ids import parse_global_id, to_global_id
from storage.sql import tables as t
from tests.builders import Tenant, gql
from tests.graph.processing.rows import processed
from tests.graph.statements import count_statements

ALT = "A lighthouse on a cliff at dusk, its beam sweeping over calm sea."
SIZES = (1, 50, 500)
STATE = {"approve": "APPROVED", "reject": "REJECTED"}

SAVE_IDS = """mutation($input: SaveToLibraryInput!) { saveToLibrary(input: $input) {
    assets { id } userErrors { code message field index id } } }"""
APPROVE_IDS = """mutation($input: ApproveInput!) { approve(input: $input) {
    generations { id reviewState } userErrors { code message field index id } } }"""
REJECT_IDS = """mutation($ids: [ID!]!) { reject(input: {generationIds: $ids, reason: "off brand"}) {
    generations { id reviewState } userErrors { code message field index id } } }"""
LIKE_IDS = """mutation($ids: [ID!]!) { like(input: {generationIds: $ids}) {
    generations { id } userErrors { code message field index id } } }"""


async def generations(tenant: Tenant, adapters, count: int, **values) -> list[str]:
    """`count` generations with an image each in the scratch area, and one context asset each."""
    keys = [
        (await adapters.blobs.put("scratch", f"image {secrets.token_hex(8)}".encode())).key
        for _ in range(count)
    ]
    reference = await tenant.asset("Reference")
    session = await tenant.session("Shoot")

    ids = [
        await tenant.generation(session, f"lighthouse number {i} at dusk", blob_key=key, **values)
        for i, key in enumerate(keys)
    ]

    async def add(conn) -> list[int]:
        await conn.execute(
            sa.insert(t.generation_context_assets),
            [
                {"org_id": tenant.org_id, "generation_id": g, "asset_id": reference, "position": 0}
                for g in ids
            ],
        )
        return ids

    return [to_global_id("Generation", pk) for pk in await tenant.run(add)]


async def measure(client, engine, tenant: Tenant, document: str, variables: dict) -> tuple[int, dict]:
    with count_statements(engine) as statements:
        status, body = await gql(client, tenant.token, document, variables)
    assert status == 200 and "errors" not in body, body
    [payload] = body["data"].values()
    assert payload["userErrors"] == [], payload["userErrors"]
    return len(statements), payload


async def each_asset_is_its_generations(tenant: Tenant) -> int:
    """How many assets are named after the generation that links to them, and only to them."""
    A, G = t.assets, t.generations

    async def count(conn) -> int:
        rows = (
            await conn.execute(
                sa.select(A.c.name, G.c.prompt)
                .join(G, G.c.saved_asset_id == A.c.id)
                .where(A.c.org_id == tenant.org_id, A.c.generation_id == G.c.id)
            )
        ).all()
        return sum(1 for r in rows if r.name.lower() == r.prompt.lower())

    return await tenant.run(count)


async def link_counts(tenant: Tenant) -> tuple[int, int, int]:
    async def count(conn) -> tuple[int, int, int]:
        found = []
        for table in (t.asset_tags, t.asset_projects, t.asset_context_assets):
            stmt = sa.select(sa.func.count()).select_from(table).where(table.c.org_id == tenant.org_id)
            found.append((await conn.execute(stmt)).scalar_one())
        return found[0], found[1], found[2]

    return await tenant.run(count)


async def done_asset_jobs(tenant: Tenant) -> int:
    j = t.jobs

    async def count(conn) -> int:
        stmt = sa.select(sa.func.count()).where(
            j.c.org_id == tenant.org_id, j.c.subject_type == "asset", j.c.state == "done"
        )
        return (await conn.execute(stmt)).scalar_one()

    return await tenant.run(count)


class TestBulkWriteStatements:
    async def test_saving_500_generations_costs_what_saving_one_does(self, client, engine, adapters, make):
        counts = {}
        for size in SIZES:
            tenant = await make()
            project = to_global_id("Project", await tenant.project("Summer sale"))
            await tenant.tag("Hero")
            ids = await generations(tenant, adapters, size, review_state="approved", alt_text=ALT)
            counts[size], payload = await measure(
                client,
                engine,
                tenant,
                SAVE_IDS,
                {"input": {"generationIds": ids, "projectIds": [project], "tags": ["hero", "summer-2026"]}},
            )
            assert len(payload["assets"]) == size
            assert await link_counts(tenant) == (2 * size, size, size)
            assert await each_asset_is_its_generations(tenant) == size
        print(f"saveToLibrary statements by item count: {counts}")
        assert counts[1] == counts[50] == counts[500] <= 20, counts

    async def test_saving_fifty_processed_generations_costs_what_saving_one_does(
        self, client, engine, adapters, make
    ):
        counts = {}
        for size in (1, 50):
            tenant = await make()
            ids = await generations(tenant, adapters, size, review_state="approved", alt_text=ALT)
            for gid in ids:
                await processed(engine, tenant.org_id, "generation", parse_global_id(gid)[1])
            counts[size], _ = await measure(
                client, engine, tenant, SAVE_IDS, {"input": {"generationIds": ids}}
            )
            assert await done_asset_jobs(tenant) == size  # taken over, not processed again
        plain = await make()
        ids = await generations(plain, adapters, 1, review_state="approved", alt_text=ALT)
        unprocessed, _ = await measure(client, engine, plain, SAVE_IDS, {"input": {"generationIds": ids}})
        print(f"saveToLibrary of processed generations, statements by item count: {counts}")
        # the job states are read in any case; the facts, renditions and jobs take three more
        assert counts[1] == counts[50] == unprocessed + 3, (counts, unprocessed)

    @pytest.mark.parametrize("mutation", ["approve", "reject", "like"])
    async def test_reviewing_or_liking_500_generations_costs_what_one_does(
        self, client, engine, adapters, make, mutation
    ):
        counts = {}
        for size in SIZES:
            tenant = await make()
            ids = await generations(tenant, adapters, size)
            if mutation == "approve":
                document, variables = APPROVE_IDS, {"input": {"generationIds": ids, "altText": ALT}}
            else:
                document, variables = (REJECT_IDS if mutation == "reject" else LIKE_IDS), {"ids": ids}
            counts[size], payload = await measure(client, engine, tenant, document, variables)
            assert len(payload["generations"]) == size
            if mutation != "like":
                assert {g["reviewState"] for g in payload["generations"]} == {STATE[mutation]}
        print(f"{mutation} statements by item count: {counts}")
        assert counts[1] == counts[50] == counts[500] <= 10, counts


@pytest.fixture
def make(engine):
    from tests.builders import make_tenant

    async def fresh() -> Tenant:
        return await make_tenant(engine)

    return fresh


class TestMultiRowUpdatesKeepEachRowsOwnValues:
    async def test_rejecting_keeps_each_generations_own_expiry(self, client, adapters, make):
        tenant = await make()
        expiries = [datetime(2031, 1, 1 + i, 12, tzinfo=UTC) for i in range(3)]
        ids = [await generations(tenant, adapters, 1, expires_at=at) for at in expiries]
        _, payload = await measure(client, tenant.engine, tenant, REJECT_IDS, {"ids": [i for [i] in ids]})
        assert {g["reviewState"] for g in payload["generations"]} == {"REJECTED"}

        async def stored(conn) -> list[datetime]:
            pks = [parse_global_id(i)[1] for [i] in ids]  # type: ignore[index]
            rows = (await conn.execute(sa.select(t.generations).where(t.generations.c.id.in_(pks)))).all()
            assert {r.review_state for r in rows} == {"rejected"}
            return [r.expires_at for r in sorted(rows, key=lambda r: pks.index(r.id))]

        assert await tenant.run(stored) == expiries
