"""Placements in GraphQL: proposePlacement, approvePlacement, removePlacement, and a target's
placements (`placements(targetRef:)`)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry
from strawberry.types import Info

from domain.library.placements import queries
from graph.library.placement_types import Placement, PlacementKind
from graph.relay.connection import After, Connection, First, connection_of, cursors_of
from graph.relay.ids import decode_id, decode_optional_id
from graph.relay.outcome import attempt
from graph.relay.user_error import UserError


@strawberry.input(description="An asset to place in a target.")
class ProposePlacementInput:
    asset_id: strawberry.ID = strawberry.field(description="The asset: a library asset, not in the trash.")
    kind: PlacementKind = strawberry.field(description="How it is used in the target.")
    target_ref: str = strawberry.field(
        description="The target: a CMS URL, post or page id, up to 500 characters on one line."
    )
    project_id: strawberry.ID | None = strawberry.field(
        default=None, description="The project (campaign) it belongs to; not an archived one."
    )
    scheduled_at: datetime | None = strawberry.field(
        default=None, description="When the target is to be published."
    )


@strawberry.input(description="A placement.")
class PlacementIdInput:
    id: strawberry.ID = strawberry.field(description="The placement's id.")


@strawberry.type(description="The placement, or why the change was refused (then nothing changed).")
class PlacementPayload:
    placement: Placement | None = strawberry.field(description="The placement; null when refused.")
    user_errors: list[UserError] = strawberry.field(description="Why it was refused; empty on success.")


@strawberry.type(description="The placement removed, or why not (then nothing changed).")
class RemovePlacementPayload:
    removed_placement_id: strawberry.ID | None = strawberry.field(
        description="The id the removed placement had; null when refused."
    )
    user_errors: list[UserError] = strawberry.field(description="Why it was refused; empty on success.")


@strawberry.type
class PlacementMutations:
    @strawberry.mutation(
        description="Propose an asset for a post, page or campaign (EDITOR role or above). A trashed asset "
        "or an archived project is INVALID_STATE; proposing the same asset, target and kind again returns "
        "the placement that exists."
    )
    async def propose_placement(
        self,
        info: Info,
        input: Annotated[ProposePlacementInput, strawberry.argument(description="The placement.")],
    ) -> PlacementPayload:
        ctx = info.context
        call = ctx.services.library.propose_placement(
            ctx.actor,
            asset_id=decode_id(input.asset_id, "Asset", field="assetId"),
            kind=input.kind,
            target_ref=input.target_ref,
            project_id=decode_optional_id(input.project_id, "Project", field="projectId"),
            scheduled_at=input.scheduled_at,
        )
        placement, errors = await attempt(call)
        return PlacementPayload(
            placement=Placement.from_domain(placement) if placement else None, user_errors=errors
        )

    @strawberry.mutation(
        description="Approve a proposed placement (APPROVER or ADMIN role: attach deliberately); approving "
        "it again changes nothing."
    )
    async def approve_placement(
        self,
        info: Info,
        input: Annotated[PlacementIdInput, strawberry.argument(description="The placement.")],
    ) -> PlacementPayload:
        ctx = info.context
        call = ctx.services.library.approve_placement(
            ctx.actor, placement_id=decode_id(input.id, "Placement", field="id")
        )
        placement, errors = await attempt(call)
        return PlacementPayload(
            placement=Placement.from_domain(placement) if placement else None, user_errors=errors
        )

    @strawberry.mutation(description="Remove a placement, proposed or approved (EDITOR role or above).")
    async def remove_placement(
        self,
        info: Info,
        input: Annotated[PlacementIdInput, strawberry.argument(description="The placement.")],
    ) -> RemovePlacementPayload:
        ctx = info.context
        call = ctx.services.library.remove_placement(
            ctx.actor, placement_id=decode_id(input.id, "Placement", field="id")
        )
        placement, errors = await attempt(call)
        return RemovePlacementPayload(
            removed_placement_id=input.id if placement else None, user_errors=errors
        )


@strawberry.type
class PlacementQueries:
    @strawberry.field(description="The placements in one target (a post, page or campaign), newest first.")
    async def placements(
        self,
        info: Info,
        target_ref: Annotated[
            str, strawberry.argument(description="The target reference, as given when placing (trimmed).")
        ],
        first: First = None,
        after: After = None,
    ) -> Connection[Placement]:
        ctx = info.context
        cursors = cursors_of(info)
        target, page = await queries.list_target_placements(
            ctx.reads.placements, ctx.actor, target_ref=target_ref, first=first, after=cursors.decode(after)
        )
        return connection_of(
            page,
            Placement.from_domain,
            lambda: ctx.reads.placements.count_placements_of_target(ctx.actor.org_id, target),
            after=after,
            cursors=cursors,
        )
