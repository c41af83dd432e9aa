"""The page of `assets` with its facets: counts of the matching assets by tag, project, folder, ..."""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

import strawberry
from strawberry.types import Info

from domain.search.model import AssetQuery, FacetCount, FacetKind
from graph.library.types import Asset, Folder, Project, Tag
from graph.relay.batching import load_if
from graph.relay.connection import Connection
from graph.relay.ids import to_global_id


def _pk(count: FacetCount) -> int:
    # a tag's or project's facet value is its database id
    return cast(int, count.value)


async def _counts(info: Info, query: AssetQuery, kind: FacetKind) -> Sequence[FacetCount]:
    # the request's selected kinds of one query batch into one statement
    return await info.context.loaders.facets.of(query).load(kind)


@strawberry.type(description="How many matching assets have a tag.")
class TagFacet:
    value: strawberry.ID = strawberry.field(description="The tag's id.")
    count: int = strawberry.field(description="How many matching assets have it.")
    pk: strawberry.Private[int]

    @strawberry.field(description="The tag.")
    async def tag(self, info: Info) -> Tag | None:
        return await info.context.loaders.library.tag.load(self.pk)


@strawberry.type(description="How many matching assets are linked to a project.")
class ProjectFacet:
    value: strawberry.ID = strawberry.field(description="The project's id.")
    count: int = strawberry.field(description="How many matching assets are linked to it.")
    pk: strawberry.Private[int]

    @strawberry.field(description="The project.")
    async def project(self, info: Info) -> Project | None:
        return await info.context.loaders.library.project.load(self.pk)


@strawberry.type(description="How many matching assets are directly in a folder (or at the root).")
class FolderFacet:
    value: strawberry.ID | None = strawberry.field(description="The folder's id; null for the library root.")
    count: int = strawberry.field(description="How many matching assets are directly in it.")
    pk: strawberry.Private[int | None]

    @strawberry.field(description="The folder; null for the library root.")
    async def folder(self, info: Info) -> Folder | None:
        return await load_if(info.context.loaders.library.folder, self.pk)


@strawberry.type(description="How many matching assets have a value (a media type, a provider, a model).")
class ValueFacet:
    value: str = strawberry.field(description="The value.")
    count: int = strawberry.field(description="How many matching assets have it.")


@strawberry.type(description="How many matching assets are AI-made (true) or uploaded (false).")
class BooleanFacet:
    value: bool = strawberry.field(description="The value.")
    count: int = strawberry.field(description="How many matching assets have it.")


@strawberry.type(
    description="Counts of the assets matching the filter and search, by value, the most frequent first "
    "(at most 50 values each). The facets selected cost one query together; those not selected cost "
    "nothing."
)
class AssetFacets:
    query: strawberry.Private[AssetQuery]

    @strawberry.field(description="By tag.")
    async def tags(self, info: Info) -> list[TagFacet]:
        counts = await _counts(info, self.query, "tag")
        return [TagFacet(value=to_global_id("Tag", _pk(c)), count=c.count, pk=_pk(c)) for c in counts]

    @strawberry.field(description="By project.")
    async def projects(self, info: Info) -> list[ProjectFacet]:
        counts = await _counts(info, self.query, "project")
        return [ProjectFacet(value=to_global_id("Project", _pk(c)), count=c.count, pk=_pk(c)) for c in counts]

    @strawberry.field(description="By folder (directly in it); the root as null.")
    async def folders(self, info: Info) -> list[FolderFacet]:
        counts = await _counts(info, self.query, "folder")
        return [
            FolderFacet(
                value=None if c.value is None else to_global_id("Folder", _pk(c)),
                count=c.count,
                pk=None if c.value is None else _pk(c),
            )
            for c in counts
        ]

    @strawberry.field(description="By media type.")
    async def mime_types(self, info: Info) -> list[ValueFacet]:
        return [
            ValueFacet(value=str(c.value), count=c.count)
            for c in await _counts(info, self.query, "mime_type")
        ]

    @strawberry.field(description="By whether the asset is AI-made.")
    async def ai_generated(self, info: Info) -> list[BooleanFacet]:
        counts = await _counts(info, self.query, "ai_generated")
        return [BooleanFacet(value=bool(c.value), count=c.count) for c in counts]

    @strawberry.field(description="By image provider (AI-made assets only).")
    async def providers(self, info: Info) -> list[ValueFacet]:
        return [
            ValueFacet(value=str(c.value), count=c.count) for c in await _counts(info, self.query, "provider")
        ]

    @strawberry.field(description="By model (AI-made assets only).")
    async def models(self, info: Info) -> list[ValueFacet]:
        return [
            ValueFacet(value=str(c.value), count=c.count) for c in await _counts(info, self.query, "model")
        ]


@strawberry.type(description="A page of assets found by filter, search and sort, with its facets.")
class AssetSearchConnection(Connection[Asset]):
    query: strawberry.Private[AssetQuery]

    @strawberry.field(description="Counts of all matching assets (not only this page's) by value.")
    def facets(self) -> AssetFacets:
        return AssetFacets(query=self.query)
