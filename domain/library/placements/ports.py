"""The placements' ports: their repository and their reads."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol

from domain.kernel.pagination import Page, PageRequest
from domain.library.placements.model import NewPlacement, Placement


class PlacementRepository(Protocol):
    """Writes and transactional reads of placements."""

    async def add(self, placement: NewPlacement) -> tuple[Placement, bool]:
        """The placement of the asset in the target with that kind: created now (True), or the one
        that exists (False). The unique key, not a prior read, settles two racing proposals."""
        ...

    async def get(self, org_id: int, placement_id: int) -> Placement | None:
        """The organisation's placement; None when there is none or it is another organisation's."""
        ...

    async def approve(self, placement: Placement) -> bool:
        """Write the placement's approval if it is still PROPOSED (compare-and-set); False when it
        was approved or removed meanwhile."""
        ...

    async def remove(self, org_id: int, placement_id: int) -> Placement | None:
        """Delete the placement; returns it, or None when there was none to delete."""
        ...

    async def count_by_asset(self, org_id: int, asset_ids: Sequence[int]) -> Mapping[int, int]:
        """How many placements (proposed and approved) each asset has; an asset with none is left out."""
        ...

    async def remove_for_assets(self, org_id: int, asset_ids: Sequence[int]) -> Sequence[Placement]:
        """Delete every placement of these assets in one statement; returns those deleted."""
        ...


class PlacementReads(Protocol):
    """Reads of placements, each call one statement, each scoped by `org_id`."""

    async def placements_by_ids(self, org_id: int, ids: Sequence[int]) -> Mapping[int, Placement]:
        """The organisation's placements among these ids, by id; others are left out."""
        ...

    async def placements_of_assets(
        self, org_id: int, asset_ids: Sequence[int]
    ) -> Mapping[int, Sequence[Placement]]:
        """Each asset's placements, oldest first; an asset with none is left out."""
        ...

    async def count_placements_of_assets(self, org_id: int, asset_ids: Sequence[int]) -> Mapping[int, int]:
        """How many placements (proposed and approved) each asset has; an asset with none is left out."""
        ...

    async def placements_of_target(self, org_id: int, target_ref: str, page: PageRequest) -> Page[Placement]:
        """A page of the placements in one target (compared exactly), newest first."""
        ...

    async def count_placements_of_target(self, org_id: int, target_ref: str) -> int:
        """How many placements one target has."""
        ...

    async def project_placement_pages(
        self, org_id: int, project_ids: Sequence[int], page: PageRequest
    ) -> Mapping[int, Page[Placement]]:
        """The same page (newest first, past `page.after`) of each project's placements, in one query;
        a project with none is left out."""
        ...

    async def count_project_placements(self, org_id: int, project_ids: Sequence[int]) -> Mapping[int, int]:
        """How many placements each project has; a project with none is left out."""
        ...
