"""Studio types: brand kits, sessions, generations and their review."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from strawberry.types import Info

from domain.files.model import FileKind
from domain.kernel.pagination import PageRequest
from domain.kernel.projection import ProjectedPage, Projection
from domain.processing.model import MAX_THUMBNAIL_SIZE, check_thumbnail_size, thumbnail_for
from domain.studio import model as m
from domain.studio.queries import LIKE_COUNT, LIKED_BY_VIEWER, session_generations_projection, session_page
from graph.files.fields import rendition_link, signed_link
from graph.organisations.types import Member
from graph.processing.types import ImageFacts, ProcessingStatus, Rendition
from graph.relay.batching import load_if
from graph.relay.connection import After, Connection, First, connection_of, cursors_of
from graph.relay.fields import from_domain
from graph.relay.ids import to_global_id
from graph.relay.node import Node
from graph.relay.projected_pages import ProjectedList, projected
from graph.relay.scalars import BigInt
from graph.studio.enums import AspectRatio, Concern, Platform, ReviewState, SessionState

if TYPE_CHECKING:
    from graph.library.types import Asset

AssetRef = Annotated["Asset", strawberry.lazy("graph.library.types")]


@strawberry.type(description="Brand guidelines applied to generations.")
class BrandKit(Node):
    name: str = strawberry.field(description="The brand kit's name.")
    description: str = strawberry.field(description="The voice and rules of the brand.")
    colors: list[str] = strawberry.field(description="The palette, as hex colours.")
    created_at: datetime = strawberry.field(description="When the brand kit was created.")

    @classmethod
    def from_domain(cls, b: m.BrandKit) -> BrandKit:
        return from_domain(cls, b, id=to_global_id("BrandKit", b.id), pk=b.id, colors=list(b.colors))


async def _generation_rows(
    context: Any, session: Session, page: PageRequest, projection: Projection
) -> ProjectedPage:
    actor = context.actor
    return await context.reads.studio.session_generation_rows(
        actor.org_id, actor.member_id, session.pk, page, projection
    )


_GENERATIONS = ProjectedList(
    entity=m.Generation,
    id_type="Generation",
    extras={"likeCount": LIKE_COUNT, "likedByViewer": LIKED_BY_VIEWER},
    computed=frozenset({"seed"}),  # a BigInt of the entity's int (Generation.from_domain)
    page=session_page,
    projection=session_generations_projection,
    read=_generation_rows,
)
"""Session.generations as one projected page (graph/relay/projected_pages/); the extras are
Generation.likeCount and likedByViewer, which read the same like tallies."""


@strawberry.type(description="A Studio generation session and the images made in it.")
class Session(Node):
    title: str = strawberry.field(description="The session's title.")
    platform: Platform | None = strawberry.field(description="The platform the session generates for.")
    aspect_ratio: AspectRatio = strawberry.field(description="The default shape of the session's images.")
    state: SessionState = strawberry.field(description="Whether the session still takes generations.")
    created_at: datetime = strawberry.field(description="When the session was opened.")
    closed_at: datetime | None = strawberry.field(description="When the session was closed, if it was.")
    brand_kit_id: strawberry.Private[int | None]
    created_by_id: strawberry.Private[int | None]

    @classmethod
    def from_domain(cls, s: m.Session) -> Session:
        return from_domain(cls, s, id=to_global_id("Session", s.id), pk=s.id)

    @strawberry.field(description="The brand kit applied in this session.")
    async def brand_kit(self, info: Info) -> BrandKit | None:
        return await load_if(info.context.loaders.studio.brand_kit, self.brand_kit_id)

    @strawberry.field(description="Who opened the session.")
    async def created_by(self, info: Info) -> Member | None:
        return await load_if(info.context.loaders.organisations.member, self.created_by_id)

    @strawberry.field(
        description="The session's generations, newest first.", metadata=projected(_GENERATIONS)
    )
    async def generations(
        self, info: Info, first: First = None, after: After = None
    ) -> Connection[Generation]:
        cursors = cursors_of(info)
        page = session_page(first, cursors.decode(after))
        loaders = info.context.loaders
        result = await loaders.studio.generation_page(page).load(self.pk)
        return connection_of(
            result,
            Generation.from_domain,
            lambda: loaders.studio.session_generation_count.load(self.pk),
            after=after,
            cursors=cursors,
        )


@strawberry.type(description="What a reviewer recorded when approving or rejecting a generation.")
class Review:
    alt_text: str = strawberry.field(description="Alt text describing the image, written at approval.")
    rights_notes: str = strawberry.field(description="Notes on the image's rights and intended use.")
    source: str = strawberry.field(description="Where the image came from (provider or stock source).")
    intended_placement: str = strawberry.field(description="Where the image is meant to appear.")
    reason: str = strawberry.field(description="Why the generation was rejected, if it was.")
    reviewed_at: datetime | None = strawberry.field(description="When the review happened.")
    reviewed_by_id: strawberry.Private[int | None]

    @strawberry.field(description="Who reviewed the generation.")
    async def reviewed_by(self, info: Info) -> Member | None:
        return await load_if(info.context.loaders.organisations.member, self.reviewed_by_id)


@strawberry.type(description="A request for a reviewer's decision on a pending generation.")
class Escalation:
    concern: Concern | None = strawberry.field(description="What is uncertain, when given.")
    reason: str = strawberry.field(description="Why, in the words of who escalated.")
    escalated_at: datetime = strawberry.field(description="When it was escalated.")
    escalated_by_id: strawberry.Private[int | None]

    @strawberry.field(description="Who escalated it.")
    async def escalated_by(self, info: Info) -> Member | None:
        return await load_if(info.context.loaders.organisations.member, self.escalated_by_id)


@strawberry.type(description="A temporary image made in a session, with how it was made and where it stands.")
class Generation(Node):
    prompt: str = strawberry.field(description="The prompt the image was generated from.")
    negative_prompt: str = strawberry.field(description="What the image was asked not to show.")
    platform: Platform | None = strawberry.field(description="The platform the image was made for.")
    aspect_ratio: AspectRatio = strawberry.field(description="The image's shape.")
    width: int = strawberry.field(description="Width in pixels.")
    height: int = strawberry.field(description="Height in pixels.")
    provider: str = strawberry.field(description="The image provider that made it.")
    model: str = strawberry.field(description="The provider's model.")
    seed: BigInt | None = strawberry.field(description="The seed, to reproduce the image.")
    credits_used: int = strawberry.field(description="Credits the generation cost.")
    review_state: ReviewState = strawberry.field(description="PENDING, APPROVED or REJECTED.")
    mime_type: str = strawberry.field(description="The image's media type.")
    byte_size: int = strawberry.field(description="The image's size in bytes.")
    created_at: datetime = strawberry.field(description="When the image was generated.")
    expires_at: datetime | None = strawberry.field(
        description="When the image will be cleaned up unless liked, approved or saved; null when kept."
    )
    session_id: strawberry.Private[int]
    brand_kit_id: strawberry.Private[int | None]
    created_by_id: strawberry.Private[int | None]
    saved_asset_id: strawberry.Private[int | None]
    review_notes: strawberry.Private[Review | None]
    escalation: Escalation | None = strawberry.field(description="The open question for reviewers, if any.")

    @classmethod
    def from_domain(cls, g: m.Generation) -> Generation:
        review = None
        if g.review_state is not m.ReviewState.PENDING:
            r = g.review
            review = Review(
                alt_text=r.alt_text,
                rights_notes=r.rights_notes,
                source=r.source,
                intended_placement=r.intended_placement,
                reason=r.reason,
                reviewed_at=g.reviewed_at,
                reviewed_by_id=g.reviewed_by_id,
            )
        return from_domain(
            cls,
            g,
            id=to_global_id("Generation", g.id),
            pk=g.id,
            seed=None if g.seed is None else BigInt(g.seed),
            review_notes=review,
            escalation=Escalation(
                concern=g.escalation.concern,
                reason=g.escalation.reason,
                escalated_at=g.escalation.at,
                escalated_by_id=g.escalation.by_id,
            )
            if g.escalation
            else None,
        )

    @strawberry.field(description="The review, once the generation was approved or rejected.")
    def review(self) -> Review | None:
        return self.review_notes

    @strawberry.field(
        description=(
            "A link to the image, shown inline, that works without a token until it expires (15"
            " minutes by default); personal metadata removed, IPTC provenance in XMP."
        )
    )
    def image_url(self, info: Info) -> str:
        return signed_link(info, FileKind.GENERATION, self.pk, inline=True)

    @strawberry.field(description="The session the generation was made in.")
    async def session(self, info: Info) -> Session:
        return await info.context.loaders.studio.session.load(self.session_id)

    @strawberry.field(description="The brand kit applied.")
    async def brand_kit(self, info: Info) -> BrandKit | None:
        return await load_if(info.context.loaders.studio.brand_kit, self.brand_kit_id)

    @strawberry.field(description="Who generated the image.")
    async def created_by(self, info: Info) -> Member | None:
        return await load_if(info.context.loaders.organisations.member, self.created_by_id)

    @strawberry.field(description="The library asset this generation was saved as, if it was.")
    async def saved_asset(self, info: Info) -> AssetRef | None:
        return await load_if(info.context.loaders.library.asset, self.saved_asset_id)

    @strawberry.field(description="Reference images the generation was made with.")
    async def context_assets(self, info: Info) -> list[AssetRef]:
        return await info.context.loaders.studio.generation_context_assets.load(self.pk)

    @strawberry.field(description="Whether the calling member likes this generation.")
    async def liked_by_viewer(self, info: Info) -> bool:
        return (await info.context.loaders.studio.like_tally.load(self.pk)).by_member

    @strawberry.field(description="How many members like this generation.")
    async def like_count(self, info: Info) -> int:
        return (await info.context.loaders.studio.like_tally.load(self.pk)).count

    @strawberry.field(description="Where the processing of the generation's thumbnails and facts stands.")
    async def processing_status(self, info: Info) -> ProcessingStatus:
        return await info.context.loaders.processing.generation_status.load(self.pk)

    @strawberry.field(
        description="What processing learnt of the image; null until processingStatus is READY."
    )
    async def facts(self, info: Info) -> ImageFacts | None:
        return await info.context.loaders.processing.generation_facts.load(self.pk)

    @strawberry.field(
        description="The image's WebP renditions, smallest first; empty until processingStatus is READY."
    )
    async def renditions(self, info: Info) -> list[Rendition]:
        return await info.context.loaders.processing.generation_renditions.load(self.pk)

    @strawberry.field(
        description=(
            "A link to a WebP thumbnail, shown inline, that works without a token until it expires: the"
            " smallest rendition at least `size` pixels on its long edge, else the largest;"
            " null until processing made its renditions."
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
        renditions = await info.context.loaders.processing.generation_renditions.load(self.pk)
        chosen = thumbnail_for([r.stored for r in renditions], size)
        return None if chosen is None else rendition_link(info, FileKind.GENERATION, self.pk, chosen)
