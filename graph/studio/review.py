"""Review mutations: approve, reject and escalate generations."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from graph.relay.ids import decode_id, decode_id_list
from graph.relay.outcome import attempt
from graph.studio.enums import Concern
from graph.studio.mutations import GenerationPayload, GenerationsPayload, _generations_payload
from graph.studio.types import Generation


@strawberry.input(description="Generations to approve, with what the review records.")
class ApproveInput:
    generation_ids: list[strawberry.ID] = strawberry.field(
        description="Generation ids, 1 to 500; each at most once."
    )
    alt_text: str | None = strawberry.field(
        default=None, description="Alt text describing the image for people who cannot see it (at most 250)."
    )
    rights_notes: str = strawberry.field(default="", description="Notes on rights and allowed use.")
    source: str = strawberry.field(default="", description="The provider or stock source confirmed.")
    intended_placement: str = strawberry.field(default="", description="Where the image is meant to appear.")


@strawberry.input(description="Generations to reject, and why.")
class RejectInput:
    generation_ids: list[strawberry.ID] = strawberry.field(
        description="Generation ids, 1 to 500; each at most once."
    )
    reason: str = strawberry.field(default="", description="Why they are rejected.")


@strawberry.input(description="A pending generation to put before the reviewers.")
class EscalateInput:
    generation_id: strawberry.ID = strawberry.field(description="The generation.")
    concern: Concern | None = strawberry.field(default=None, description="What is uncertain, when known.")
    reason: str = strawberry.field(description="What the reviewers should look at.")


@strawberry.type
class ReviewMutations:
    @strawberry.mutation(
        description="Approve pending generations, all or none (APPROVER role); repeating it changes nothing."
    )
    async def approve(
        self,
        info: Info,
        input: Annotated[ApproveInput, strawberry.argument(description="The change to make.")],
    ) -> GenerationsPayload:
        ctx = info.context
        call = ctx.services.studio.approve(
            ctx.actor,
            generation_ids=decode_id_list(input.generation_ids, "Generation"),
            alt_text=input.alt_text,
            rights_notes=input.rights_notes,
            source=input.source,
            intended_placement=input.intended_placement,
        )
        return _generations_payload(*await attempt(call, {"generationIds": input.generation_ids}))

    @strawberry.mutation(
        description="Reject pending generations, all or none; a rejected one never enters the library."
    )
    async def reject(
        self,
        info: Info,
        input: Annotated[RejectInput, strawberry.argument(description="The change to make.")],
    ) -> GenerationsPayload:
        ctx = info.context
        call = ctx.services.studio.reject(
            ctx.actor,
            generation_ids=decode_id_list(input.generation_ids, "Generation"),
            reason=input.reason,
        )
        return _generations_payload(*await attempt(call, {"generationIds": input.generation_ids}))

    @strawberry.mutation(
        description="Escalate a pending generation when rights, accuracy, brand or claims are uncertain."
    )
    async def escalate(
        self,
        info: Info,
        input: Annotated[EscalateInput, strawberry.argument(description="The change to make.")],
    ) -> GenerationPayload:
        ctx = info.context
        generation_id = decode_id(input.generation_id, "Generation", field="generationId")
        generation, errors = await attempt(
            ctx.services.studio.escalate(
                ctx.actor,
                generation_id=generation_id,
                concern=input.concern,
                reason=input.reason,
            )
        )
        return GenerationPayload(
            generation=Generation.from_domain(generation) if generation else None, user_errors=errors
        )
