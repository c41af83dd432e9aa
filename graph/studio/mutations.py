"""Studio mutations: open, edit and close sessions; like and unlike generations."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from domain.studio.model import Session as DomainSession
from domain.studio.services import KEEP
from graph.relay.ids import decode_id, decode_id_list, decode_optional_id
from graph.relay.outcome import attempt
from graph.relay.scalars import BigInt
from graph.relay.user_error import UserError
from graph.studio.enums import AspectRatio, Platform
from graph.studio.types import Generation, Session


@strawberry.input(description="A session to open.")
class CreateSessionInput:
    title: str = strawberry.field(description="The session's title, 1-200 characters.")
    platform: Platform | None = strawberry.field(default=None, description="The platform to generate for.")
    brand_kit_id: strawberry.ID | None = strawberry.field(default=None, description="The brand kit to apply.")
    aspect_ratio: AspectRatio = strawberry.field(
        default=AspectRatio.SQUARE, description="The default shape of the session's images."
    )


@strawberry.input(description="Changes to a session; fields left out stay as they are, null clears.")
class UpdateSessionInput:
    id: strawberry.ID = strawberry.field(description="The session.")
    title: str | None = strawberry.field(default=strawberry.UNSET, description="A new title.")
    platform: Platform | None = strawberry.field(
        default=strawberry.UNSET, description="A new platform, or null."
    )
    brand_kit_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET, description="A new brand kit, or null."
    )
    aspect_ratio: AspectRatio | None = strawberry.field(
        default=strawberry.UNSET, description="A new aspect ratio."
    )


@strawberry.input(description="The session to close.")
class CloseSessionInput:
    id: strawberry.ID = strawberry.field(description="The session.")


@strawberry.input(description="Images to generate in an open session.")
class GenerateInput:
    session_id: strawberry.ID = strawberry.field(description="The open session.")
    prompt: str = strawberry.field(description="What to draw, at most 50,000 characters; never credentials.")
    negative_prompt: str = strawberry.field(
        default="", description="What not to draw, at most 50,000 characters."
    )
    count: int = strawberry.field(default=1, description="How many images, 1 to 8.")
    platform: Platform | None = strawberry.field(
        default=None, description="The platform; the session's if omitted."
    )
    aspect_ratio: AspectRatio | None = strawberry.field(
        default=None, description="The shape; the session's if omitted."
    )
    context_asset_ids: list[strawberry.ID] = strawberry.field(
        default_factory=list, description="Library assets to use as references, up to 10."
    )
    provider: str = strawberry.field(default="procedural", description="The image provider to use.")
    seed: BigInt | None = strawberry.field(
        default=None, description="A seed to reproduce images; random if omitted."
    )


@strawberry.input(description="An uploaded image (see POST /uploads) to bring into an open session.")
class ImportGenerationInput:
    session_id: strawberry.ID = strawberry.field(description="The open session.")
    upload_id: strawberry.ID = strawberry.field(description="The `id` that POST /uploads answered.")
    prompt: str | None = strawberry.field(
        default=None,
        description=(
            "The prompt, at most 50,000 characters; read from the file's metadata (A1111, ComfyUI, "
            "Tensor.Art, InvokeAI, NovelAI, Fooocus, SwarmUI) if omitted."
        ),
    )
    negative_prompt: str | None = strawberry.field(
        default=None, description="The negative prompt; as for prompt."
    )
    provider: str | None = strawberry.field(
        default=None, description="The tool that made it; detected if omitted."
    )
    model: str | None = strawberry.field(
        default=None, description="The model; read from the file if omitted."
    )
    seed: BigInt | None = strawberry.field(
        default=None, description="The seed; read from the file if omitted."
    )
    platform: Platform | None = strawberry.field(
        default=None, description="The platform; the session's if omitted."
    )
    aspect_ratio: AspectRatio | None = strawberry.field(
        default=None, description="The aspect ratio; the closest to the image's shape if omitted."
    )


@strawberry.input(description="Generations to like or unlike.")
class GenerationIdsInput:
    generation_ids: list[strawberry.ID] = strawberry.field(
        description="Generation ids, 1 to 500; each at most once."
    )


@strawberry.type(description="The session after the change, or why it was refused.")
class SessionPayload:
    session: Session | None = strawberry.field(description="The session; null when refused.")
    user_errors: list[UserError] = strawberry.field(
        description="Why the change was refused; empty on success."
    )


@strawberry.type(description="The generations after the change, or why it was refused.")
class GenerationsPayload:
    generations: list[Generation] = strawberry.field(
        description="The generations, in input order; empty when refused."
    )
    user_errors: list[UserError] = strawberry.field(
        description="Why the change was refused; empty on success."
    )


@strawberry.type(description="The generation after the change, or why it was refused.")
class GenerationPayload:
    generation: Generation | None = strawberry.field(description="The generation; null when refused.")
    user_errors: list[UserError] = strawberry.field(
        description="Why the change was refused; empty on success."
    )


def _session_payload(result: DomainSession | None, errors: list[UserError]) -> SessionPayload:
    return SessionPayload(session=Session.from_domain(result) if result else None, user_errors=errors)


def _generations_payload(result: list | None, errors: list[UserError]) -> GenerationsPayload:
    return GenerationsPayload(
        generations=[Generation.from_domain(g) for g in result or ()], user_errors=errors
    )


@strawberry.type
class StudioMutations:
    @strawberry.mutation(description="Open a Studio session. Needs the CREATOR role or above.")
    async def create_session(
        self,
        info: Info,
        input: Annotated[CreateSessionInput, strawberry.argument(description="The change to make.")],
    ) -> SessionPayload:
        ctx = info.context
        call = ctx.services.studio.create_session(
            ctx.actor,
            title=input.title,
            platform=input.platform,
            brand_kit_id=decode_optional_id(input.brand_kit_id, "BrandKit", field="brandKitId"),
            aspect_ratio=input.aspect_ratio,
        )
        return _session_payload(*await attempt(call))

    @strawberry.mutation(description="Change a session's title, platform, brand kit or aspect ratio.")
    async def update_session(
        self,
        info: Info,
        input: Annotated[UpdateSessionInput, strawberry.argument(description="The change to make.")],
    ) -> SessionPayload:
        ctx = info.context
        call = ctx.services.studio.update_session(
            ctx.actor,
            session_id=decode_id(input.id, "Session", field="id"),
            title=KEEP if input.title is strawberry.UNSET or input.title is None else input.title,
            platform=KEEP if input.platform is strawberry.UNSET else input.platform,
            brand_kit_id=KEEP
            if input.brand_kit_id is strawberry.UNSET
            else decode_optional_id(input.brand_kit_id, "BrandKit", field="brandKitId"),
            aspect_ratio=KEEP if input.aspect_ratio in (strawberry.UNSET, None) else input.aspect_ratio,
        )
        return _session_payload(*await attempt(call))

    @strawberry.mutation(description="Close a session: no more generations; its unkept ones start to expire.")
    async def close_session(
        self,
        info: Info,
        input: Annotated[CloseSessionInput, strawberry.argument(description="The change to make.")],
    ) -> SessionPayload:
        ctx = info.context
        call = ctx.services.studio.close_session(
            ctx.actor,
            session_id=decode_id(input.id, "Session", field="id"),
        )
        return _session_payload(*await attempt(call))

    @strawberry.mutation(
        description="Generate images in an open session with a provider; credits are spent only on success."
    )
    async def generate(
        self,
        info: Info,
        input: Annotated[GenerateInput, strawberry.argument(description="What to generate.")],
    ) -> GenerationsPayload:
        ctx = info.context
        call = ctx.services.studio.generate(
            ctx.actor,
            session_id=decode_id(input.session_id, "Session", field="sessionId"),
            prompt=input.prompt,
            negative_prompt=input.negative_prompt,
            count=input.count,
            platform=input.platform,
            aspect_ratio=input.aspect_ratio,
            context_asset_ids=decode_id_list(input.context_asset_ids, "Asset"),
            provider=input.provider,
            seed=input.seed,
        )
        return _generations_payload(*await attempt(call, {"contextAssetIds": input.context_asset_ids}))

    @strawberry.mutation(description="Bring an image made elsewhere into an open session as a generation.")
    async def import_generation(
        self,
        info: Info,
        input: Annotated[ImportGenerationInput, strawberry.argument(description="What to import.")],
    ) -> GenerationPayload:
        ctx = info.context
        call = ctx.services.studio.import_generation(
            ctx.actor,
            session_id=decode_id(input.session_id, "Session", field="sessionId"),
            upload_id=decode_id(input.upload_id, "Upload", field="uploadId"),
            prompt=input.prompt,
            negative_prompt=input.negative_prompt,
            provider=input.provider,
            model=input.model,
            seed=input.seed,
            platform=input.platform,
            aspect_ratio=input.aspect_ratio,
        )
        generation, errors = await attempt(call)
        return GenerationPayload(
            generation=Generation.from_domain(generation) if generation else None, user_errors=errors
        )

    @strawberry.mutation(
        description="Like generations (per member; liking twice changes nothing). Liked ones are kept."
    )
    async def like(
        self,
        info: Info,
        input: Annotated[GenerationIdsInput, strawberry.argument(description="The change to make.")],
    ) -> GenerationsPayload:
        ctx = info.context
        ids = decode_id_list(input.generation_ids, "Generation")
        call = ctx.services.studio.like(ctx.actor, generation_ids=ids)
        return _generations_payload(*await attempt(call, {"generationIds": input.generation_ids}))

    @strawberry.mutation(description="Take back the viewer's likes.")
    async def unlike(
        self,
        info: Info,
        input: Annotated[GenerationIdsInput, strawberry.argument(description="The change to make.")],
    ) -> GenerationsPayload:
        ctx = info.context
        ids = decode_id_list(input.generation_ids, "Generation")
        call = ctx.services.studio.unlike(ctx.actor, generation_ids=ids)
        return _generations_payload(*await attempt(call, {"generationIds": input.generation_ids}))
