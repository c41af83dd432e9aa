"""Finding assets: a page in any order, its count, its facets, and an asset by its content hash."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from domain.kernel.access import Actor, Permission
from domain.kernel.pagination import Key, Page, PageRequest
from domain.kernel.projection import ProjectedPage, Projection
from domain.library.filters import AssetFilter
from domain.library.model import Asset
from domain.search.bounds import check_filter, check_sha256
from domain.search.model import (
    FACET_LIMIT,
    AssetQuery,
    AssetSort,
    FacetCount,
    FacetKind,
    SearchText,
    SortField,
    relevance_score,
)
from domain.search.ports import AssetSearchReads


def asset_query(*, filter: AssetFilter, search: str | None, sort: AssetSort) -> AssetQuery:
    """A client's filter, search and sort, each checked against its bounds and rules."""
    words = SearchText.parse(search)
    return AssetQuery(filter=check_filter(filter), search=words, sort=sort.check(words))


async def find_assets(
    reads: AssetSearchReads, actor: Actor, *, query: AssetQuery, first: int | None, after: Key | None
) -> Page[Asset]:
    """A page of the actor's organisation's assets matching the query, in its order."""
    actor.require(Permission.READ)
    page = PageRequest.of(first, after, shape=query.sort.key_shape)
    if page.after is not None and query.sort.field is SortField.RELEVANCE:
        relevance_score(page.after)
    if query.search is not None and not query.search.terms:
        return Page.empty()
    return await reads.page(actor.org_id, query, page)


def whole_library_page(first: int | None, after: Key | None) -> PageRequest:
    """The page request of assets without a filter, words or an order: newest first."""
    return PageRequest.of(first, after, shape=AssetSort().key_shape)


async def whole_library_rows(
    reads: AssetSearchReads, actor: Actor, *, page: PageRequest, projection: Projection
) -> ProjectedPage:
    """What `find_assets` finds with no filter, words or order, as projected rows."""
    actor.require(Permission.READ)
    return await reads.whole_library_rows(actor.org_id, page, projection)


async def count_assets(reads: AssetSearchReads, actor: Actor, *, query: AssetQuery) -> int:
    """How many assets match the query."""
    actor.require(Permission.READ)
    if query.search is not None and not query.search.terms:
        return 0
    return await reads.count(actor.org_id, query)


async def facets(
    reads: AssetSearchReads, actor: Actor, *, query: AssetQuery, kinds: Sequence[FacetKind]
) -> Mapping[FacetKind, Sequence[FacetCount]]:
    """For each kind, its most frequent values among the assets matching the query (at most
    FACET_LIMIT each), in one read."""
    actor.require(Permission.READ)
    if query.search is not None and not query.search.terms:
        return {kind: [] for kind in kinds}
    return await reads.facets(actor.org_id, query, kinds, FACET_LIMIT)


async def asset_by_sha256(reads: AssetSearchReads, actor: Actor, *, sha256: str) -> Asset | None:
    """The organisation's asset with these bytes, or None; INVALID_INPUT for a malformed hash."""
    actor.require(Permission.READ)
    return await reads.by_sha256(actor.org_id, check_sha256(sha256, field="sha256"))
