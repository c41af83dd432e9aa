"""Proposing, approving and removing placements: "attach deliberately" (an editor proposes, an
approver or admin approves)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from domain.kernel.access import Actor, Permission
from domain.kernel.errors import LimitExceeded, NotFound
from domain.library.events import PlacementApproved, PlacementProposed, PlacementRemoved
from domain.library.placements.model import (
    MAX_PLACEMENTS_PER_ASSET,
    NewPlacement,
    Placement,
    PlacementKind,
    clean_target_ref,
)
from domain.unit_of_work import UnitOfWork

if TYPE_CHECKING:
    from domain.library.services import Library


async def propose_placement(
    library: Library,
    actor: Actor,
    *,
    asset_id: int,
    kind: PlacementKind,
    target_ref: str,
    project_id: int | None = None,
    scheduled_at: datetime | None = None,
) -> Placement:
    """Propose a live asset for a target (EDITOR role or above); a trashed asset or an archived
    project is INVALID_STATE. Proposing the same asset, target and kind again returns the placement
    that exists, as it is."""
    actor.require(Permission.ORGANISE)
    target_ref = clean_target_ref(target_ref)
    now = library.clock.now()
    uow = library.uow()
    org = actor.org_id
    async with uow:
        await uow.trash.lock_assets(org, [asset_id])  # a trash of the asset waits, then sees the placement
        asset = (await uow.library.assets(org, [asset_id])).get(asset_id)
        if asset is None:
            raise NotFound("no such asset", field="assetId")
        if (problem := asset.cannot_be_placed()) is not None:
            problem.field = "assetId"
            raise problem
        if project_id is not None:
            project = (await uow.library.projects(org, [project_id])).get(project_id)
            if project is None:
                raise NotFound("no such project", field="projectId")
            if (problem := project.cannot_take_assets()) is not None:
                problem.field = "projectId"
                raise problem
        if (await uow.placements.count_by_asset(org, [asset_id])).get(
            asset_id, 0
        ) >= MAX_PLACEMENTS_PER_ASSET:
            raise LimitExceeded(
                f"an asset has at most {MAX_PLACEMENTS_PER_ASSET} placements", field="assetId"
            )
        placement, created = await uow.placements.add(
            NewPlacement(
                org_id=org,
                asset_id=asset_id,
                kind=kind,
                target_ref=target_ref,
                project_id=project_id,
                scheduled_at=scheduled_at,
                proposed_by_id=actor.member_id,
                created_at=now,
            )
        )
        if not created:
            return placement
        uow.record(
            PlacementProposed.by(
                actor,
                placement.id,
                now,
                asset_id=asset_id,
                kind=kind.value,
                target_ref=target_ref,
                project_id=project_id,
            )
        )
        await uow.commit()
    return placement


async def approve_placement(library: Library, actor: Actor, *, placement_id: int) -> Placement:
    """Approve a proposed placement (APPROVER or ADMIN role: attach deliberately); approving an
    approved one returns it as it is."""
    actor.require(Permission.REVIEW)
    now = library.clock.now()
    uow = library.uow()
    async with uow:
        placement = await _placement(uow, actor.org_id, placement_id)
        if placement.is_approved:
            return placement
        approved = placement.approve(by=actor.member_id, at=now)
        if not await uow.placements.approve(approved):  # a racing approval won: its answer stands
            return await _placement(uow, actor.org_id, placement_id)
        uow.record(PlacementApproved.by(actor, placement_id, now, asset_id=placement.asset_id))
        await uow.commit()
    return approved


async def remove_placement(library: Library, actor: Actor, *, placement_id: int) -> Placement:
    """Remove a placement, proposed or approved (EDITOR role or above): taking an asset out of a
    target is the cautious direction, so it needs no approval."""
    actor.require(Permission.ORGANISE)
    now = library.clock.now()
    uow = library.uow()
    async with uow:
        removed = await uow.placements.remove(actor.org_id, placement_id)
        if removed is None:
            raise NotFound("no such placement", field="id")
        uow.record(PlacementRemoved.by(actor, placement_id, now, asset_id=removed.asset_id, reason="removed"))
        await uow.commit()
    return removed


async def _placement(uow: UnitOfWork, org_id: int, placement_id: int) -> Placement:
    placement = await uow.placements.get(org_id, placement_id)
    if placement is None:
        raise NotFound("no such placement", field="id")
    return placement
