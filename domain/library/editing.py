"""Editing library assets: one asset's name, description, alt text and folder; and in bulk, the
folder, tags and projects of up to 500 assets at once."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from domain.kernel.access import Actor, Permission
from domain.kernel.alt_text import clean_alt_text, refuse_prompt_copy
from domain.kernel.changes import KEEP, Keep
from domain.kernel.errors import InvalidInput, LimitExceeded, NotFound
from domain.kernel.text import clean_text
from domain.library.events import AssetRated, AssetsFavourited, AssetsUnfavourited, AssetUpdated, TagCreated
from domain.library.model import Asset, check_rating, name_key
from domain.library.organising.names import MAX_DESCRIPTION, MAX_NAME
from domain.library.saving import MAX_TAG
from domain.library.selection import load_assets
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
            # as folder moves and deletes do: a deleteFolder cannot pass meanwhile and strand the asset
            await uow.library.lock_folder_tree(actor.org_id)
            await _check_folder(uow, actor.org_id, changes["folder_id"])
        updated = replace(asset, **{k: changes[k] for k in changed}, updated_at=now)
        await uow.library.update_asset(updated)
        uow.record(AssetUpdated.by(actor, asset_id, now, fields=changed))
        await uow.commit()
    return updated


@dataclass(frozen=True, slots=True)
class BulkEdit:
    """What `update_assets` does to every asset: a folder to move to (KEEP: stay; None: the root),
    tags to add by name (created when new) or remove by id or by name, projects to link or unlink."""

    folder_id: int | Keep | None = KEEP
    add_tags: tuple[str, ...] = ()
    remove_tag_ids: tuple[int, ...] = ()
    remove_tags: tuple[str, ...] = ()
    add_project_ids: tuple[int, ...] = ()
    remove_project_ids: tuple[int, ...] = ()

    def cleaned(self) -> BulkEdit:
        """Bounded, tag names cleaned and deduplicated regardless of case; repeats are INVALID_INPUT."""
        for field, ids in (
            ("removeTagIds", self.remove_tag_ids),
            ("addProjectIds", self.add_project_ids),
            ("removeProjectIds", self.remove_project_ids),
        ):
            if len(ids) > MAX_LINKS:
                raise LimitExceeded(f"at most {MAX_LINKS} at once", field=field)
            if len(set(ids)) != len(ids):
                raise InvalidInput("listed more than once", field=field)
        if len(self.add_tags) > MAX_LINKS:
            raise LimitExceeded(f"at most {MAX_LINKS} tags at once", field="addTags")
        tags: dict[str, str] = {}
        for i, tag in enumerate(self.add_tags):
            cleaned = clean_text(
                tag, field=f"addTags[{i}]", max_length=MAX_TAG, required=True, single_line=True
            )
            tags.setdefault(name_key(cleaned), cleaned)
        if len(self.remove_tags) > MAX_LINKS:
            raise LimitExceeded(f"at most {MAX_LINKS} tags at once", field="removeTags")
        removed = tuple(
            clean_text(tag, field=f"removeTags[{i}]", max_length=MAX_TAG, required=True, single_line=True)
            for i, tag in enumerate(self.remove_tags)
        )  # kept in place, so that an unknown one is named by its position
        return replace(self, add_tags=tuple(tags.values()), remove_tags=removed)


MAX_LINKS = 20
"""Tags or projects one bulk edit adds or removes, per list."""


async def _check_projects(uow: UnitOfWork, org_id: int, edit: BulkEdit) -> None:
    wanted = (*edit.add_project_ids, *edit.remove_project_ids)
    found = await uow.library.projects(org_id, wanted) if wanted else {}
    for field, ids, adding in (
        ("addProjectIds", edit.add_project_ids, True),
        ("removeProjectIds", edit.remove_project_ids, False),
    ):
        for i, id in enumerate(ids):
            project = found.get(id)
            if project is None:
                raise NotFound("no such project", field=f"{field}[{i}]")
            if adding and (problem := project.cannot_take_assets()) is not None:
                problem.field = f"{field}[{i}]"
                raise problem


async def _tags_to_remove(uow: UnitOfWork, org_id: int, edit: BulkEdit) -> tuple[int, ...]:
    """The ids of the tags to remove, given by id or by name (matched by name key); each must exist."""
    ids = edit.remove_tag_ids
    found = await uow.library.tags(org_id, ids) if ids else {}
    for i, id in enumerate(ids):
        if id not in found:
            raise NotFound("no such tag", field=f"removeTagIds[{i}]")
    named = await uow.library_lookups.tags_by_names(org_id, edit.remove_tags) if edit.remove_tags else {}
    by_name = []
    for i, name in enumerate(edit.remove_tags):
        tag = named.get(name_key(name))
        if tag is None:
            raise NotFound("no tag has this name", field=f"removeTags[{i}]")
        by_name.append(tag.id)
    return tuple(dict.fromkeys((*ids, *by_name)))


async def update_assets(
    library: Library, actor: Actor, *, asset_ids: Sequence[int], edit: BulkEdit
) -> list[Asset]:
    """Move 1-500 assets to a folder, add or remove tags and projects, all or none (each bad asset
    named by index and id; a trashed one is INVALID_STATE). Links that exist stay; an asset that
    changes gets a newer `updated_at` and an AssetUpdated naming what changed."""
    actor.require(Permission.ORGANISE)
    edit = edit.cleaned()
    now = library.clock.now()
    uow = library.uow()
    org = actor.org_id
    async with uow:
        assets = await load_assets(uow, org, asset_ids, field="ids", check=Asset.cannot_be_edited)
        if not isinstance(edit.folder_id, Keep):
            # as folder moves and deletes do: a deleteFolder cannot pass meanwhile and strand the assets
            await uow.library.lock_folder_tree(org)
            await _check_folder(uow, org, edit.folder_id)
        await _check_projects(uow, org, edit)
        remove_tag_ids = await _tags_to_remove(uow, org, edit)
        changed: dict[int, set[str]] = {}
        tags_created = False

        def note(ids: set[int], what: str) -> None:
            for id in ids:
                changed.setdefault(id, set()).add(what)

        if not isinstance(edit.folder_id, Keep):
            note(await uow.library.move_assets(org, asset_ids, edit.folder_id), "folder_id")
        if edit.add_tags:
            tags, created = await uow.library.ensure_tags(org, edit.add_tags, now)
            for tag in tags:
                if tag.id in created:
                    tags_created = True
                    uow.record(TagCreated.by(actor, tag.id, now, name=tag.name))
            note(await uow.library.link_assets(org, "tag", asset_ids, [t.id for t in tags]), "tags")
        if remove_tag_ids:
            note(await uow.library.unlink_assets(org, "tag", asset_ids, remove_tag_ids), "tags")
        if edit.add_project_ids:
            note(await uow.library.link_assets(org, "project", asset_ids, edit.add_project_ids), "projects")
        if edit.remove_project_ids:
            note(
                await uow.library.unlink_assets(org, "project", asset_ids, edit.remove_project_ids),
                "projects",
            )
        if not changed and not tags_created:
            return assets
        touched = [id for id in asset_ids if id in changed]
        await uow.library.touch_assets(org, touched, now)
        for id in touched:
            uow.record(AssetUpdated.by(actor, id, now, fields=tuple(sorted(changed[id]))))
        fresh = await uow.library.assets(org, asset_ids)
        await uow.commit()
    return [fresh[id] for id in asset_ids]


async def favourite_assets(library: Library, actor: Actor, *, asset_ids: Sequence[int]) -> list[Asset]:
    """Make 1-500 assets the member's own favourites, all or none (a trashed one is INVALID_STATE);
    favourites are personal, so every role that reads may keep them. Favouriting again changes nothing."""
    return await _set_favourites(library, actor, asset_ids, True)


async def unfavourite_assets(library: Library, actor: Actor, *, asset_ids: Sequence[int]) -> list[Asset]:
    """Remove 1-500 assets (trashed ones too) from the member's favourites, all or none; one that is
    not a favourite stays as it is."""
    return await _set_favourites(library, actor, asset_ids, False)


async def _set_favourites(library: Library, actor: Actor, asset_ids: Sequence[int], on: bool) -> list[Asset]:
    actor.require(Permission.READ)
    now = library.clock.now()
    uow = library.uow()
    async with uow:
        assets = await load_assets(
            uow, actor.org_id, asset_ids, field="ids", check=Asset.cannot_be_edited if on else None
        )
        repo = uow.library
        if on:
            changed = await repo.favourite_assets(actor.org_id, actor.member_id, asset_ids, now)
        else:
            changed = await repo.unfavourite_assets(actor.org_id, actor.member_id, asset_ids)
        if changed:
            ids = tuple(id for id in asset_ids if id in changed)
            event = AssetsFavourited if on else AssetsUnfavourited
            uow.record(event.by(actor, actor.member_id, now, asset_ids=ids))
            await uow.commit()
    return assets


async def rate_assets(
    library: Library, actor: Actor, *, asset_ids: Sequence[int], rating: int
) -> list[Asset]:
    """Give 1-500 assets a rating of 0 (not rated) to 5, all or none (a trashed one is
    INVALID_STATE); an asset that already has it stays as it is."""
    actor.require(Permission.ORGANISE)
    check_rating(rating)
    now = library.clock.now()
    uow = library.uow()
    async with uow:
        assets = await load_assets(uow, actor.org_id, asset_ids, field="ids", check=Asset.cannot_be_edited)
        changed = await uow.library.rate_assets(actor.org_id, asset_ids, rating, now)
        if not changed:
            return assets
        for asset in assets:
            if asset.id in changed:
                uow.record(AssetRated.by(actor, asset.id, now, rating=rating, previous_rating=asset.rating))
        await uow.commit()
    return [replace(a, rating=rating, updated_at=now) if a.id in changed else a for a in assets]
