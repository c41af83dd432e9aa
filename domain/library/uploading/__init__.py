"""addUploadsToLibrary: received uploads become library assets, all or none, deduplicated by content.

The file's own metadata decides what the asset is: none from a generator, a plain image
(`ai_generated` false, no provenance); another tool's (A1111, ComfyUI, InvokeAI, ...), an
AI image whose provenance holds what the file said. Those texts were bounded, stripped of
controls and passed through the credential guard when the upload was received
(domain/studio/uploads.py), so they are taken as they are here.

Bytes the organisation's library already holds in a live asset are not stored twice: the
item answers with that asset (`deduplicated`), the upload is used up and nothing is charged.
A trashed asset does not count: the bytes make a new asset, and the trashed one keeps its
own fate. The write transaction holds the organisation's row (PostgreSQL; SQLite's write
lock is serial already), so two requests adding the same bytes at once make one asset: the
second finds the first's. A unique index could not say it: two generations with the same
bytes (the same prompt and seed) are saved as two assets on purpose.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from domain.kernel.access import Actor, Permission
from domain.kernel.bulk import check_count
from domain.kernel.errors import Conflict, InvalidInput, QuotaExceeded
from domain.kernel.prompt_guard import refuse_secrets
from domain.library.events import AssetUploaded, TagCreated
from domain.library.model import Asset, name_key
from domain.library.uploading.checks import OVER_QUOTA, SCOPE, Request, check, remembered
from domain.library.uploading.items import (
    UploadedAsset,
    UploadItem,
    asset_name,
    checked_items,
    fingerprint,
    provenance_of,
)
from domain.library.writes import NewAsset
from domain.studio.model import Upload
from domain.unit_of_work import UnitOfWork

if TYPE_CHECKING:
    from domain.library.services import Library

__all__ = ["UploadItem", "UploadedAsset", "add_uploads_to_library"]

_KEY = re.compile(r"[A-Za-z0-9._:~-]{1,255}")


async def add_uploads_to_library(
    library: Library,
    actor: Actor,
    *,
    items: Sequence[UploadItem],
    idempotency_key: str | None = None,
) -> list[UploadedAsset]:
    """Add 1-500 uploads to the library, all or none, each bad item named by index and upload id.

    Checked first in a reading transaction, so a refused request copies no file and files are
    copied with no database lock held; then again, locked, where the assets are written.
    """
    actor.require(Permission.ORGANISE)
    check_count([i.upload_id for i in items], field="items")
    items = checked_items(items)
    if idempotency_key is not None:
        if not _KEY.fullmatch(idempotency_key):
            raise InvalidInput("an idempotency key is 1-255 letters, digits or ._:~-", field="idempotencyKey")
        refuse_secrets(idempotency_key, field="idempotencyKey")  # it is stored with the result
    now = library.clock.now()
    request = Request(actor, items, idempotency_key, fingerprint(items), now)
    uow = library.uow()
    async with uow.reading():
        first = await check(uow, request)
    if first.replay is not None:
        return first.replay
    copied = await _copy_to_library(library, first.new_keys())
    async with uow:
        # the organisation's row, held to the commit: two requests adding the same bytes take turns,
        # and a folder cannot be deleted under the assets filed into it
        await uow.library.lock_folder_tree(actor.org_id)
        checked = await check(uow, request, locked=True)
        if checked.replay is not None:
            return checked.replay
        new = checked.new
        if new and not await uow.organisations.reserve_storage(
            actor.org_id, sum(u.byte_size for _, u in new)
        ):
            raise QuotaExceeded(OVER_QUOTA)
        if missing := [u.blob_key for _, u in new if u.blob_key not in copied]:
            await library.blobs.copy("scratch", "library", missing)  # rare: a twin was trashed meanwhile
        tag_ids = await _ensure_tags(uow, actor, [item for item, _ in new], now)
        created = await _create_assets(uow, actor, new, tag_ids, now)
        consumed = await uow.uploads.consume_many(actor.org_id, [i.upload_id for i in items], now)
        if len(consumed) != len(items):
            raise Conflict("an upload was used meanwhile; try again", field="items")
        by_key = {**checked.by_key, **{a.blob_key: a for a in created.values()}}
        results = []
        for item, upload in zip(items, checked.uploads, strict=True):
            deduplicated = item.upload_id not in created
            results.append(UploadedAsset(by_key[upload.blob_key], deduplicated))
            uow.record(
                AssetUploaded.by(
                    actor, results[-1].asset.id, now, upload_id=upload.id, deduplicated=deduplicated
                )
            )
        if idempotency_key is not None and not await uow.idempotency.put(
            actor.org_id, SCOPE, idempotency_key, remembered(request.fingerprint, results), now
        ):
            raise Conflict(
                "this idempotency key was used by a concurrent request; retry", field="idempotencyKey"
            )
        await uow.commit()
    return results


async def _create_assets(
    uow: UnitOfWork,
    actor: Actor,
    new: Sequence[tuple[UploadItem, Upload]],
    tag_ids: dict[str, int],
    now: datetime,
) -> dict[int, Asset]:
    """The one place an asset is made from an upload: the new assets, by the upload id they came from.

    Each new asset's processing (thumbnails, facts) is queued in the same transaction, as
    saveToLibrary queues its own; a deduplicated item never comes here, so the asset it
    answers with keeps its job (queuing it again would reset a READY one).
    """
    assets = await uow.library.add_assets(
        [
            NewAsset(
                org_id=actor.org_id,
                name=asset_name(upload, item.options.name),
                description=item.options.description,
                alt_text=item.options.alt_text or "",
                folder_id=item.options.folder_id,
                blob_key=upload.blob_key,
                mime_type=upload.mime_type,
                byte_size=upload.byte_size,
                width=upload.width,
                height=upload.height,
                provenance=provenance_of(upload),
                created_at=now,
                tag_ids=tuple(dict.fromkeys(tag_ids[name_key(t)] for t in item.options.tags)),
                project_ids=item.options.project_ids,
            )
            for item, upload in new
        ]
    )
    await uow.jobs.enqueue(actor.org_id, "asset", {a.id: a.blob_key for a in assets}, now)
    return {item.upload_id: asset for (item, _), asset in zip(new, assets, strict=True)}


async def _copy_to_library(library: Library, keys: Sequence[str]) -> set[str]:
    """Copy the files into the library area; the keys copied (none when a source is gone)."""
    if not keys:
        return set()
    try:
        await library.blobs.copy("scratch", "library", keys)
    except FileNotFoundError:
        return set()  # swept meanwhile: the write transaction finds the upload gone, and says so
    return set(keys)


async def _ensure_tags(
    uow: UnitOfWork, actor: Actor, items: Sequence[UploadItem], now: datetime
) -> dict[str, int]:
    """Every tag the new assets name, created when new (with its event), by name key."""
    names: dict[str, str] = {}
    for item in items:
        for name in item.options.tags:
            names.setdefault(name_key(name), name)
    tags, created = await uow.library.ensure_tags(actor.org_id, list(names.values()), now)
    for tag in tags:
        if tag.id in created:
            uow.record(TagCreated.by(actor, tag.id, now, name=tag.name))
    return {key: tag.id for key, tag in zip(names, tags, strict=True)}
