"""Editing library assets: name, description, alt text and folder of one asset."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from domain.kernel.access import Actor, Permission
from domain.kernel.alt_text import clean_alt_text, refuse_prompt_copy
from domain.kernel.changes import KEEP, Keep
from domain.kernel.errors import NotFound
from domain.kernel.text import clean_text
from domain.library.events import AssetUpdated
from domain.library.model import Asset
from domain.library.organising.names import MAX_DESCRIPTION, MAX_NAME
from domain.unit_of_work import UnitOfWork

if TYPE_CHECKING:
    from domain.library.services import Library

EDITABLE = ("name", "description", "alt_text", "folder_id")
"""The fields `update_asset` changes, in the order an event names them."""


async def _asset(uow: UnitOfWork, org_id: int, asset_id: int) -> Asset:
    asset = (await uow.library.assets(org_id, [asset_id])).get(asset_id)
    if asset is None:
        raise NotFound("no such asset", field="id")
    return asset


async def _check_folder(uow: UnitOfWork, org_id: int, folder_id: int | None) -> None:
    if folder_id is not None and await uow.library.folder(org_id, folder_id) is None:
        raise NotFound("no such folder", field="folderId")


async def update_asset(
    library: Library,
    actor: Actor,
    *,
    asset_id: int,
    name: str | Keep = KEEP,
    description: str | Keep | None = KEEP,
    alt_text: str | Keep = KEEP,
    folder_id: int | Keep | None = KEEP,
) -> Asset:
    """Change an asset's name, description, alt text or folder; fields not given stay, a None
    description clears it, a None folder is the root. The alt text follows the review's rules and is
    not the prompt copied. A trashed asset is INVALID_STATE; a change to what is there records nothing."""
    actor.require(Permission.ORGANISE)
    changes: dict[str, Any] = {}
    if not isinstance(name, Keep):
        changes["name"] = clean_text(name, field="name", max_length=MAX_NAME, required=True, single_line=True)
    if not isinstance(description, Keep):
        changes["description"] = clean_text(
            description or "", field="description", max_length=MAX_DESCRIPTION
        )
    if not isinstance(alt_text, Keep):
        changes["alt_text"] = clean_alt_text(alt_text)
    if not isinstance(folder_id, Keep):
        changes["folder_id"] = folder_id
    now = library.clock.now()
    uow = library.uow()
    async with uow:
        asset = await _asset(uow, actor.org_id, asset_id)
        if (problem := asset.cannot_be_edited()) is not None:
            problem.field = "id"
            raise problem
        if "alt_text" in changes and asset.provenance is not None:
            refuse_prompt_copy(changes["alt_text"], asset.provenance.prompt)
        changed = tuple(k for k in EDITABLE if k in changes and changes[k] != getattr(asset, k))
        if not changed:
            return asset
        if "folder_id" in changed:
            await _check_folder(uow, actor.org_id, changes["folder_id"])
        updated = replace(asset, **{k: changes[k] for k in changed}, updated_at=now)
        await uow.library.update_asset(updated)
        uow.record(AssetUpdated.by(actor, asset_id, now, fields=changed))
        await uow.commit()
    return updated
