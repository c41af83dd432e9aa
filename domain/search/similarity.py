"""Similar assets: the organisation's live assets whose perceptual hash is near an asset's, nearest first.

The database narrows the organisation to candidates that share a band value near one of
the asset's (domain.kernel.perceptual_hash); the exact distance is checked here, over the
candidates only, since SQLite has no popcount.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from domain.kernel.access import Actor, Permission
from domain.kernel.errors import InvalidInput, LimitExceeded
from domain.kernel.perceptual_hash import BANDS, band_radius, bands, distance, near_values
from domain.search.ports import SimilarAssetReads

DEFAULT_SIMILAR = 10
MAX_SIMILAR = 50
"""Similar assets listed per asset, at most."""
DEFAULT_MAX_DISTANCE = 10
MAX_DISTANCE = 12
"""The widest search, in bits of 64: beyond about 12 a dHash match stops meaning "looks alike", and
up to 15 the bands are searched at the same radius (3), so 12 costs what 15 would."""


def lookup_cost(max_distance: int) -> int:
    """The band values looked up per band and asset for `max_distance`: what a search costs the database
    beyond what it returns (each value is an index search; random hashes match 1.5 per value at 100k)."""
    return len(near_values(0, band_radius(max(0, min(max_distance, MAX_DISTANCE)))))


@dataclass(frozen=True, slots=True)
class Similarity:
    """What a similar-assets question asks: at most `first` assets within `max_distance` bits."""

    first: int = DEFAULT_SIMILAR
    max_distance: int = DEFAULT_MAX_DISTANCE

    @classmethod
    def of(cls, first: int, max_distance: int) -> Similarity:
        """The checked question (first 1-50, max_distance 0-12): INVALID_INPUT below, LIMIT_EXCEEDED above."""
        if first < 1:
            raise InvalidInput("`first` is at least 1", field="first")
        if first > MAX_SIMILAR:
            raise LimitExceeded(f"`first` is at most {MAX_SIMILAR}", field="first")
        if max_distance < 0:
            raise InvalidInput("`maxDistance` is at least 0", field="maxDistance")
        if max_distance > MAX_DISTANCE:
            raise LimitExceeded(f"`maxDistance` is at most {MAX_DISTANCE}", field="maxDistance")
        return cls(first, max_distance)


@dataclass(frozen=True, slots=True)
class SimilarAsset:
    """An asset near another, and how many of the 64 hash bits differ."""

    asset_id: int
    distance: int


async def similar_assets(
    reads: SimilarAssetReads, actor: Actor, *, asset_ids: Sequence[int], similarity: Similarity
) -> Mapping[int, list[SimilarAsset] | None]:
    """For each asset, its similar live assets (itself left out), nearest first, ties by id;
    None for an asset without a hash (not processed yet, or failed) or not of the organisation.

    Two statements for any number of assets: their hashes, then the candidates of all of them.
    """
    actor.require(Permission.READ)
    hashes = await reads.hashes(actor.org_id, asset_ids)
    out: dict[int, list[SimilarAsset] | None] = dict.fromkeys(asset_ids)
    if not hashes:
        return out
    radius = band_radius(similarity.max_distance)
    near = {h: [near_values(v, radius) for v in bands(h)] for h in set(hashes.values())}
    wanted: list[set[int]] = [set() for _ in range(BANDS)]
    for values in near.values():
        for band, around in enumerate(values):
            wanted[band].update(around)
    found = await reads.banded_live_assets(actor.org_id, wanted)
    by_band: list[dict[int, list[tuple[int, int]]]] = [{} for _ in range(BANDS)]
    for candidate in found:
        for index, value in zip(by_band, bands(candidate[1]), strict=True):
            if value in index:
                index[value].append(candidate)
            else:
                index[value] = [candidate]
    for asset_id, h in hashes.items():
        out[asset_id] = _nearest(asset_id, h, near[h], by_band, similarity)
    return out


def _nearest(
    asset_id: int,
    h: int,
    near: Sequence[Collection[int]],
    by_band: Sequence[Mapping[int, list[tuple[int, int]]]],
    similarity: Similarity,
) -> list[SimilarAsset]:
    """The candidates sharing a near band value with `h`, checked exactly, nearest first."""
    checked: dict[int, int] = {}
    for band, values in enumerate(near):
        for value in values:
            for other, other_hash in by_band[band].get(value, ()):
                if other != asset_id and other not in checked:
                    checked[other] = distance(h, other_hash)
    within = sorted((d, other) for other, d in checked.items() if d <= similarity.max_distance)
    return [SimilarAsset(other, d) for d, other in within[: similarity.first]]
