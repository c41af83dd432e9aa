"""The Studio's list views: brand kits, sessions, generations, liked generations."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from domain.studio import queries as studio
from domain.studio.filters import GenerationFilter as DomainGenerationFilter
from domain.studio.filters import SessionFilter as DomainSessionFilter
from graph.relay.connection import After, Connection, First, connection_of, cursors_of
from graph.studio.inputs import GenerationFilter, SessionFilter
from graph.studio.types import BrandKit, Generation, Session


@strawberry.type
class StudioQueries:
    @strawberry.field(description="Brand kits, by name.")
    async def brand_kits(self, info: Info, first: First = None, after: After = None) -> Connection[BrandKit]:
        ctx = info.context
        cursors = cursors_of(info)
        page = await studio.list_brand_kits(
            ctx.reads.studio, ctx.actor, first=first, after=cursors.decode(after)
        )
        return connection_of(
            page,
            BrandKit.from_domain,
            lambda: ctx.reads.studio.count_brand_kits(ctx.actor.org_id),
            after=after,
            cursors=cursors,
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
        cursors = cursors_of(info)
        where = filter.to_domain() if filter else DomainSessionFilter()
        page = await studio.list_sessions(
            ctx.reads.studio, ctx.actor, filter=where, first=first, after=cursors.decode(after)
        )
        return connection_of(
            page,
            Session.from_domain,
            lambda: ctx.reads.studio.count_sessions(ctx.actor.org_id, where),
            after=after,
            cursors=cursors,
        )

    @strawberry.field(
        description="The generations the viewer likes, across sessions open or closed, newest first."
    )
    async def liked_generations(
        self, info: Info, first: First = None, after: After = None
    ) -> Connection[Generation]:
        ctx = info.context
        cursors = cursors_of(info)
        where = DomainGenerationFilter(liked_by=ctx.actor.member_id)
        page = await studio.list_generations(
            ctx.reads.studio, ctx.actor, filter=where, first=first, after=cursors.decode(after)
        )
        return connection_of(
            page,
            Generation.from_domain,
            lambda: ctx.reads.studio.count_generations(ctx.actor.org_id, where),
            after=after,
            cursors=cursors,
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
        cursors = cursors_of(info)
        where = filter.to_domain(ctx.actor.member_id) if filter else DomainGenerationFilter()
        page = await studio.list_generations(
            ctx.reads.studio, ctx.actor, filter=where, first=first, after=cursors.decode(after)
        )
        return connection_of(
            page,
            Generation.from_domain,
            lambda: ctx.reads.studio.count_generations(ctx.actor.org_id, where),
            after=after,
            cursors=cursors,
        )
