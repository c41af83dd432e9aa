"""Generating images in a session: checks, credits, the provider call, the new generations.

Credits are reserved before the provider is called and refunded if it fails, so a
request over budget never reaches the provider and a failed call costs nothing.
The provider runs outside any transaction: it may take many seconds.
"""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from domain.kernel.access import Actor, Permission
from domain.kernel.errors import (
    BudgetExceeded,
    DomainError,
    InvalidInput,
    InvalidState,
    ItemError,
    ItemErrors,
    LimitExceeded,
    NotFound,
    ProviderFailed,
)
from domain.kernel.media import ImageRequest, MadeImage
from domain.kernel.prompt_guard import refuse_secrets
from domain.kernel.text import clean_text
from domain.studio.events import GenerationCreated
from domain.studio.model import AspectRatio, Generation, Platform, Session, SessionState
from domain.studio.ports import ImageProvider
from domain.studio.writes import NewGeneration
from domain.unit_of_work import UnitOfWork

if TYPE_CHECKING:
    from domain.studio.services import Studio

# one limit for typed prompts and those read from files: real ComfyUI prompts run to tens of thousands
MAX_PROMPT = 50_000
MAX_COUNT = 8
MAX_CONTEXT_ASSETS = 10
LONG_SIDE = 1024
MAX_SEED = 2**63 - 1


def check_prompt(prompt: str, negative_prompt: str, *, required: bool = True) -> tuple[str, str]:
    """Both prompts cleaned, bounded and free of credentials (clean_text runs the prompt guard)."""
    prompt = clean_text(prompt, field="prompt", max_length=MAX_PROMPT, required=required)
    negative_prompt = clean_text(negative_prompt, field="negativePrompt", max_length=MAX_PROMPT)
    return prompt, negative_prompt


async def open_session(uow: UnitOfWork, org_id: int, session_id: int, *, for_update: bool = False) -> Session:
    """The session, which must exist and be open (with for_update: and stay so until the transaction ends)."""
    session = await uow.sessions.get(org_id, session_id, for_update=for_update)
    if session is None:
        raise NotFound("no such session", field="sessionId")
    if session.state is not SessionState.OPEN:
        raise InvalidState("the session is closed; open a new one to generate", field="sessionId")
    return session


async def check_context_assets(uow: UnitOfWork, org_id: int, ids: Sequence[int]) -> None:
    """Every reference asset exists in the library (and is not in the trash)."""
    if len(ids) > MAX_CONTEXT_ASSETS:
        raise LimitExceeded(f"at most {MAX_CONTEXT_ASSETS} context assets", field="contextAssetIds")
    found = await uow.library.assets(org_id, ids)
    errors = [
        ItemError(i, id, NotFound("no such asset", field=f"contextAssetIds[{i}]"))
        for i, id in enumerate(ids)
        if id not in found or found[id].trashed_at is not None
    ]
    if errors:
        raise ItemErrors(errors, field="contextAssetIds")


async def generate(
    studio: Studio,
    actor: Actor,
    *,
    session_id: int,
    prompt: str,
    negative_prompt: str = "",
    count: int = 1,
    platform: Platform | None = None,
    aspect_ratio: AspectRatio | None = None,
    context_asset_ids: Sequence[int] = (),
    provider: str = "procedural",
    seed: int | None = None,
) -> list[Generation]:
    """Make `count` images in an open session and record them as generations."""
    actor.require(Permission.GENERATE)
    prompt, negative_prompt = check_prompt(prompt, negative_prompt)
    if not 1 <= count <= MAX_COUNT:
        raise LimitExceeded(f"count must be 1 to {MAX_COUNT}", field="count")
    if provider not in studio.providers:
        refuse_secrets(provider, field="provider")  # say so when the unknown name is a credential
        raise InvalidInput(
            f"unknown provider; use one of {', '.join(sorted(studio.providers))}", field="provider"
        )
    if seed is not None and not 0 <= seed <= MAX_SEED - (count - 1):  # images take seed, seed + 1, ...
        raise InvalidInput("the seed must be between 0 and 2^63-1", field="seed")
    if len(set(context_asset_ids)) != len(context_asset_ids):
        raise InvalidInput("a context asset is listed more than once", field="contextAssetIds")
    maker = studio.providers[provider]

    uow = studio.uow()
    async with uow:
        session = await open_session(uow, actor.org_id, session_id)
        await check_context_assets(uow, actor.org_id, context_asset_ids)
        ratio = aspect_ratio or session.aspect_ratio
        width, height = ratio.size(LONG_SIDE)
        request = ImageRequest(
            prompt,
            negative_prompt,
            width,
            height,
            count,
            seed if seed is not None else secrets.randbelow(2**32),
        )
        cost = maker.cost(request)
        if not await uow.organisations.spend_credits(actor.org_id, cost):
            raise BudgetExceeded(f"this needs {cost} credits, more than the budget has left", field="count")
        await uow.commit()

    try:
        images = list(await maker.generate(request))[: request.count]
        stored = [await studio.blobs.put("scratch", image.data) for image in images]
    except DomainError:
        await _refund(uow, actor.org_id, cost)
        raise
    except Exception as e:
        await _refund(uow, actor.org_id, cost)
        raise ProviderFailed(
            f"the {provider} provider failed ({type(e).__name__}); no credits were spent"
        ) from e
    except BaseException:  # cancelled: the client went away
        await asyncio.shield(_refund(uow, actor.org_id, cost))
        raise
    if not images:
        await _refund(uow, actor.org_id, cost)
        raise ProviderFailed(f"the {provider} provider returned no image; no credits were spent")

    shares = _shares(cost, request.count)  # what each image costs; the provider may return fewer
    unused = sum(shares[len(images) :])
    now = studio.clock.now()
    try:
        async with uow:
            if unused:
                await uow.organisations.refund_credits(actor.org_id, unused)
            # the session may have closed while the provider worked: then these expire as its others do
            current = await uow.sessions.get(actor.org_id, session.id)
            expires_at = studio.retention.expiry(
                created_at=now, closed_at=current.closed_at if current else None, kept=False
            )
            generations = []
            for image, blob, share in zip(images, stored, shares, strict=False):
                generation = await uow.generations.add(
                    _new_generation(
                        actor,
                        session,
                        request,
                        image,
                        blob.key,
                        blob.size,
                        maker,
                        share,
                        platform or session.platform,
                        ratio,
                        tuple(context_asset_ids),
                        now,
                        expires_at,
                    )
                )
                uow.record(
                    GenerationCreated.by(actor, generation.id, now, session_id=session.id, provider=provider)
                )
                generations.append(generation)
            # thumbnails for the Studio screen, queued with the rows they are for
            await uow.jobs.enqueue(actor.org_id, "generation", {g.id: g.blob_key for g in generations}, now)
            await uow.commit()
    except BaseException:
        await asyncio.shield(_refund(uow, actor.org_id, cost - unused))
        raise
    return generations


def _shares(cost: int, count: int) -> list[int]:
    """The cost split over the images, the remainder on the first ones, so the shares add up to the cost."""
    base, extra = divmod(cost, count)
    return [base + (1 if i < extra else 0) for i in range(count)]


async def _refund(uow: UnitOfWork, org_id: int, cost: int) -> None:
    async with uow:
        await uow.organisations.refund_credits(org_id, cost)
        await uow.commit()


def _new_generation(
    actor: Actor,
    session: Session,
    request: ImageRequest,
    image: MadeImage,
    blob_key: str,
    byte_size: int,
    maker: ImageProvider,
    credits: int,
    platform: Platform | None,
    ratio: AspectRatio,
    context: tuple[int, ...],
    now: datetime,
    expires_at: datetime | None,
) -> NewGeneration:
    return NewGeneration(
        org_id=actor.org_id,
        session_id=session.id,
        prompt=request.prompt,
        negative_prompt=request.negative_prompt,
        platform=platform,
        brand_kit_id=session.brand_kit_id,
        aspect_ratio=ratio,
        width=image.width,
        height=image.height,
        provider=maker.name,
        model=maker.model,
        seed=image.seed,
        credits_used=credits,
        blob_key=blob_key,
        mime_type=image.mime_type,
        byte_size=byte_size,
        created_by_id=actor.member_id,
        created_at=now,
        expires_at=expires_at,
        context_asset_ids=context,
    )
