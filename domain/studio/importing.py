"""importGeneration: an image made elsewhere enters a session with its prompt and parameters."""

from __future__ import annotations

from typing import TYPE_CHECKING

from domain.kernel.access import Actor, Permission
from domain.kernel.errors import InvalidInput, InvalidState, NotFound
from domain.kernel.text import clean_text
from domain.studio.events import GenerationImported
from domain.studio.generating import check_prompt, open_session
from domain.studio.model import AspectRatio, Generation, Platform, nearest_ratio
from domain.studio.writes import NewGeneration

if TYPE_CHECKING:
    from domain.studio.services import Studio

MAX_SEED = 2**63 - 1
MAX_MODEL = 128


async def import_generation(
    studio: Studio,
    actor: Actor,
    *,
    session_id: int,
    upload_id: int,
    prompt: str | None = None,
    negative_prompt: str | None = None,
    provider: str | None = None,
    model: str | None = None,
    seed: int | None = None,
    platform: Platform | None = None,
    aspect_ratio: AspectRatio | None = None,
) -> Generation:
    """Turn an upload into a generation of an open session; what the caller leaves out comes from the file."""
    actor.require(Permission.GENERATE)
    if seed is not None and not 0 <= seed <= MAX_SEED:
        raise InvalidInput("the seed must be between 0 and 2^63-1", field="seed")
    now = studio.clock.now()
    uow = studio.uow()
    async with uow:
        session = await open_session(uow, actor.org_id, session_id, for_update=True)
        upload = await uow.uploads.get(actor.org_id, upload_id, for_update=True)
        if upload is None or upload.expires_at <= now:
            raise NotFound(
                "no such upload (uploads are kept for a day); upload the file again", field="uploadId"
            )
        if upload.consumed_at is not None:
            raise InvalidState("this upload was imported already", field="uploadId")
        # the file's own metadata is checked like a typed prompt: it may carry credentials too
        text, negative = check_prompt(
            prompt if prompt is not None else upload.prompt,
            negative_prompt if negative_prompt is not None else upload.negative_prompt,
            required=False,  # a file without metadata imports with an empty prompt
        )
        if not await uow.uploads.consume(actor.org_id, upload.id, now):
            raise InvalidState("this upload was imported already", field="uploadId")
        generation = await uow.generations.add(
            NewGeneration(
                org_id=actor.org_id,
                session_id=session.id,
                prompt=text,
                negative_prompt=negative,
                platform=platform or session.platform,
                brand_kit_id=session.brand_kit_id,
                aspect_ratio=aspect_ratio or nearest_ratio(upload.width, upload.height),
                width=upload.width,
                height=upload.height,
                provider=clean_text(
                    provider or upload.tool or "import", field="provider", max_length=64, single_line=True
                )
                or "import",
                model=clean_text(
                    model if model is not None else upload.model,
                    field="model",
                    max_length=MAX_MODEL,
                    single_line=True,
                ),
                seed=seed if seed is not None else upload.seed,
                credits_used=0,
                blob_key=upload.blob_key,
                mime_type=upload.mime_type,
                byte_size=upload.byte_size,
                created_by_id=actor.member_id,
                created_at=now,
                expires_at=studio.retention.expiry(created_at=now, closed_at=None, kept=False),
            )
        )
        uow.record(
            GenerationImported.by(actor, generation.id, now, session_id=session.id, upload_id=upload.id)
        )
        await uow.jobs.enqueue(actor.org_id, "generation", {generation.id: generation.blob_key}, now)
        await uow.commit()
    return generation
