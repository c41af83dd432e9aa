"""Trashing, restoring and purging assets, by hand (1-500 at once, all or nothing) or by the
retention window.

A purge deletes the rows (their links go with them), takes exactly their bytes off the
organisation's storage in the same transaction, and only after the commit deletes the files
no row refers to any more: a crash in between leaves at worst an orphan file, which the
Studio's orphan sweep removes, never a row without its file.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from domain.kernel.access import Actor, Permission
from domain.kernel.errors import DomainError, InvalidState
from domain.library.events import AssetPurged, AssetRestored, AssetTrashed, PlacementRemoved
from domain.library.model import Asset
from domain.library.selection import load_assets
from domain.library.trash.ports import PurgedAsset
from domain.unit_of_work import UnitOfWork

if TYPE_CHECKING:
    from domain.library.services import Library

DEFAULT_TRASH_RETENTION = timedelta(days=30)
"""How long an asset stays in the trash before the periodic purge deletes it."""

PURGE_BATCH = 500
"""Assets one run of the retention purge deletes at most: one transaction, bounded."""

BLOB_GRACE = timedelta(hours=1)
"""A library file stored (or stored again) this recently is left to the orphan sweep: a save of the
same bytes may have linked it and not yet committed its row. The Studio's sweep uses the same grace."""


async def trash_assets(
    library: Library, actor: Actor, *, asset_ids: Sequence[int], force: bool = False
) -> list[Asset]:
    """Move 1-500 assets to the trash, all or none (EDITOR role or above). One in use (it has
    placements) is INVALID_STATE unless `force`, which removes its placements; a trashed one stays
    as it is. Trashed assets still count toward storage until purged."""
    actor.require(Permission.ORGANISE)
    now = library.clock.now()
    uow = library.uow()
    org = actor.org_id
    async with uow:
        await uow.trash.lock_assets(org, asset_ids)  # before counting: a proposal waits, then sees the trash
        uses = await uow.placements.count_by_asset(org, asset_ids)

        def in_use(asset: Asset) -> DomainError | None:
            n = uses.get(asset.id, 0)
            if n and not force and asset.trashed_at is None:
                return InvalidState(f"the asset is in use ({n} placement(s)); trash it with force: true")
            return None

        assets = await load_assets(uow, org, asset_ids, field="ids", check=in_use)
        removed = await uow.placements.remove_for_assets(org, list(uses)) if uses else ()
        changed = await uow.trash.trash_assets(org, asset_ids, now)
        if not changed:
            return assets
        per_asset: dict[int, int] = defaultdict(int)
        for p in removed:
            per_asset[p.asset_id] += 1
            uow.record(PlacementRemoved.by(actor, p.id, now, asset_id=p.asset_id, reason="asset_trashed"))
        for id in asset_ids:
            if id in changed:
                uow.record(AssetTrashed.by(actor, id, now, forced=force, placements_removed=per_asset[id]))
        await uow.commit()
    return [replace(a, trashed_at=now, updated_at=now) if a.id in changed else a for a in assets]


async def restore_assets(library: Library, actor: Actor, *, asset_ids: Sequence[int]) -> list[Asset]:
    """Take 1-500 assets out of the trash, all or none (EDITOR role or above), into the folder they
    are in (their own, unless it was deleted meanwhile); a live one stays as it is."""
    actor.require(Permission.ORGANISE)
    now = library.clock.now()
    uow = library.uow()
    async with uow:
        assets = await load_assets(uow, actor.org_id, asset_ids, field="ids")
        changed = await uow.trash.restore_assets(actor.org_id, asset_ids, now)
        if not changed:
            return assets
        for id in asset_ids:
            if id in changed:
                uow.record(AssetRestored.by(actor, id, now))
        fresh = await uow.library.assets(actor.org_id, asset_ids)  # the folder may have changed meanwhile
        await uow.commit()
    return [fresh[id] for id in asset_ids]


async def purge_assets(library: Library, actor: Actor, *, asset_ids: Sequence[int]) -> list[int]:
    """Delete 1-500 trashed assets for good, all or none (ADMIN role: it cannot be undone); a live one
    is INVALID_STATE. Frees their storage; returns the ids this call deleted (one a racing purge
    deleted first is not among them, and its bytes are freed once)."""
    actor.require(Permission.ADMINISTER)
    now = library.clock.now()
    uow = library.uow()
    async with uow:
        await load_assets(uow, actor.org_id, asset_ids, field="ids", check=Asset.cannot_be_purged)
        gone = await _purge(uow, actor.org_id, asset_ids, now, actor=actor)
        await _forget_processing(uow, gone)
        await uow.commit()
    await _delete_unused_files(library, uow, gone)
    return [p.id for p in gone]


async def purge_expired_trash(library: Library, *, limit: int = PURGE_BATCH) -> int:
    """Purge up to `limit` assets of any organisation trashed longer ago than the retention window;
    returns how many. The cut-off is checked again as each row is deleted, so an asset restored
    meanwhile stays."""
    now = library.clock.now()
    cutoff = now - library.trash_retention
    uow = library.uow()
    async with uow.reading():  # without the write lock: a run with nothing to purge never makes writers wait
        due = await uow.trash.expired_trash(cutoff, limit=limit)
    if not due:
        return 0
    by_org: dict[int, list[int]] = defaultdict(list)
    for asset in due:
        if asset.purge_due(now, library.trash_retention):
            by_org[asset.org_id].append(asset.id)
    gone: list[PurgedAsset] = []
    async with uow:
        for org, ids in by_org.items():
            gone.extend(await _purge(uow, org, ids, now, trashed_before=cutoff))
        await _forget_processing(uow, gone)
        await uow.commit()
    await _delete_unused_files(library, uow, gone)
    return len(gone)


async def _purge(
    uow: UnitOfWork,
    org_id: int,
    asset_ids: Sequence[int],
    now: datetime,
    *,
    actor: Actor | None = None,
    trashed_before: datetime | None = None,
) -> Sequence[PurgedAsset]:
    """Delete the rows, free exactly the bytes of those this transaction deleted, record the events."""
    gone = await uow.trash.purge_assets(org_id, asset_ids, trashed_before=trashed_before)
    await uow.organisations.release_storage(org_id, sum(p.byte_size for p in gone))
    for p in gone:
        uow.record(
            AssetPurged(
                org_id=org_id,
                subject_id=p.id,
                actor_id=actor.member_id if actor else None,
                occurred_at=now,
                byte_size=p.byte_size,
                automatic=actor is None,
            )
        )
    return gone


async def _forget_processing(uow: UnitOfWork, gone: Sequence[PurgedAsset]) -> None:
    """The purged assets' jobs, facts and renditions go in the same transaction, for every organisation
    at once (a fixed three statements): none outlives its asset, nor is inherited by a later row given
    the same id (SQLite may reuse the highest one)."""
    by_org: dict[int, list[int]] = defaultdict(list)
    for p in gone:
        by_org[p.org_id].append(p.id)
    await uow.jobs.forget("asset", by_org)


async def _delete_unused_files(library: Library, uow: UnitOfWork, gone: Sequence[PurgedAsset]) -> None:
    """After the commit: delete the files no asset row refers to any more (the same bytes may belong
    to another asset, of any organisation: the store is content-addressed), sparing fresh ones."""
    keys = list(dict.fromkeys(p.blob_key for p in gone))
    if not keys:
        return
    async with uow.reading():
        used = await uow.generations.blobs_in_use("library", keys)
    for key in keys:
        if key not in used:
            await library.blobs.delete("library", key, unless_stored_within=BLOB_GRACE)
