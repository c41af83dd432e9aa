"""`Asset.similarAssets`: the type of one neighbour, and its per-request loader (one per question asked)."""

from __future__ import annotations

import strawberry
from strawberry.dataloader import DataLoader

from domain.kernel.access import Actor
from domain.search.ports import SimilarAssetReads
from domain.search.similarity import Similarity, similar_assets
from graph.library.types import Asset


@strawberry.type(description="An asset that looks like another: their perceptual hashes are close.")
class SimilarAsset:
    distance: int = strawberry.field(
        description="How many of the 64 bits of the two perceptual hashes (dHash) differ: 0 is "
        "the same picture (resized, recompressed), up to about 10 a near-duplicate or a variation."
    )
    asset: Asset = strawberry.field(description="The similar asset.")


class SimilarLoaders:
    """Similar assets of one request: a loader per (first, maxDistance), each batched across the page."""

    def __init__(self, reads: SimilarAssetReads, actor: Actor, assets: DataLoader[int, Asset | None]) -> None:
        self._reads, self._actor, self._assets = reads, actor, assets
        self._loaders: dict[Similarity, DataLoader[int, list[SimilarAsset] | None]] = {}

    def of(self, similarity: Similarity) -> DataLoader[int, list[SimilarAsset] | None]:
        """The loader of one question; two statements for any number of assets, and their assets' batch."""
        if similarity not in self._loaders:
            reads, actor, assets = self._reads, self._actor, self._assets

            async def load(keys: list[int]) -> list[list[SimilarAsset] | None]:
                found = await similar_assets(reads, actor, asset_ids=keys, similarity=similarity)
                ids = list(dict.fromkeys(s.asset_id for near in found.values() for s in near or ()))
                objects = dict(zip(ids, await assets.load_many(ids), strict=True))
                return [
                    None
                    if (near := found[k]) is None
                    else [
                        SimilarAsset(distance=s.distance, asset=a)
                        for s in near
                        if (a := objects[s.asset_id]) is not None  # purged in between
                    ]
                    for k in keys
                ]

            self._loaders[similarity] = DataLoader(load_fn=load)
        return self._loaders[similarity]
