"""The root Query: the viewer, `node`/`nodes`, and the list views."""

from __future__ import annotations

import asyncio
from typing import Annotated

import strawberry
from strawberry.types import Info

from domain.kernel.errors import LimitExceeded
from domain.library import queries as library
from domain.library.filters import AssetFilter as DomainAssetFilter
from domain.library.filters import ProjectFilter as DomainProjectFilter
from domain.studio import queries as studio
from domain.studio.filters import GenerationFilter as DomainGenerationFilter
from domain.studio.filters import SessionFilter as DomainSessionFilter
from graph.ids import decode_optional_id, parse_global_id
from graph.inputs import AssetFilter, GenerationFilter, ProjectFilter, SessionFilter
from graph.types.connection import After, Connection, First, connection_of
from graph.types.library import Asset, Folder, Project, Tag
from graph.types.node import Node
from graph.types.organisation import Organisation, Viewer
from graph.types.studio import BrandKit, Generation, Session

MAX_NODES = 100

_NODE_LOADERS = {
    "Asset": "asset",
    "Folder": "folder",
    "Project": "project",
    "Tag": "tag",
    "BrandKit": "brand_kit",
    "Session": "session",
    "Generation": "generation",
    "Member": "member",
}


async def _node(info: Info, id: str) -> Node | None:
    parsed = parse_global_id(id)
    if parsed is None:
        return None
    type_name, pk = parsed
    if type_name == "Organisation":
        return await _organisation(info) if pk == info.context.actor.org_id else None
    loader = _NODE_LOADERS.get(type_name)
    return None if loader is None else await getattr(info.context.loaders, loader).load(pk)


async def _organisation(info: Info) -> Organisation:
    org = await info.context.reads.directory.organisation(info.context.actor.org_id)
    return Organisation.from_domain(org)


@strawberry.type(description="Everything a member of an organisation can read.")
class Query:
    @strawberry.field(description="Who is calling: the member, its role and organisation.")
    async def viewer(self, info: Info) -> Viewer:
        actor = info.context.actor
        member = await info.context.loaders.member.load(actor.member_id)
        return Viewer(member=member, role=actor.role, organisation=await _organisation(info))

    @strawberry.field(description="Any object by its global id; null when it does not exist or is not yours.")
    async def node(
        self, info: Info, id: Annotated[strawberry.ID, strawberry.argument(description="A global id.")]
    ) -> Node | None:
        return await _node(info, id)

    @strawberry.field(description="Objects by their global ids, in the same order; null where not found.")
    async def nodes(
        self,
        info: Info,
        ids: Annotated[
            list[strawberry.ID], strawberry.argument(description=f"At most {MAX_NODES} global ids.")
        ],
    ) -> list[Node | None]:
        if len(ids) > MAX_NODES:
            raise LimitExceeded(f"at most {MAX_NODES} ids at once", field="ids")
        return list(await asyncio.gather(*(_node(info, id) for id in ids)))  # one batch per type

    @strawberry.field(description="Library assets, newest first; trashed ones only with `filter.trashed`.")
    async def assets(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        filter: Annotated[
            AssetFilter | None, strawberry.argument(description="Conditions to narrow by.")
        ] = None,
    ) -> Connection[Asset]:
        ctx = info.context
        where = filter.to_domain(ctx.actor.member_id) if filter else DomainAssetFilter()
        page = await library.list_assets(
            ctx.reads.library, ctx.actor, filter=where, first=first, after=ctx.cursors.decode(after)
        )
        return connection_of(
            page,
            Asset.from_domain,
            lambda: ctx.reads.library.count_assets(ctx.actor.org_id, where),
            after=after,
            cursors=ctx.cursors,
        )

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
        parent = decode_optional_id(parent_id, "Folder", field="parentId")
        page = await library.list_folders(
            ctx.reads.library, ctx.actor, parent_id=parent, first=first, after=ctx.cursors.decode(after)
        )
        return connection_of(
            page,
            Folder.from_domain,
            lambda: ctx.reads.library.count_folders(ctx.actor.org_id, parent),
            after=after,
            cursors=ctx.cursors,
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
        where = filter.to_domain() if filter else DomainProjectFilter()
        page = await library.list_projects(
            ctx.reads.library, ctx.actor, filter=where, first=first, after=ctx.cursors.decode(after)
        )
        return connection_of(
            page,
            Project.from_domain,
            lambda: ctx.reads.library.count_projects(ctx.actor.org_id, where),
            after=after,
            cursors=ctx.cursors,
        )

    @strawberry.field(description="Tags, by name.")
    async def tags(self, info: Info, first: First = None, after: After = None) -> Connection[Tag]:
        ctx = info.context
        page = await library.list_tags(
            ctx.reads.library, ctx.actor, first=first, after=ctx.cursors.decode(after)
        )
        return connection_of(
            page,
            Tag.from_domain,
            lambda: ctx.reads.library.count_tags(ctx.actor.org_id),
            after=after,
            cursors=ctx.cursors,
        )

    @strawberry.field(description="Brand kits, by name.")
    async def brand_kits(self, info: Info, first: First = None, after: After = None) -> Connection[BrandKit]:
        ctx = info.context
        page = await studio.list_brand_kits(
            ctx.reads.studio, ctx.actor, first=first, after=ctx.cursors.decode(after)
        )
        return connection_of(
            page,
            BrandKit.from_domain,
            lambda: ctx.reads.studio.count_brand_kits(ctx.actor.org_id),
            after=after,
            cursors=ctx.cursors,
        )

    @strawberry.field(description="Studio sessions, newest first.")
    async def sessions(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        filter: Annotated[
            SessionFilter | None, strawberry.argument(description="Conditions to narrow by.")
        ] = None,
    ) -> Connection[Session]:
        ctx = info.context
        where = filter.to_domain() if filter else DomainSessionFilter()
        page = await studio.list_sessions(
            ctx.reads.studio, ctx.actor, filter=where, first=first, after=ctx.cursors.decode(after)
        )
        return connection_of(
            page,
            Session.from_domain,
            lambda: ctx.reads.studio.count_sessions(ctx.actor.org_id, where),
            after=after,
            cursors=ctx.cursors,
        )

    @strawberry.field(
        description="The generations the viewer likes, across sessions open or closed, newest first."
    )
    async def liked_generations(
        self, info: Info, first: First = None, after: After = None
    ) -> Connection[Generation]:
        ctx = info.context
        where = DomainGenerationFilter(liked_by=ctx.actor.member_id)
        page = await studio.list_generations(
            ctx.reads.studio, ctx.actor, filter=where, first=first, after=ctx.cursors.decode(after)
        )
        return connection_of(
            page,
            Generation.from_domain,
            lambda: ctx.reads.studio.count_generations(ctx.actor.org_id, where),
            after=after,
            cursors=ctx.cursors,
        )

    @strawberry.field(description="Generations across sessions, newest first.")
    async def generations(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        filter: Annotated[
            GenerationFilter | None, strawberry.argument(description="Conditions to narrow by.")
        ] = None,
    ) -> Connection[Generation]:
        ctx = info.context
        where = filter.to_domain(ctx.actor.member_id) if filter else DomainGenerationFilter()
        page = await studio.list_generations(
            ctx.reads.studio, ctx.actor, filter=where, first=first, after=ctx.cursors.decode(after)
        )
        return connection_of(
            page,
            Generation.from_domain,
            lambda: ctx.reads.studio.count_generations(ctx.actor.org_id, where),
            after=after,
            cursors=ctx.cursors,
        )
