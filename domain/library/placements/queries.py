"""Placement reads: a target's placements."""

from __future__ import annotations

from domain.kernel.access import Actor, Permission
from domain.kernel.pagination import NEWEST_FIRST, Key, Page, PageRequest
from domain.library.placements.model import Placement, clean_target_ref
from domain.library.placements.ports import PlacementReads


async def list_target_placements(
    reads: PlacementReads, actor: Actor, *, target_ref: str, first: int | None, after: Key | None
) -> tuple[str, Page[Placement]]:
    """A target's placements, newest first, with the target reference as stored (trimmed, checked)."""
    actor.require(Permission.READ)
    target_ref = clean_target_ref(target_ref)
    page = PageRequest.of(first, after, shape=NEWEST_FIRST)
    return target_ref, await reads.placements_of_target(actor.org_id, target_ref, page)
