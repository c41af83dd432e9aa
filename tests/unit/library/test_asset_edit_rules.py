"""The editing rule an asset carries: one in the trash is not edited."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from domain.kernel.errors import ErrorCode, InvalidInput, LimitExceeded
from domain.library.editing import BulkEdit
from domain.library.model import Asset, check_rating

AT = datetime(2026, 6, 1, tzinfo=UTC)
ASSET = Asset(
    id=1, org_id=1, name="Hero", description="", alt_text="", folder_id=None, blob_key="k",
    mime_type="image/png", byte_size=1, width=1, height=1, ai_generated=False, provenance=None,
    trashed_at=None, created_at=AT, updated_at=AT,
)  # fmt: skip


class TestAssetEdits:
    def test_a_live_asset_can_be_edited(self):
        assert ASSET.cannot_be_edited() is None

    def test_a_trashed_asset_is_invalid_state(self):
        problem = replace(ASSET, trashed_at=AT).cannot_be_edited()
        assert problem is not None and problem.code is ErrorCode.INVALID_STATE


class TestBulkEdits:
    def test_tag_names_are_cleaned_and_deduplicated_regardless_of_case(self):
        assert BulkEdit(add_tags=(" Hero ", "HERO", "café")).cleaned().add_tags == ("Hero", "café")

    def test_a_repeated_project_is_invalid_input_and_too_many_tags_a_limit(self):
        with pytest.raises(InvalidInput) as e:
            BulkEdit(add_project_ids=(1, 1)).cleaned()
        assert e.value.field == "addProjectIds"
        with pytest.raises(LimitExceeded) as limit:
            BulkEdit(add_tags=tuple(f"t{i}" for i in range(21))).cleaned()
        assert limit.value.field == "addTags"


class TestRatings:
    @pytest.mark.parametrize("rating", [0, 3, 5])
    def test_0_to_5_passes(self, rating):
        assert check_rating(rating) == rating

    @pytest.mark.parametrize("rating", [-1, 6, 100])
    def test_anything_else_is_invalid_input_on_the_rating(self, rating):
        with pytest.raises(InvalidInput) as e:
            check_rating(rating)
        assert e.value.field == "rating"
