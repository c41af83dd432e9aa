"""Queuing assets' processing again, on a member's request (a rendition size added, a bug fixed)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from domain.kernel.access import Actor, Permission
from domain.library.model import Asset
from domain.library.selection import load_assets
from domain.processing.events import AssetRequeued

if TYPE_CHECKING:
    from domain.processing.services import Processing


async def reprocess_assets(processing: Processing, actor: Actor, *, asset_ids: list[int]) -> list[Asset]:
    """Queue the assets' processing again (PENDING until a worker has done it), all or none."""
    actor.require(Permission.ORGANISE)
    now = processing.clock.now()
    uow = processing.uow()
    async with uow:
        # held until the commit: a purge running meanwhile either waits and then deletes the job with
        # the asset, or deletes first and the asset is NOT_FOUND here; never a job of a purged asset
        await uow.trash.lock_assets(actor.org_id, asset_ids)
        assets = await load_assets(uow, actor.org_id, asset_ids, field="ids")
        await uow.jobs.enqueue(actor.org_id, "asset", {a.id: a.blob_key for a in assets}, now)
        for asset in assets:
            uow.record(AssetRequeued.by(actor, asset.id, now))
        await uow.commit()
    return assets
