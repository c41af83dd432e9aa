"""Organising the library: folders and projects (moving, renaming and deleting come with the library work)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from domain.kernel.access import Actor, Permission
from domain.kernel.errors import Conflict, NotFound
from domain.kernel.text import clean_text
from domain.library.events import FolderCreated, ProjectCreated
from domain.library.model import Folder, Project

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
