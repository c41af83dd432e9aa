"""The library's list views: folders, projects, tags (assets are found in graph/search)."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from domain.library import queries as library
from domain.library.filters import ProjectFilter as DomainProjectFilter
from graph.library.inputs import ProjectFilter
from graph.library.types import Folder, Project, Tag
from graph.relay.connection import After, Connection, First, connection_of, cursors_of
from graph.relay.ids import decode_optional_id


@strawberry.type
class LibraryQueries:
    @strawberry.field(
        description="Folders under a parent, by name; the root folders when `parentId` is omitted."
    )
    async def folders(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        parent_id: Annotated[
            strawberry.ID | None, strawberry.argument(description="The parent folder; omit for the roots.")
        ] = None,
    ) -> Connection[Folder]:
        ctx = info.context
        cursors = cursors_of(info)
        parent = decode_optional_id(parent_id, "Folder", field="parentId")
        page = await library.list_folders(
            ctx.reads.library, ctx.actor, parent_id=parent, first=first, after=cursors.decode(after)
        )
        return connection_of(
            page,
            Folder.from_domain,
            lambda: ctx.reads.library.count_folders(ctx.actor.org_id, parent),
            after=after,
            cursors=cursors,
        )

    @strawberry.field(description="Projects (campaigns), by name.")
    async def projects(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        filter: Annotated[
            ProjectFilter | None, strawberry.argument(description="Conditions to narrow by.")
        ] = None,
    ) -> Connection[Project]:
        ctx = info.context
        cursors = cursors_of(info)
        where = filter.to_domain() if filter else DomainProjectFilter()
        page = await library.list_projects(
            ctx.reads.library, ctx.actor, filter=where, first=first, after=cursors.decode(after)
        )
        return connection_of(
            page,
            Project.from_domain,
            lambda: ctx.reads.library.count_projects(ctx.actor.org_id, where),
            after=after,
            cursors=cursors,
        )

    @strawberry.field(description="Tags, by name.")
    async def tags(self, info: Info, first: First = None, after: After = None) -> Connection[Tag]:
        ctx = info.context
        cursors = cursors_of(info)
        page = await library.list_tags(ctx.reads.library, ctx.actor, first=first, after=cursors.decode(after))
        return connection_of(
            page,
            Tag.from_domain,
            lambda: ctx.reads.library.count_tags(ctx.actor.org_id),
            after=after,
            cursors=cursors,
        )
