"""Finding assets: `assets(filter, search, sort)` and `assetBySha256`."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from domain.kernel.pagination import PageRequest
from domain.kernel.projection import ProjectedPage, Projection
from domain.library.filters import AssetFilter as DomainAssetFilter
from domain.search import queries as finding
from domain.search.model import AssetSort as DomainAssetSort
from graph.library.types import Asset, projected_assets
from graph.relay.connection import After, First, connection_of
from graph.search.inputs import AssetFilter, AssetSort
from graph.search.types import AssetSearchConnection


async def _whole_library(context: Any, root: Any, page: PageRequest, projection: Projection) -> ProjectedPage:
    reads, actor = context.reads.search, context.actor
    return await finding.whole_library_rows(reads, actor, page=page, projection=projection)


@strawberry.type
class SearchQueries:
    @strawberry.field(
        description="Library assets found by filter, words and order: newest first unless `sort` says "
        "otherwise; trashed ones only with `filter.trashed`.",
        # without a filter, words or an order, one projected page when the selection allows
        metadata=projected_assets(
            _whole_library, finding.whole_library_page, f"Query.assets.{DomainAssetSort().name}"
        ),
    )
    async def assets(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        filter: Annotated[
            AssetFilter | None, strawberry.argument(description="Conditions to narrow by.")
        ] = None,
        search: Annotated[
            str | None,
            strawberry.argument(
                description="Words that must all appear (whole words, regardless of case) in the name, "
                "description, alt text, prompt, negative prompt or tag names; punctuation and operators "
                "are ignored. At most 500 characters."
            ),
        ] = None,
        sort: Annotated[
            AssetSort | None,
            strawberry.argument(description="The order; newest first (CREATED_AT, DESC) when omitted."),
        ] = None,
    ) -> AssetSearchConnection:
        ctx = info.context
        query = finding.asset_query(
            filter=filter.to_domain(ctx.actor.member_id) if filter else DomainAssetFilter(),
            search=search,
            sort=sort.to_domain() if sort else DomainAssetSort(),
        )
        # a cursor is signed for this field and this order: another order's is refused
        cursors = ctx.cursors.of(f"Query.assets.{query.sort.name}")
        page = await finding.find_assets(
            ctx.reads.search, ctx.actor, query=query, first=first, after=cursors.decode(after)
        )
        base = connection_of(
            page,
            Asset.from_domain,
            lambda: finding.count_assets(ctx.reads.search, ctx.actor, query=query),
            after=after,
            cursors=cursors,
        )
        return AssetSearchConnection(
            edges=base.edges, page_info=base.page_info, count=base.count, query=query
        )

    @strawberry.field(
        description="The organisation's asset with exactly these bytes (live first, newest first); null "
        "when it has none. A hash that is not 64 hexadecimal digits is INVALID_INPUT."
    )
    async def asset_by_sha256(
        self,
        info: Info,
        sha256: Annotated[str, strawberry.argument(description="The sha256 of the image's bytes, in hex.")],
    ) -> Asset | None:
        ctx = info.context
        found = await finding.asset_by_sha256(ctx.reads.search, ctx.actor, sha256=sha256)
        return None if found is None else Asset.from_domain(found)
