"""Review: approve, reject or escalate generations. Only PENDING ones move; REJECTED is final."""

from __future__ import annotations

from typing import TYPE_CHECKING

from domain.kernel.access import Actor, Permission
from domain.kernel.errors import InvalidState, NotFound
from domain.kernel.prompt_guard import refuse_secrets
from domain.kernel.text import clean_text
from domain.studio.events import GenerationApproved, GenerationEscalated, GenerationRejected
from domain.studio.model import Concern, Generation, ReviewNotes, ReviewState
from domain.studio.selection import check_alt_text_for_each, load_generations
from domain.unit_of_work import UnitOfWork

if TYPE_CHECKING:
    from domain.studio.services import Studio

MAX_NOTES = 2000
MAX_SHORT = 500


async def approve(
    studio: Studio,
    actor: Actor,
    *,
    generation_ids: list[int],
    alt_text: str | None = None,
    rights_notes: str = "",
    source: str = "",
    intended_placement: str = "",
) -> list[Generation]:
    """Approve pending generations, all or none; approving an approved one changes nothing."""
    actor.require(Permission.REVIEW)
    rights_notes = clean_text(rights_notes, field="rightsNotes", max_length=MAX_NOTES)
    source = clean_text(source, field="source", max_length=MAX_SHORT)
    intended_placement = clean_text(intended_placement, field="intendedPlacement", max_length=MAX_SHORT)
    if alt_text is not None:  # checked per generation below; a credential is refused for all now
        refuse_secrets(alt_text, field="altText")
    now = studio.clock.now()
    uow = studio.uow()
    async with uow:
        generations = await load_generations(
            uow, actor.org_id, generation_ids, for_update=True, check=Generation.cannot_approve
        )
        checked_alt = check_alt_text_for_each(alt_text, generations)
        result = [
            g.approve(
                ReviewNotes(checked_alt.get(g.id, ""), rights_notes, source, intended_placement),
                by=actor.member_id,
                at=now,
            )
            for g in generations
        ]
        changed = [g for g, was in zip(result, generations, strict=True) if g is not was]
        await _store_reviews(uow, changed)
        for g in changed:
            uow.record(GenerationApproved.by(actor, g.id, now))
        await uow.commit()
    return result


async def _store_reviews(uow: UnitOfWork, reviewed: list[Generation]) -> None:
    """Compare-and-set from PENDING, all or none: the rows are locked, so a miss means a race lost."""
    if len(await uow.generations.set_reviews(reviewed, expected=ReviewState.PENDING)) != len(reviewed):
        raise InvalidState("the generation was reviewed meanwhile; reload it", field="generationIds")


async def reject(
    studio: Studio,
    actor: Actor,
    *,
    generation_ids: list[int],
    reason: str,
) -> list[Generation]:
    """Reject pending generations, all or none; rejecting a rejected one changes nothing."""
    actor.require(Permission.REVIEW)
    reason = clean_text(reason, field="reason", max_length=MAX_NOTES)
    now = studio.clock.now()
    uow = studio.uow()
    async with uow:
        generations = await load_generations(
            uow, actor.org_id, generation_ids, for_update=True, check=Generation.cannot_reject
        )
        result = [g.reject(reason, by=actor.member_id, at=now) for g in generations]
        changed = [g for g, was in zip(result, generations, strict=True) if g is not was]
        await _store_reviews(uow, changed)
        for g in changed:
            uow.record(GenerationRejected.by(actor, g.id, now))
        await uow.commit()
    return result


async def escalate(
    studio: Studio,
    actor: Actor,
    *,
    generation_id: int,
    reason: str,
    concern: Concern | None = None,
) -> Generation:
    """Ask reviewers to decide a pending generation: rights, accuracy, brand fit or claims are uncertain."""
    actor.require(Permission.GENERATE)
    reason = clean_text(reason, field="reason", max_length=MAX_NOTES, required=True)
    now = studio.clock.now()
    uow = studio.uow()
    async with uow:
        found = await uow.generations.get_many(actor.org_id, [generation_id], for_update=True)
        generation = found.get(generation_id)
        if generation is None:
            raise NotFound("no such generation", field="generationId")
        escalated = generation.escalate(concern, reason, by=actor.member_id, at=now)
        await uow.generations.set_escalation(escalated)
        uow.record(GenerationEscalated.by(actor, generation.id, now, concern=concern))
        await uow.commit()
    return escalated
