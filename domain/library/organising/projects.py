"""Projects (campaigns): create, update, archive, and link or unlink assets in bulk."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from domain.kernel.access import Actor, Permission
from domain.kernel.changes import KEEP, Keep
from domain.kernel.errors import (
    Conflict,
    NotFound,
)
from domain.library.events import (
    AssetsLinkedToProject,
    AssetsUnlinkedFromProject,
    ProjectArchived,
    ProjectCreated,
    ProjectUnarchived,
    ProjectUpdated,
)
from domain.library.model import Asset, Project
from domain.library.organising.names import clean_description, clean_name
from domain.library.selection import load_assets
from domain.unit_of_work import UnitOfWork

if TYPE_CHECKING:
    from domain.library.services import Library


async def create_project(library: Library, actor: Actor, *, name: str, description: str = "") -> Project:
    """Create a project (a campaign); names are unique, regardless of case."""
    actor.require(Permission.ORGANISE)
    name = clean_name(name)
    description = clean_description(description)
    now = library.clock.now()
    uow = library.uow()
    async with uow:
        project = await uow.library.add_project(actor.org_id, name, description, now)
        if project is None:
            raise Conflict(f"a project named {name!r} exists already", field="name")
        uow.record(ProjectCreated.by(actor, project.id, now, name=name))
        await uow.commit()
    return project


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
        changes["name"] = clean_name(name)
    if not isinstance(description, Keep):
        changes["description"] = clean_description(description or "")
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
        assets = await load_assets(
            uow, actor.org_id, asset_ids, field="assetIds", check=Asset.cannot_be_linked
        )
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
        assets = await load_assets(uow, actor.org_id, asset_ids, field="assetIds")
        unlinked = await uow.library.unlink_project_assets(actor.org_id, project_id, asset_ids)
        if unlinked:
            gone = tuple(id for id in asset_ids if id in unlinked)
            uow.record(AssetsUnlinkedFromProject.by(actor, project_id, now, asset_ids=gone))
            await uow.commit()
    return project, assets
