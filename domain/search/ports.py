"""The search room's port: finding the organisation's assets by filter, words and order, and counting them."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Protocol

from domain.kernel.pagination import Page, PageRequest
from domain.kernel.projection import ProjectedPage, Projection
from domain.library.model import Asset
from domain.search.model import AssetQuery, FacetCount, FacetKind


class AssetSearchReads(Protocol):
    """Reads over the organisation's assets and their full-text index, each call one statement.

    The full-text index covers each asset's name, description, alt text, prompt, negative
    prompt and tag names; the database keeps it in step with every change, in the same
    transaction, so a search never sees an edit that was rolled back.
    """

    async def page(self, org_id: int, query: AssetQuery, page: PageRequest) -> Page[Asset]:
        """A page of the organisation's assets that pass the filter and hold every search word, in the
        query's order (ties by id in the same direction), past `page.after` (a key of that order)."""
        ...

    async def whole_library_rows(
        self, org_id: int, page: PageRequest, projection: Projection
    ) -> ProjectedPage:
        """The page `page` answers for every live asset newest first (no filter, no words), as projected
        rows, with the relations of LibraryReads.group_asset_rows."""
        ...

    async def count(self, org_id: int, query: AssetQuery) -> int:
        """How many of the organisation's assets pass the filter and hold every search word."""
        ...

    async def facets(
        self, org_id: int, query: AssetQuery, kinds: Sequence[FacetKind], limit: int
    ) -> Mapping[FacetKind, Sequence[FacetCount]]:
        """For each kind, how many of the matching assets have each value, the most frequent first (ties
        by value, the root folder first), at most `limit` values; values no matching asset has are
        left out. One statement, whatever the number of kinds."""
        ...

    async def by_sha256(self, org_id: int, sha256: str) -> Asset | None:
        """The organisation's asset whose bytes have this hash (lower-case hex): the newest live one,
        else the newest in the trash; None when the organisation has none."""
        ...


class SimilarAssetReads(Protocol):
    """Perceptual hashes of the organisation's assets, each call one statement."""

    async def hashes(self, org_id: int, asset_ids: Sequence[int]) -> Mapping[int, int]:
        """Each asset's perceptual hash (signed 64-bit), trashed ones included; assets not processed
        (yet), failed or of another organisation are absent."""
        ...

    async def banded_live_assets(
        self, org_id: int, band_values: Sequence[Collection[int]]
    ) -> Sequence[tuple[int, int]]:
        """(asset id, perceptual hash) of each live (not trashed) processed asset of the organisation
        whose band `i` (domain.kernel.perceptual_hash.bands) is among `band_values[i]` for some `i`."""
        ...
