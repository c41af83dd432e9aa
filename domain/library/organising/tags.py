"""Tags: create, rename, merge two into one, delete."""

from __future__ import annotations

from typing import TYPE_CHECKING

from domain.kernel.access import Actor, Permission
from domain.kernel.errors import Conflict, InvalidInput, NotFound
from domain.library.events import TagCreated, TagDeleted, TagRenamed, TagsMerged
from domain.library.model import Tag
from domain.library.organising.names import clean_name
from domain.unit_of_work import UnitOfWork

if TYPE_CHECKING:
    from domain.library.services import Library


async def _tag(uow: UnitOfWork, org_id: int, tag_id: int, field: str = "id") -> Tag:
    tag = await uow.library.tag(org_id, tag_id)
    if tag is None:
        raise NotFound("no such tag", field=field)
    return tag


async def create_tag(library: Library, actor: Actor, *, name: str) -> Tag:
    """Create a tag; one that looks the same exists already is CONFLICT (saving reuses it instead)."""
    actor.require(Permission.ORGANISE)
    name = clean_name(name)
    now = library.clock.now()
    uow = library.uow()
    async with uow:
        tag = await uow.library.add_tag(actor.org_id, name, now)
        if tag is None:
            raise Conflict(f"a tag named {name!r} exists already; merge into it instead", field="name")
        uow.record(TagCreated.by(actor, tag.id, now, name=name))
        await uow.commit()
    return tag


async def rename_tag(library: Library, actor: Actor, *, tag_id: int, name: str) -> Tag:
    """Rename a tag; a name another tag has by its key is CONFLICT (merge them instead). A new
    spelling of the same key (`hero` to `Hero`) is a rename; the same name again changes nothing."""
    actor.require(Permission.ORGANISE)
    name = clean_name(name)
    now = library.clock.now()
    uow = library.uow()
    async with uow:
        tag = await _tag(uow, actor.org_id, tag_id)
        if tag.name == name:
            return tag
        renamed = await uow.library.rename_tag(actor.org_id, tag_id, name)
        if renamed is None:
            raise Conflict(f"a tag named {name!r} exists already; merge into it instead", field="name")
        uow.record(TagRenamed.by(actor, tag_id, now, name=name, previous_name=tag.name))
        await uow.commit()
    return renamed


async def merge_tags(library: Library, actor: Actor, *, source_id: int, target_id: int) -> Tag:
    """Give the target every asset of the source (no duplicates) and delete the source, in one
    transaction; returns the target. A tag merged into itself is INVALID_INPUT."""
    actor.require(Permission.ORGANISE)
    if source_id == target_id:
        raise InvalidInput("a tag cannot be merged into itself", field="targetId")
    now = library.clock.now()
    uow = library.uow()
    async with uow:
        source = await _tag(uow, actor.org_id, source_id, field="sourceId")
        target = await _tag(uow, actor.org_id, target_id, field="targetId")
        moved = await uow.library.merge_tags(actor.org_id, source_id, target_id)
        uow.record(
            TagsMerged.by(
                actor, target_id, now, source_id=source_id, source_name=source.name, assets_moved=moved
            )
        )
        await uow.commit()
    return target


async def delete_tag(library: Library, actor: Actor, *, tag_id: int) -> Tag:
    """Delete a tag and its links to assets (the assets stay); returns the tag as it was."""
    actor.require(Permission.ORGANISE)
    now = library.clock.now()
    uow = library.uow()
    async with uow:
        tag = await _tag(uow, actor.org_id, tag_id)
        unlinked = await uow.library.delete_tag(actor.org_id, tag_id)
        uow.record(TagDeleted.by(actor, tag_id, now, name=tag.name, assets_unlinked=unlinked))
        await uow.commit()
    return tag
