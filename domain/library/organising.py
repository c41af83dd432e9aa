"""Organising the library: folders (create, rename, move, delete), projects (create, update, archive,
link assets) and tags (create, rename, merge, delete)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from domain.kernel.access import Actor, Permission
from domain.kernel.bulk import check_count
from domain.kernel.changes import KEEP, Keep
from domain.kernel.errors import (
    Conflict,
    DomainError,
    InvalidInput,
    InvalidState,
    ItemError,
    ItemErrors,
    NotFound,
)
from domain.kernel.text import clean_text
from domain.library.events import (
    AssetsLinkedToProject,
    AssetsUnlinkedFromProject,
    FolderCreated,
    FolderDeleted,
    FolderMoved,
    FolderRenamed,
    ProjectArchived,
    ProjectCreated,
    ProjectUnarchived,
    ProjectUpdated,
)
from domain.library.model import Asset, Folder, Project
from domain.unit_of_work import UnitOfWork

if TYPE_CHECKING:
    from domain.library.services import Library

MAX_NAME = 200
MAX_DESCRIPTION = 2000


async def create_folder(library: Library, actor: Actor, *, name: str, parent_id: int | None = None) -> Folder:
    """Create a folder at the root or inside another; names are unique among siblings, regardless of case."""
    actor.require(Permission.ORGANISE)
    name = clean_text(name, field="name", max_length=MAX_NAME, required=True, single_line=True)
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


async def create_project(library: Library, actor: Actor, *, name: str, description: str = "") -> Project:
    """Create a project (a campaign); names are unique, regardless of case."""
    actor.require(Permission.ORGANISE)
    name = clean_text(name, field="name", max_length=MAX_NAME, required=True, single_line=True)
    description = clean_text(description, field="description", max_length=MAX_DESCRIPTION)
    now = library.clock.now()
    uow = library.uow()
    async with uow:
        project = await uow.library.add_project(actor.org_id, name, description, now)
        if project is None:
            raise Conflict(f"a project named {name!r} exists already", field="name")
        uow.record(ProjectCreated.by(actor, project.id, now, name=name))
        await uow.commit()
    return project


def _clean_name(name: str) -> str:
    return clean_text(name, field="name", max_length=MAX_NAME, required=True, single_line=True)


async def _folder(uow: UnitOfWork, org_id: int, folder_id: int, field: str = "id") -> Folder:
    folder = await uow.library.folder(org_id, folder_id)
    if folder is None:
        raise NotFound("no such folder", field=field)
    return folder


async def rename_folder(library: Library, actor: Actor, *, folder_id: int, name: str) -> Folder:
    """Rename a folder; names stay unique among siblings (CONFLICT). The same name again changes nothing."""
    actor.require(Permission.ORGANISE)
    name = _clean_name(name)
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


async def _project(uow: UnitOfWork, org_id: int, project_id: int, field: str = "id") -> Project:
    project = (await uow.library.projects(org_id, [project_id])).get(project_id)
    if project is None:
        raise NotFound("no such project", field=field)
    return project


async def update_project(
    library: Library,
    actor: Actor,
    *,
    project_id: int,
    name: str | Keep = KEEP,
    description: str | Keep | None = KEEP,
) -> Project:
    """Change a project's name or description; fields not given stay, a None description clears it.
    Names stay unique (CONFLICT); a change to what is there already records nothing."""
    actor.require(Permission.ORGANISE)
    changes: dict[str, str] = {}
    if not isinstance(name, Keep):
        changes["name"] = _clean_name(name)
    if not isinstance(description, Keep):
        changes["description"] = clean_text(
            description or "", field="description", max_length=MAX_DESCRIPTION
        )
    now = library.clock.now()
    uow = library.uow()
    async with uow:
        project = await _project(uow, actor.org_id, project_id)
        updated = replace(
            project,
            name=changes.get("name", project.name),
            description=changes.get("description", project.description),
        )
        if updated == project:
            return project
        if not await uow.library.update_project(updated):
            raise Conflict(f"a project named {updated.name!r} exists already", field="name")
        changed = tuple(sorted(k for k in changes if getattr(project, k) != getattr(updated, k)))
        uow.record(ProjectUpdated.by(actor, project_id, now, fields=changed))
        await uow.commit()
    return updated


async def _set_archived(library: Library, actor: Actor, project_id: int, archived: bool) -> Project:
    actor.require(Permission.ORGANISE)
    now = library.clock.now()
    uow = library.uow()
    async with uow:
        project = await _project(uow, actor.org_id, project_id)
        if project.archived == archived:
            return project
        updated = replace(project, archived=archived)
        await uow.library.update_project(updated)  # the name is unchanged: no clash possible
        event = ProjectArchived if archived else ProjectUnarchived
        uow.record(event.by(actor, project_id, now))
        await uow.commit()
    return updated


async def archive_project(library: Library, actor: Actor, *, project_id: int) -> Project:
    """Archive a project: it takes no more assets; its links stay. Archiving it again changes nothing."""
    return await _set_archived(library, actor, project_id, True)


async def unarchive_project(library: Library, actor: Actor, *, project_id: int) -> Project:
    """Make an archived project active again. Unarchiving an active one changes nothing."""
    return await _set_archived(library, actor, project_id, False)


async def _load_assets(
    uow: UnitOfWork, org_id: int, ids: Sequence[int], *, field: str = "assetIds", linking: bool
) -> list[Asset]:
    """The assets in input order, or ItemErrors naming every unknown, repeated or (when linking)
    trashed one."""
    check_count(ids, field=field)
    found = await uow.library.assets(org_id, ids)
    errors: list[ItemError] = []
    seen: set[int] = set()
    for index, id in enumerate(ids):
        asset = found.get(id)
        problem: DomainError | None = None
        if asset is None:
            problem = NotFound("no such asset")
        elif id in seen:
            problem = InvalidInput("listed more than once")
        elif linking:
            problem = asset.cannot_be_linked()
        if problem is not None:
            problem.field = f"{field}[{index}]"
            errors.append(ItemError(index, id, problem))
        seen.add(id)
    if errors:
        raise ItemErrors(errors, field=field)
    return [found[id] for id in ids]


async def link_assets_to_project(
    library: Library, actor: Actor, *, project_id: int, asset_ids: Sequence[int]
) -> tuple[Project, list[Asset]]:
    """Link 1-500 assets to a project, all or none (each bad item named); links that exist stay as
    they are. An archived project takes none (INVALID_STATE)."""
    actor.require(Permission.ORGANISE)
    now = library.clock.now()
    uow = library.uow()
    async with uow:
        project = await _project(uow, actor.org_id, project_id, field="projectId")
        if (problem := project.cannot_take_assets()) is not None:
            problem.field = "projectId"
            raise problem
        assets = await _load_assets(uow, actor.org_id, asset_ids, linking=True)
        linked = await uow.library.link_project_assets(actor.org_id, project_id, asset_ids)
        if linked:
            new = tuple(id for id in asset_ids if id in linked)
            uow.record(AssetsLinkedToProject.by(actor, project_id, now, asset_ids=new))
            await uow.commit()
    return project, assets


async def unlink_assets_from_project(
    library: Library, actor: Actor, *, project_id: int, asset_ids: Sequence[int]
) -> tuple[Project, list[Asset]]:
    """Unlink 1-500 assets from a project (archived ones too), all or none; an asset not linked
    stays as it is."""
    actor.require(Permission.ORGANISE)
    now = library.clock.now()
    uow = library.uow()
    async with uow:
        project = await _project(uow, actor.org_id, project_id, field="projectId")
        assets = await _load_assets(uow, actor.org_id, asset_ids, linking=False)
        unlinked = await uow.library.unlink_project_assets(actor.org_id, project_id, asset_ids)
        if unlinked:
            gone = tuple(id for id in asset_ids if id in unlinked)
            uow.record(AssetsUnlinkedFromProject.by(actor, project_id, now, asset_ids=gone))
            await uow.commit()
    return project, assets
