"""The rules the trash and placements carry: what may be purged and placed, when the window has
passed, how a placement is approved, what a target reference may be."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from domain.kernel.errors import ErrorCode, InvalidInput, InvalidState
from domain.library.model import Asset
from domain.library.placements.model import (
    MAX_TARGET_REF,
    Placement,
    PlacementKind,
    PlacementState,
    clean_target_ref,
)

AT = datetime(2026, 6, 1, tzinfo=UTC)
WINDOW = timedelta(days=30)
ASSET = Asset(
    id=1, org_id=1, name="Hero", description="", alt_text="", folder_id=None, blob_key="k",
    mime_type="image/png", byte_size=1, width=1, height=1, ai_generated=False, provenance=None,
    trashed_at=None, created_at=AT, updated_at=AT,
)  # fmt: skip
PLACEMENT = Placement(
    id=1, org_id=1, asset_id=1, kind=PlacementKind.INLINE, target_ref="post-1", project_id=None,
    scheduled_at=None, state=PlacementState.PROPOSED, proposed_by_id=2, created_at=AT,
)  # fmt: skip


class TestTheTrashRules:
    def test_only_a_trashed_asset_is_purged(self):
        problem = ASSET.cannot_be_purged()
        assert problem is not None and problem.code is ErrorCode.INVALID_STATE
        assert replace(ASSET, trashed_at=AT).cannot_be_purged() is None

    def test_only_a_live_asset_is_placed(self):
        assert ASSET.cannot_be_placed() is None
        problem = replace(ASSET, trashed_at=AT).cannot_be_placed()
        assert problem is not None and problem.code is ErrorCode.INVALID_STATE

    @pytest.mark.parametrize(
        ("trashed_at", "due"),
        [(None, False), (AT - WINDOW - timedelta(seconds=1), True), (AT - WINDOW, False), (AT, False)],
    )
    def test_the_purge_is_due_once_the_window_has_passed(self, trashed_at, due):
        assert replace(ASSET, trashed_at=trashed_at).purge_due(AT, WINDOW) is due


class TestPlacementRules:
    def test_approving_records_who_and_when(self):
        approved = PLACEMENT.approve(by=7, at=AT)
        assert (approved.state, approved.approved_by_id, approved.approved_at) == (
            PlacementState.APPROVED,
            7,
            AT,
        )
        assert approved.is_approved and not PLACEMENT.is_approved

    def test_an_approved_placement_is_not_approved_again(self):
        with pytest.raises(InvalidState):
            PLACEMENT.approve(by=7, at=AT).approve(by=8, at=AT)

    def test_a_target_reference_is_trimmed_one_line_and_bounded(self):
        assert clean_target_ref("  https://cms.example.com/p/1 ") == "https://cms.example.com/p/1"
        assert clean_target_ref("x" * MAX_TARGET_REF) == "x" * MAX_TARGET_REF
        for bad in ("", "\u200b", "a\nb", "x" * (MAX_TARGET_REF + 1), "post\x00"):
            with pytest.raises(InvalidInput) as refused:
                clean_target_ref(bad)
            assert refused.value.field == "targetRef"
