"""Sorts: each field both ways, ties broken by id, keyset cursors bound to their order."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.builders import codes, gql
from tests.graph.search.finding import ASSETS, find, walk

T0 = datetime(2026, 1, 1, tzinfo=UTC)


@pytest.fixture
async def ties(tenant):
    """Six assets whose sort values tie in pairs, inserted so that id order differs from value order."""
    rows = [
        ("b", 300, 2, 2),
        ("A", 100, 5, 0),
        ("c", 300, 2, 2),
        ("a", 100, 5, 0),
        ("B", 200, 0, 1),
        ("C", 200, 0, 1),
    ]
    for name, size, rating, day in rows:
        await tenant.asset(name, byte_size=size, rating=rating, updated_at=T0 + timedelta(days=day))
    return tenant


def expected(rows: list[tuple[str, object]], descending: bool) -> list[str]:
    """Names by value, ties by insertion order (the id), both in the sort's direction."""
    indexed = [(value, i, name) for i, (name, value) in enumerate(rows)]
    return [name for _, _, name in sorted(indexed, reverse=descending)]


INSERTED = ["b", "A", "c", "a", "B", "C"]
VALUES = {
    "BYTE_SIZE": [300, 100, 300, 100, 200, 200],
    "RATING": [2, 5, 2, 5, 0, 0],
    "UPDATED_AT": [2, 0, 2, 0, 1, 1],
    "NAME": ["b", "a", "c", "a", "b", "c"],  # regardless of case
    "CREATED_AT": [0, 1, 2, 3, 4, 5],
}


class TestEachSort:
    @pytest.mark.parametrize("field", list(VALUES))
    @pytest.mark.parametrize("direction", ["ASC", "DESC"])
    async def test_pages_of_two_walk_the_order_across_ties_without_gaps_or_repeats(
        self, client, ties, field, direction
    ):
        sort = {"field": field, "direction": direction}
        want = expected(list(zip(INSERTED, VALUES[field], strict=True)), direction == "DESC")
        assert await walk(client, ties, 2, sort=sort) == want
        assert await walk(client, ties, 100, sort=sort) == want

    async def test_newest_first_is_the_default(self, client, ties):
        assert await walk(client, ties, 4) == list(reversed(INSERTED))


class TestCursors:
    async def test_a_cursor_of_another_order_is_refused(self, client, ties):
        by_name = await find(client, ties, first=2, sort={"field": "NAME", "direction": "ASC"})
        cursor = by_name["pageInfo"]["endCursor"]
        for sort in (
            {"field": "NAME", "direction": "DESC"},
            {"field": "BYTE_SIZE", "direction": "ASC"},
            None,
        ):
            _, body = await gql(client, ties.token, ASSETS, {"after": cursor, "sort": sort})
            assert codes(body) == ["INVALID_INPUT"], sort
            assert body["errors"][0]["extensions"]["field"] == "after"

    async def test_relevance_without_a_search_is_refused(self, client, ties):
        _, body = await gql(client, ties.token, ASSETS, {"sort": {"field": "RELEVANCE"}})
        assert codes(body) == ["INVALID_INPUT"]
        assert body["errors"][0]["extensions"]["field"] == "sort"

    @pytest.mark.parametrize("field", ["CREATED_AT", "NAME", "UPDATED_AT"])
    async def test_assets_arriving_between_pages_cause_no_repeat_and_no_gap(self, client, tenant, field):
        for i in range(6):
            await tenant.asset(f"old {i}", updated_at=T0 + timedelta(hours=i))
        sort = {"field": field, "direction": "DESC"}
        first = await find(client, tenant, first=3, sort=sort)
        seen = [e["node"]["name"] for e in first["edges"]]
        for i in range(3):  # newer than all, and named to sort among the old ones too
            await tenant.asset(f"old {i}b", updated_at=T0 + timedelta(days=30))
        rest = await find(client, tenant, first=100, after=first["pageInfo"]["endCursor"], sort=sort)
        seen += [e["node"]["name"] for e in rest["edges"]]
        old = [n for n in seen if not n.endswith("b")]
        assert sorted(old) == [f"old {i}" for i in range(6)]  # none lost, none twice
        assert len(old) == len(set(old)) == 6
