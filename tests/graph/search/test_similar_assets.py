"""Asset.similarAssets over real storage: exact neighbours by perceptual-hash distance, scoped and bounded."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from domain.kernel.perceptual_hash import BAND_BITS, distance
from graph.relay.ids import to_global_id
from storage.sql import tables as t
from tests.builders import gql, make_tenant
from tests.graph.statements import count_statements

AT = datetime(2026, 6, 1, tzinfo=UTC)
BASE = 0x0123_4567_89AB_CDEF
MAX = 12

SIMILAR = """query($id: ID!, $first: Int!, $d: Int!) { node(id: $id) { ... on Asset {
  similarAssets(first: $first, maxDistance: $d) { distance asset { id name } } } } }"""


def signed(unsigned: int) -> int:
    return unsigned - 2**64 if unsigned >= 2**63 else unsigned


def spread(d: int) -> int:
    """BASE with `d` bits flipped round the four bands: each band differs in about d / 4 bits,
    the case the bands find only by looking up near values."""
    bits = [(i % 4) * BAND_BITS + i // 4 for i in range(d)]
    return signed(BASE ^ sum(1 << b for b in bits))


def bunched(d: int) -> int:
    """BASE with `d` bits flipped in its lowest band only: the other three match exactly."""
    return signed(BASE ^ sum(1 << b for b in range(d)))


async def hashed(engine, org_id: int, subject_id: int, h: int, subject: str = "asset") -> None:
    async with engine.begin() as conn:
        await conn.execute(
            sa.insert(t.image_facts).values(
                org_id=org_id,
                subject_type=subject,
                subject_id=subject_id,
                format="PNG",
                colour_mode="RGB",
                dominant_colours=[],
                processed_at=AT,
                **t.perceptual_hash_columns(h),
            )
        )


async def similar(client, token, pk: int, *, first: int = 50, d: int = MAX):
    status, body = await gql(
        client, token, SIMILAR, {"id": to_global_id("Asset", pk), "first": first, "d": d}
    )
    assert status == 200 and "errors" not in body, body
    found = body["data"]["node"]["similarAssets"]
    return None if found is None else [(n["asset"]["name"], n["distance"]) for n in found]


@pytest.fixture
async def neighbourhood(engine, tenant):
    """Ids by name: an asset at BASE and, for every distance 0-13, one neighbour spread over the bands
    and one bunched in a band (distance 0 once), created in an order that is not their distance's."""
    ids = {"Source": await tenant.asset("Source")}
    await hashed(engine, tenant.org_id, ids["Source"], signed(BASE))
    for d in reversed(range(MAX + 2)):
        for kind, h in (("bunched", bunched(d)), ("spread", spread(d))):
            if d == 0 and kind == "spread":
                continue
            assert distance(h, BASE) == d
            ids[f"{kind} {d}"] = await tenant.asset(f"{kind} {d}")
            await hashed(engine, tenant.org_id, ids[f"{kind} {d}"], h)
    return ids


def expected(d: int) -> list[tuple[str, int]]:
    # ids were handed out from 13 down, bunched before spread: at one distance, bunched is older
    return [
        (f"{kind} {k}", k)
        for k in range(d + 1)
        for kind in ("bunched", "spread")
        if (k, kind) != (0, "spread")
    ]


class TestNeighbours:
    async def test_every_neighbour_within_each_distance_is_found_and_none_beyond(
        self, client, tenant, neighbourhood
    ):
        for d in range(MAX + 1):
            assert await similar(client, tenant.token, neighbourhood["Source"], d=d) == expected(d), d

    async def test_first_keeps_the_nearest(self, client, tenant, neighbourhood):
        assert await similar(client, tenant.token, neighbourhood["Source"], first=3) == expected(MAX)[:3]

    async def test_a_neighbour_finds_the_source_back_at_the_same_distance(
        self, client, tenant, neighbourhood
    ):
        farthest = await similar(client, tenant.token, neighbourhood["bunched 13"], d=MAX)
        assert farthest is not None and "Source" not in dict(farthest)
        far = await similar(client, tenant.token, neighbourhood["spread 12"], d=MAX)
        assert dict(far or [])["Source"] == 12


class TestScope:
    async def test_trashed_assets_and_the_asset_itself_are_left_out(self, client, engine, tenant):
        source = await tenant.asset("Source")
        twin = await tenant.asset("Twin")
        trashed = await tenant.asset("Trashed", trashed_at=AT)
        for pk in (source, twin, trashed):
            await hashed(engine, tenant.org_id, pk, 42)
        assert await similar(client, tenant.token, source) == [("Twin", 0)]

    async def test_a_trashed_asset_still_lists_its_live_neighbours(self, client, engine, tenant):
        trashed = await tenant.asset("Trashed", trashed_at=AT)
        live = await tenant.asset("Live")
        for pk in (trashed, live):
            await hashed(engine, tenant.org_id, pk, 42)
        assert await similar(client, tenant.token, trashed) == [("Live", 0)]

    async def test_another_organisations_assets_and_any_generation_are_never_neighbours(
        self, client, engine, tenant
    ):
        other = await make_tenant(engine)
        source = await tenant.asset("Source")
        unprocessed = await tenant.asset("Unprocessed")  # its id carries a generation's facts below
        await hashed(engine, tenant.org_id, source, 42)
        await hashed(engine, tenant.org_id, unprocessed, 42, subject="generation")
        theirs = await other.asset("Theirs")
        await hashed(engine, other.org_id, theirs, 42)
        await hashed(engine, other.org_id, source, 42)  # their facts under our asset's id change nothing
        assert await similar(client, tenant.token, source) == []
        assert await similar(client, other.token, theirs) == []

    async def test_an_asset_without_a_hash_has_null_and_one_without_neighbours_an_empty_list(
        self, client, engine, tenant
    ):
        pending = await tenant.asset("Pending")
        alone = await tenant.asset("Alone")
        await hashed(engine, tenant.org_id, alone, 42)
        assert await similar(client, tenant.token, pending) is None
        assert await similar(client, tenant.token, alone) == []


class TestArguments:
    @pytest.mark.parametrize(
        ("first", "d", "code", "field"),
        [
            (0, 10, "INVALID_INPUT", "first"),
            (51, 10, "LIMIT_EXCEEDED", "first"),
            (10, -1, "INVALID_INPUT", "maxDistance"),
            (10, MAX + 1, "LIMIT_EXCEEDED", "maxDistance"),
        ],
    )
    async def test_out_of_range_arguments_are_refused_with_their_code(
        self, client, engine, tenant, first, d, code, field
    ):
        pk = await tenant.asset("Source")
        await hashed(engine, tenant.org_id, pk, 42)
        _, body = await gql(
            client, tenant.token, SIMILAR, {"id": to_global_id("Asset", pk), "first": first, "d": d}
        )
        [error] = body["errors"]
        assert (error["extensions"]["code"], error["extensions"].get("field")) == (code, field)

    async def test_the_query_cost_counts_first_similar_assets(self, client, engine, tenant):
        pk = await tenant.asset("Source")
        costs = {}
        for first in (5, 45):
            _, body = await gql(
                client, tenant.token, SIMILAR, {"id": to_global_id("Asset", pk), "first": first, "d": 3}
            )
            costs[first] = body["extensions"]["cost"]
        per_item = 1 + (1 + 2)  # a SimilarAsset: distance, and asset with id and name
        assert costs[45] - costs[5] == 40 * per_item

    async def test_the_query_cost_adds_the_band_values_a_wider_search_looks_up(self, client, tenant):
        pk = await tenant.asset("Source")
        costs = {}
        for d in (3, 4, 8, 12):
            _, body = await gql(
                client, tenant.token, SIMILAR, {"id": to_global_id("Asset", pk), "first": 10, "d": d}
            )
            costs[d] = body["extensions"]["cost"]
        assert [costs[d] - costs[3] for d in (4, 8, 12)] == [16, 136, 696]  # 1 + 16, + C(16, 2), + C(16, 3)

    async def test_a_page_of_fifty_searching_twelve_bits_costs_most_of_the_limit(self, client, tenant):
        _, body = await gql(
            client, tenant.token, PAGE.replace("maxDistance: 8", "maxDistance: 12"), {"first": 50}
        )
        assert 35_000 < body["extensions"]["cost"] < 50_000


PAGE = """query($first: Int) { assets(first: $first) { edges { node { id
  similarAssets(first: 5, maxDistance: 8) { distance asset { id name } } } } } }"""


class TestStatements:
    async def test_a_page_of_fifty_costs_the_statements_of_a_page_of_five(self, client, engine, tenant):
        for i in range(60):
            pk = await tenant.asset(f"Asset {i}")
            await hashed(engine, tenant.org_id, pk, bunched(i % 10))
        counts = {}
        for first in (50, 5):
            with count_statements(engine) as statements:
                status, body = await gql(client, tenant.token, PAGE, {"first": first})
            assert status == 200 and "errors" not in body, body
            edges = body["data"]["assets"]["edges"]
            assert len(edges) == first and all(len(e["node"]["similarAssets"]) == 5 for e in edges)
            counts[first] = len(statements)
        assert counts[50] == counts[5] == 5  # the token, the page, the hashes, the candidates, their assets
