"""Which rendition a thumbnail is, what status a job shows, and which file variant serves each size."""

from __future__ import annotations

import pytest

from domain.files.model import Variant
from domain.kernel.errors import InvalidInput
from domain.processing.model import (
    MAX_THUMBNAIL_SIZE,
    RENDITION_SIZES,
    JobState,
    ProcessingStatus,
    Rendition,
    thumbnail_for,
)


def rendition(size: int) -> Rendition:
    return Rendition(size, size, size // 2, f"{size:064x}", size * 10)


class TestThumbnailFor:
    @pytest.mark.parametrize(
        ("wanted", "chosen"), [(1, 256), (255, 256), (256, 256), (257, 1024), (1024, 1024), (1025, 1024)]
    )
    def test_the_smallest_at_or_above_the_size_else_the_largest(self, wanted, chosen):
        found = thumbnail_for([rendition(1024), rendition(256)], wanted)
        assert found is not None and found.size == chosen

    def test_nothing_before_processing(self):
        assert thumbnail_for([], 256) is None

    @pytest.mark.parametrize("size", [0, -5, MAX_THUMBNAIL_SIZE + 1])
    def test_a_size_out_of_bounds_is_refused_naming_the_argument(self, size):
        with pytest.raises(InvalidInput) as refused:
            thumbnail_for([rendition(256)], size)
        assert refused.value.field == "size"


class TestProcessingStatus:
    def test_each_job_state_shows_as_one_status_and_no_job_is_pending(self):
        assert {state: ProcessingStatus.of(state) for state in JobState} == {
            JobState.QUEUED: ProcessingStatus.PENDING,
            JobState.RUNNING: ProcessingStatus.PROCESSING,
            JobState.DONE: ProcessingStatus.READY,
            JobState.FAILED: ProcessingStatus.FAILED,
        }
        assert ProcessingStatus.of(None) is ProcessingStatus.PENDING

    def test_job_states_are_the_inverse_of_the_mapping(self):
        for status in ProcessingStatus:
            assert all(ProcessingStatus.of(s) is status for s in status.job_states)
        assert sum(len(s.job_states) for s in ProcessingStatus) == len(JobState)


class TestVariants:
    def test_every_rendition_size_has_a_variant_and_every_variant_a_size(self):
        sizes = {v.rendition_size for v in Variant if v is not Variant.ORIGINAL}
        assert sizes == set(RENDITION_SIZES)
        assert all(Variant.of_rendition(size).rendition_size == size for size in RENDITION_SIZES)
        assert Variant.ORIGINAL.rendition_size is None
