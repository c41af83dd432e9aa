"""The rules of a similar-assets question, and the nearest-first choice over a fake port."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

import pytest

from domain.kernel.access import Actor, Role
from domain.kernel.errors import InvalidInput, LimitExceeded
from domain.kernel.perceptual_hash import bands
from domain.search.similarity import MAX_DISTANCE, MAX_SIMILAR, SimilarAsset, Similarity, similar_assets


class TestSimilarityBounds:
    @pytest.mark.parametrize(
        ("first", "max_distance", "error", "field"),
        [
            (0, 10, InvalidInput, "first"),
            (MAX_SIMILAR + 1, 10, LimitExceeded, "first"),
            (10, -1, InvalidInput, "maxDistance"),
            (10, MAX_DISTANCE + 1, LimitExceeded, "maxDistance"),
        ],
    )
    def test_out_of_range_is_refused_naming_the_argument(self, first, max_distance, error, field):
        with pytest.raises(error) as raised:
            Similarity.of(first, max_distance)
        assert raised.value.field == field

    @pytest.mark.parametrize(("first", "max_distance"), [(1, 0), (MAX_SIMILAR, MAX_DISTANCE)])
    def test_the_ends_of_each_range_are_accepted(self, first, max_distance):
        assert Similarity.of(first, max_distance) == Similarity(first, max_distance)


class BandedReads:
    """Live hashed assets in memory, filtered by bands as the SQL adapter's indexes do."""

    def __init__(self, live: dict[int, int], hashed: dict[int, int]) -> None:
        self.live, self.hashed = live, hashed
        self.asked: list[Sequence[Collection[int]]] = []

    async def hashes(self, org_id: int, asset_ids: Sequence[int]) -> Mapping[int, int]:
        return {i: self.hashed[i] for i in asset_ids if i in self.hashed}

    async def banded_live_assets(
        self, org_id: int, band_values: Sequence[Collection[int]]
    ) -> Sequence[tuple[int, int]]:
        self.asked.append(band_values)
        return [
            (i, h)
            for i, h in self.live.items()
            if any(b in values for b, values in zip(bands(h), band_values, strict=True))
        ]


class TestSimilarAssets:
    async def test_nearest_first_ties_by_id_at_most_first_and_itself_left_out(self):
        live = {1: 0b0, 2: 0b111, 3: 0b1, 4: 0b11, 5: 0b10, 6: 0b1111}
        reads = BandedReads(live, live)
        found = await similar_assets(
            reads, Actor(org_id=1, member_id=1, role=Role.VIEWER), asset_ids=[1], similarity=Similarity(3, 3)
        )
        assert found == {1: [SimilarAsset(3, 1), SimilarAsset(5, 1), SimilarAsset(4, 2)]}

    async def test_an_asset_without_a_hash_has_none_and_costs_no_candidate_lookup(self):
        reads = BandedReads({1: 0}, {})
        found = await similar_assets(
            reads, Actor(org_id=1, member_id=1, role=Role.VIEWER), asset_ids=[7], similarity=Similarity()
        )
        assert found == {7: None} and reads.asked == []
