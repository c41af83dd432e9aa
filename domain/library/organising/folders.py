"""Folders: create, rename, move (never into their own subtree) and delete (content moved by choice)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from domain.kernel.access import Actor, Permission
from domain.kernel.changes import KEEP, Keep
from domain.kernel.errors import (
    Conflict,
    InvalidState,
    NotFound,
)
from domain.library.events import FolderCreated, FolderDeleted, FolderMoved, FolderRenamed
from domain.library.model import Folder
from domain.library.organising.names import clean_name
from domain.unit_of_work import UnitOfWork

if TYPE_CHECKING:
    from domain.library.services import Library


async def create_folder(library: Library, actor: Actor, *, name: str, parent_id: int | None = None) -> Folder:
    """Create a folder at the root or inside another; names are unique among siblings, regardless of case."""
    actor.require(Permission.ORGANISE)
    name = clean_name(name)
    now = library.clock.now()
    uow = library.uow()
    async with uow:
        if parent_id is not None and await uow.library.folder(actor.org_id, parent_id) is None:
            raise NotFound("no such parent folder", field="parentId")
        folder = await uow.library.add_folder(actor.org_id, name, parent_id, now)
        if folder is None:
            raise Conflict(f"a folder named {name!r} is already there", field="name")
        uow.record(FolderCreated.by(actor, folder.id, now, name=name))
        await uow.commit()
    return folder


async def _folder(uow: UnitOfWork, org_id: int, folder_id: int, field: str = "id") -> Folder:
    folder = await uow.library.folder(org_id, folder_id)
    if folder is None:
        raise NotFound("no such folder", field=field)
    return folder


async def rename_folder(library: Library, actor: Actor, *, folder_id: int, name: str) -> Folder:
    """Rename a folder; names stay unique among siblings (CONFLICT). The same name again changes nothing."""
    actor.require(Permission.ORGANISE)
    name = clean_name(name)
    now = library.clock.now()
    uow = library.uow()
    async with uow:
        folder = await _folder(uow, actor.org_id, folder_id)
        if folder.name == name:
            return folder
        renamed = await uow.library.rename_folder(actor.org_id, folder_id, name)
        if renamed is None:
            raise Conflict(f"a folder named {name!r} is already there", field="name")
        uow.record(FolderRenamed.by(actor, folder_id, now, name=name, previous_name=folder.name))
        await uow.commit()
    return renamed


async def move_folder(library: Library, actor: Actor, *, folder_id: int, parent_id: int | None) -> Folder:
    """Move a folder with all it holds under another (None: to the root); never into its own subtree
    (INVALID_INPUT); names stay unique among siblings (CONFLICT). A move to where it is changes nothing."""
    actor.require(Permission.ORGANISE)
    now = library.clock.now()
    uow = library.uow()
    async with uow:
        await uow.library.lock_folder_tree(actor.org_id)
        folder = await _folder(uow, actor.org_id, folder_id)
        ancestry: Sequence[int] = ()
        if parent_id is not None:
            ancestry = await uow.library.folder_ancestry(actor.org_id, parent_id)
            if not ancestry:
                raise NotFound("no such parent folder", field="parentId")
        folder.check_move(parent_id, ancestry)
        if folder.parent_id == parent_id:
            return folder
        moved = await uow.library.move_folder(actor.org_id, folder_id, parent_id)
        if moved is None:
            raise Conflict(f"a folder named {folder.name!r} is already there", field="parentId")
        uow.record(
            FolderMoved.by(actor, folder_id, now, parent_id=parent_id, previous_parent_id=folder.parent_id)
        )
        await uow.commit()
    return moved


async def delete_folder(
    library: Library, actor: Actor, *, folder_id: int, move_content_to: int | Keep | None = KEEP
) -> Folder:
    """Delete a folder. An empty one goes as it is; one holding subfolders or live assets only with
    `move_content_to` given (a folder, or None: the root), where they all move in the same
    transaction (INVALID_STATE without it). Returns the folder as it was."""
    actor.require(Permission.ORGANISE)
    now = library.clock.now()
    uow = library.uow()
    async with uow:
        await uow.library.lock_folder_tree(actor.org_id)
        folder = await _folder(uow, actor.org_id, folder_id)
        if isinstance(move_content_to, Keep):
            if not await uow.library.folder_is_empty(actor.org_id, folder_id):
                raise InvalidState(
                    "the folder is not empty: say where its subfolders and assets go with "
                    "moveContentTo (a folder, or null for the root)",
                    field="moveContentTo",
                )
            content_to = folder.parent_id  # trashed assets, the only content left, go up a level
        else:
            content_to = move_content_to
            if content_to is not None:
                ancestry = await uow.library.folder_ancestry(actor.org_id, content_to)
                if not ancestry:
                    raise NotFound("no such folder", field="moveContentTo")
                folder.check_content_destination(content_to, ancestry)
        moved = await uow.library.delete_folder(actor.org_id, folder_id, content_to)
        if moved is None:
            raise Conflict(
                "a subfolder's name is already taken where the content goes; rename or move it first",
                field="moveContentTo",
            )
        uow.record(
            FolderDeleted.by(
                actor,
                folder_id,
                now,
                name=folder.name,
                content_moved_to=content_to,
                folders_moved=moved[0],
                assets_moved=moved[1],
            )
        )
        await uow.commit()
    return folder
