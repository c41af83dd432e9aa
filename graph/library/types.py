"""Library types: assets and their provenance, folders, projects and tags."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from strawberry.types import Info

from domain.files.model import FileKind
from domain.kernel.pagination import Key, PageRequest
from domain.kernel.projection import ProjectedPage, Projection
from domain.library import model as m
from domain.library.ports import AssetGroup
from domain.library.queries import assets_projection, group_page
from domain.processing.model import MAX_THUMBNAIL_SIZE, check_thumbnail_size, thumbnail_for
from domain.search.similarity import DEFAULT_MAX_DISTANCE, DEFAULT_SIMILAR, Similarity
from graph.files.fields import rendition_link, signed_link
from graph.organisations.types import Member
from graph.processing.types import ImageFacts, ProcessingStatus, Rendition
from graph.relay.batching import load_if
from graph.relay.connection import After, Connection, First, connection_of, cursors_of
from graph.relay.fields import from_domain
from graph.relay.ids import to_global_id
from graph.relay.node import Node
from graph.relay.projected_pages import ProjectedList, Relation, projected
from graph.relay.scalars import BigInt
from graph.studio.enums import AspectRatio, Platform
from graph.studio.types import BrandKit, Generation, Session

if TYPE_CHECKING:
    from graph.library.placement_types import Placement
    from graph.search.similar import SimilarAsset

PlacementRef = Annotated["Placement", strawberry.lazy("graph.library.placement_types")]
SimilarAssetRef = Annotated["SimilarAsset", strawberry.lazy("graph.search.similar")]


async def _group_assets(
    info: Info, group: AssetGroup, pk: int, first: int | None, after: str | None
) -> Connection[Asset]:
    cursors = cursors_of(info)
    page = group_page(first, cursors.decode(after))
    loaders = info.context.loaders
    result = await loaders.library.asset_page(group, page).load(pk)
    return connection_of(
        result,
        Asset.from_domain,
        lambda: loaders.library.asset_count(group).load(pk),
        after=after,
        cursors=cursors,
    )


def projected_assets(
    read: Callable[[Any, Any, PageRequest, Projection], Awaitable[ProjectedPage]],
    page: Callable[[int | None, Key | None], PageRequest] = group_page,
    cursors: str = "",
) -> dict[str, object]:
    """The metadata of a connection of assets read as one projected page (graph/relay/projected_pages/)
    when its selection allows; Asset's folder, generation, tags and projects as their resolvers read them."""
    return projected(
        ProjectedList(
            entity=m.Asset,
            id_type="Asset",
            extras={},
            computed=frozenset({"provenance", "sha256", "generation_id", "session_id"}),  # Asset.from_domain
            page=page,
            projection=assets_projection,
            read=read,
            relations={
                "folder": Relation("folder", "Folder"),
                "generation": Relation("generation", "Generation", frozenset({"seed"})),
                "tags": Relation("tags", "Tag"),
                "projects": Relation("projects", "Project"),
            },
            cursors=cursors,
        )
    )


def _group_assets_page(group: AssetGroup) -> dict[str, object]:
    """folder.assets, project.assets and tag.assets, projected."""

    async def read(context: Any, parent: Any, page: PageRequest, projection: Projection) -> ProjectedPage:
        org_id = context.actor.org_id
        return await context.reads.library.group_asset_rows(org_id, group, parent.pk, page, projection)

    return projected_assets(read)


@strawberry.type(description="How an AI-generated asset was made, frozen when it was saved to the library.")
class Provenance:
    prompt: str = strawberry.field(description="The prompt.")
    negative_prompt: str = strawberry.field(description="The negative prompt.")
    platform: Platform | None = strawberry.field(description="The platform it was made for.")
    aspect_ratio: AspectRatio | None = strawberry.field(description="The requested shape.")
    provider: str = strawberry.field(description="The image provider.")
    model: str = strawberry.field(description="The provider's model.")
    seed: BigInt | None = strawberry.field(description="The seed.")
    credits_used: int = strawberry.field(description="Credits the generation cost.")
    reviewed_at: datetime | None = strawberry.field(description="When the generation was approved.")
    rights_notes: str = strawberry.field(description="Rights notes recorded at review.")
    source: str = strawberry.field(description="Source recorded at review (provider or stock source).")
    intended_placement: str = strawberry.field(description="Intended placement recorded at review.")
    asset_id: strawberry.Private[int]
    generation_id: strawberry.Private[int | None]
    session_id: strawberry.Private[int | None]
    brand_kit_id: strawberry.Private[int | None]
    created_by_id: strawberry.Private[int | None]
    reviewed_by_id: strawberry.Private[int | None]

    @strawberry.field(description="The generation it came from; null once that generation was cleaned up.")
    async def generation(self, info: Info) -> Generation | None:
        return await load_if(info.context.loaders.studio.generation, self.generation_id)

    @strawberry.field(description="The session it was generated in.")
    async def session(self, info: Info) -> Session | None:
        return await load_if(info.context.loaders.studio.session, self.session_id)

    @strawberry.field(description="The brand kit applied.")
    async def brand_kit(self, info: Info) -> BrandKit | None:
        return await load_if(info.context.loaders.studio.brand_kit, self.brand_kit_id)

    @strawberry.field(description="Who generated it.")
    async def created_by(self, info: Info) -> Member | None:
        return await load_if(info.context.loaders.organisations.member, self.created_by_id)

    @strawberry.field(description="Who approved it.")
    async def reviewed_by(self, info: Info) -> Member | None:
        return await load_if(info.context.loaders.organisations.member, self.reviewed_by_id)

    @strawberry.field(description="Reference images it was generated with.")
    async def context_assets(self, info: Info) -> list[Asset]:
        return await info.context.loaders.library.asset_context_assets.load(self.asset_id)


@strawberry.type(description="A permanent image in the library.")
class Asset(Node):
    name: str = strawberry.field(description="The asset's name.")
    description: str = strawberry.field(description="What the asset is for.")
    alt_text: str = strawberry.field(description="Human-readable alt text.")
    mime_type: str = strawberry.field(description="The image's media type.")
    byte_size: int = strawberry.field(description="The image's size in bytes.")
    width: int = strawberry.field(description="Width in pixels.")
    height: int = strawberry.field(description="Height in pixels.")
    ai_generated: bool = strawberry.field(description="Whether the image was made by an AI provider.")
    provenance: Provenance | None = strawberry.field(description="How the image was made; null for uploads.")
    trashed_at: datetime | None = strawberry.field(description="When the asset was moved to the trash.")
    created_at: datetime = strawberry.field(description="When the asset entered the library.")
    updated_at: datetime = strawberry.field(description="When the asset last changed.")
    rating: int = strawberry.field(description="The asset's rating, 0 to 5; 0 is not rated.")
    sha256: str = strawberry.field(
        description="The sha256 of the image's bytes, in hex: what `assetBySha256` finds."
    )
    folder_id: strawberry.Private[int | None]
    generation_id: strawberry.Private[int | None]
    session_id: strawberry.Private[int | None]

    @classmethod
    def from_domain(cls, a: m.Asset) -> Asset:
        p = a.provenance
        return from_domain(
            cls,
            a,
            id=to_global_id("Asset", a.id),
            pk=a.id,
            provenance=from_domain(Provenance, p, asset_id=a.id) if p else None,
            sha256=a.blob_key,  # the blob store keys an image by the sha256 of its bytes
            generation_id=p.generation_id if p else None,
            session_id=p.session_id if p else None,
        )

    @strawberry.field(description="The folder the asset is in; null at the library root.")
    async def folder(self, info: Info) -> Folder | None:
        return await load_if(info.context.loaders.library.folder, self.folder_id)

    @strawberry.field(description="The asset's tags, by name.")
    async def tags(self, info: Info) -> list[Tag]:
        return await info.context.loaders.library.asset_tags.load(self.pk)

    @strawberry.field(description="The projects (campaigns) the asset is linked to, by name.")
    async def projects(self, info: Info) -> list[Project]:
        return await info.context.loaders.library.asset_projects.load(self.pk)

    @strawberry.field(description="The generation the asset was saved from, while it still exists.")
    async def generation(self, info: Info) -> Generation | None:
        return await load_if(info.context.loaders.studio.generation, self.generation_id)

    @strawberry.field(description="The session the asset was generated in.")
    async def session(self, info: Info) -> Session | None:
        return await load_if(info.context.loaders.studio.session, self.session_id)

    @strawberry.field(description="Whether the calling member marked the asset as a favourite.")
    async def favourited_by_viewer(self, info: Info) -> bool:
        return await info.context.loaders.library.favourited_by_viewer.load(self.pk)

    @strawberry.field(
        description="Whether the calling member marked the asset as a favourite: the name SPA clients of "
        "other asset libraries use for favouritedByViewer (one loader answers both)."
    )
    async def is_favorite(self, info: Info) -> bool:
        return await info.context.loaders.library.favourited_by_viewer.load(self.pk)

    @strawberry.field(
        description="Where the asset is placed or proposed to be (posts, pages, campaigns), oldest first; "
        "at most 50."
    )
    async def placements(self, info: Info) -> list[PlacementRef]:
        return await info.context.loaders.placements.of_asset.load(self.pk)

    @strawberry.field(
        description="How many placements the asset has, proposed and approved alike: both mean it is in use."
    )
    async def usage_count(self, info: Info) -> int:
        return await info.context.loaders.placements.usage_count.load(self.pk)

    @strawberry.field(
        description=(
            "A link to the original that works without a token until it expires (15 minutes by"
            " default), with personal metadata removed and, for AI images, IPTC provenance in XMP;"
            " null while the asset is in the trash."
        )
    )
    def download_url(
        self,
        info: Info,
        inline: Annotated[
            bool,
            strawberry.argument(description="Show the image in the browser instead of saving it as a file."),
        ] = False,
    ) -> str | None:
        if self.trashed_at is not None:
            return None
        return signed_link(info, FileKind.ASSET, self.pk, inline=inline)

    @strawberry.field(description="Where the processing of the asset's thumbnails and facts stands.")
    async def processing_status(self, info: Info) -> ProcessingStatus:
        return await info.context.loaders.processing.asset_status.load(self.pk)

    @strawberry.field(
        description="What processing learnt of the image; null until processingStatus is READY."
    )
    async def facts(self, info: Info) -> ImageFacts | None:
        return await info.context.loaders.processing.asset_facts.load(self.pk)

    @strawberry.field(
        description="The image's WebP renditions, smallest first; empty until processingStatus is READY."
    )
    async def renditions(self, info: Info) -> list[Rendition]:
        return await info.context.loaders.processing.asset_renditions.load(self.pk)

    @strawberry.field(
        description=(
            "A link to a WebP thumbnail, shown inline, that works without a token until it expires: the"
            " smallest rendition at least `size` pixels on its long edge, else the largest;"
            " null until processing made its renditions, and while the asset is in the trash."
        )
    )
    async def thumbnail_url(
        self,
        info: Info,
        size: Annotated[
            int,
            strawberry.argument(
                description=f"The long edge wanted in pixels: 1 to {MAX_THUMBNAIL_SIZE} (else INVALID_INPUT)."
            ),
        ] = 256,
    ) -> str | None:
        check_thumbnail_size(size)  # before anything is loaded, trashed or not
        if self.trashed_at is not None:
            return None
        renditions = await info.context.loaders.processing.asset_renditions.load(self.pk)
        chosen = thumbnail_for([r.stored for r in renditions], size)
        return None if chosen is None else rendition_link(info, FileKind.ASSET, self.pk, chosen)

    @strawberry.field(
        description="Live assets of the organisation that look like this one (perceptual-hash distance), "
        "nearest first, ties by age (oldest first); this asset left out. Null until the asset has a "
        "perceptual hash (facts): while processing is pending, or when it failed."
    )
    async def similar_assets(
        self,
        info: Info,
        first: Annotated[int, strawberry.argument(description="How many, 1 to 50.")] = DEFAULT_SIMILAR,
        max_distance: Annotated[
            int,
            strawberry.argument(
                description="At most this many of the 64 hash bits may differ, 0 to 12: 0 finds the same "
                "picture resized or recompressed, 10 also close variations."
            ),
        ] = DEFAULT_MAX_DISTANCE,
    ) -> list[SimilarAssetRef] | None:
        similarity = Similarity.of(first, max_distance)
        return await info.context.loaders.similar.of(similarity).load(self.pk)


@strawberry.type(description="A folder of assets; folders nest, and names are unique among siblings.")
class Folder(Node):
    name: str = strawberry.field(description="The folder's name.")
    created_at: datetime = strawberry.field(description="When the folder was created.")
    parent_id: strawberry.Private[int | None]

    @classmethod
    def from_domain(cls, f: m.Folder) -> Folder:
        return from_domain(cls, f, id=to_global_id("Folder", f.id), pk=f.id)

    @strawberry.field(description="The folder this one is in; null for a root folder.")
    async def parent(self, info: Info) -> Folder | None:
        return await load_if(info.context.loaders.library.folder, self.parent_id)

    @strawberry.field(description="The folders directly inside this one, by name.")
    async def children(self, info: Info) -> list[Folder]:
        return await info.context.loaders.library.folder_children.load(self.pk)

    @strawberry.field(description="The folders from the root down to this one, this one last.")
    async def path(self, info: Info) -> list[Folder]:
        return await info.context.loaders.library.folder_path.load(self.pk)

    @strawberry.field(
        description="The live assets directly in this folder, newest first.",
        metadata=_group_assets_page("folder"),
    )
    async def assets(self, info: Info, first: First = None, after: After = None) -> Connection[Asset]:
        return await _group_assets(info, "folder", self.pk, first, after)

    @strawberry.field(description="How many live assets the folder holds (batched: one query per page).")
    async def asset_count(
        self,
        info: Info,
        include_subfolders: Annotated[
            bool,
            strawberry.argument(description="Count the assets of its subfolders at any depth too."),
        ] = False,
    ) -> int:
        loaders = info.context.loaders.library
        if include_subfolders:
            return await loaders.folder_asset_count_deep.load(self.pk)
        return await loaders.asset_count("folder").load(self.pk)


@strawberry.type(description="A campaign that assets are linked to.")
class Project(Node):
    name: str = strawberry.field(description="The project's name.")
    description: str = strawberry.field(description="What the campaign is about.")
    archived: bool = strawberry.field(description="Whether the project is archived.")
    created_at: datetime = strawberry.field(description="When the project was created.")

    @classmethod
    def from_domain(cls, p: m.Project) -> Project:
        return from_domain(cls, p, id=to_global_id("Project", p.id), pk=p.id)

    @strawberry.field(
        description="The live assets linked to this project, newest first.",
        metadata=_group_assets_page("project"),
    )
    async def assets(self, info: Info, first: First = None, after: After = None) -> Connection[Asset]:
        return await _group_assets(info, "project", self.pk, first, after)

    @strawberry.field(description="The placements of this project's campaign, newest first.")
    async def placements(
        self, info: Info, first: First = None, after: After = None
    ) -> Connection[PlacementRef]:
        cursors = cursors_of(info)
        page = group_page(first, cursors.decode(after))
        loaders = info.context.loaders.placements
        result = await loaders.project_page(page).load(self.pk)  # its items are Placement types already
        return connection_of(
            result,
            lambda p: p,
            lambda: loaders.project_count.load(self.pk),
            after=after,
            cursors=cursors,
        )


@strawberry.type(description="A label on assets; unique per organisation regardless of case.")
class Tag(Node):
    name: str = strawberry.field(description="The tag's name, as typed when it was created or last renamed.")
    created_at: datetime = strawberry.field(description="When the tag was first used.")

    @classmethod
    def from_domain(cls, t: m.Tag) -> Tag:
        return from_domain(cls, t, id=to_global_id("Tag", t.id), pk=t.id)

    @strawberry.field(
        description="The live assets with this tag, newest first.", metadata=_group_assets_page("tag")
    )
    async def assets(self, info: Info, first: First = None, after: After = None) -> Connection[Asset]:
        return await _group_assets(info, "tag", self.pk, first, after)
