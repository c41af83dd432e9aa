"""The trash's port: moving assets in and out of the trash, and purging them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from domain.library.model import Asset


@dataclass(frozen=True, slots=True)
class PurgedAsset:
    """What a purge deleted: the row's id, and what it held of storage."""

    id: int
    org_id: int
    blob_key: str
    byte_size: int


class TrashRepository(Protocol):
    """Writes of the trash in the unit of work's transaction; each call scoped by `org_id` but the sweep's."""

    async def lock_assets(self, org_id: int, asset_ids: Sequence[int]) -> None:
        """Hold the assets' rows until the transaction ends (PostgreSQL; SQLite's writers are serial),
        so that a trash and a placement of the same asset never both pass their checks."""
        ...

    async def trash_assets(self, org_id: int, asset_ids: Sequence[int], at: datetime) -> set[int]:
        """Move the live ones of these assets to the trash (`trashed_at`, `updated_at`) in one
        statement; returns the ids that moved (trashed ones stay as they are)."""
        ...

    async def restore_assets(self, org_id: int, asset_ids: Sequence[int], at: datetime) -> set[int]:
        """Take the trashed ones of these assets out of the trash in one statement, in the folder they
        are in; returns the ids restored (live ones stay as they are)."""
        ...

    async def purge_assets(
        self, org_id: int, asset_ids: Sequence[int], *, trashed_before: datetime | None = None
    ) -> Sequence[PurgedAsset]:
        """Delete the trashed ones of these assets (only those trashed before `trashed_before` when
        given) with their links, and forget them as their generations' saved asset; returns what was
        deleted. The DELETE decides: of two racing purges of one asset, only one gets it back."""
        ...

    async def expired_trash(self, trashed_before: datetime, *, limit: int) -> Sequence[Asset]:
        """Assets of every organisation trashed before the cut-off, oldest first, at most `limit`:
        the candidates of the retention purge (which re-checks the cut-off as it deletes)."""
        ...
