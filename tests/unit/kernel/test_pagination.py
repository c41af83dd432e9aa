"""Page requests: page sizes are bounded, and cursors must fit the shape of the list's key."""

from __future__ import annotations

import pytest

from domain.kernel.errors import ErrorCode, InvalidInput, LimitExceeded
from domain.kernel.pagination import (
    BY_NAME,
    DEFAULT_PAGE_SIZE,
    MAX_PAGE_SIZE,
    NEWEST_FIRST,
    Page,
    PageRequest,
)


class TestPageSize:
    def test_no_size_means_twenty(self):
        assert PageRequest.of(None, None, shape=NEWEST_FIRST) == PageRequest(first=20, after=None)
        assert DEFAULT_PAGE_SIZE == 20

    @pytest.mark.parametrize("first", [0, 1, 20, 99, 100])
    def test_sizes_from_zero_to_a_hundred_are_allowed(self, first):
        assert PageRequest.of(first, None, shape=NEWEST_FIRST).first == first

    def test_a_negative_size_is_invalid_input_on_first(self):
        with pytest.raises(InvalidInput) as raised:
            PageRequest.of(-1, None, shape=NEWEST_FIRST)
        assert raised.value.code is ErrorCode.INVALID_INPUT
        assert raised.value.field == "first"

    @pytest.mark.parametrize("first", [101, 1_000_000_000])
    def test_a_size_above_a_hundred_exceeds_the_limit(self, first):
        with pytest.raises(LimitExceeded) as raised:
            PageRequest.of(first, None, shape=NEWEST_FIRST)
        assert raised.value.code is ErrorCode.LIMIT_EXCEEDED
        assert raised.value.field == "first"
        assert MAX_PAGE_SIZE == 100

    def test_the_size_is_checked_before_the_cursor(self):
        with pytest.raises(LimitExceeded):
            PageRequest.of(101, ("not", "a", "key"), shape=NEWEST_FIRST)


class TestAfterCursor:
    @pytest.mark.parametrize(
        ("shape", "after"),
        [
            (NEWEST_FIRST, (1,)),
            (NEWEST_FIRST, (0,)),
            (NEWEST_FIRST, (-(2**63),)),
            (NEWEST_FIRST, (2**63 - 1,)),
            (BY_NAME, ("sunset", 7)),
            (BY_NAME, ("", 2**63 - 1)),
        ],
    )
    def test_a_key_of_the_lists_shape_is_kept(self, shape, after):
        assert PageRequest.of(5, after, shape=shape) == PageRequest(first=5, after=after)

    @pytest.mark.parametrize(
        ("shape", "after"),
        [
            pytest.param(NEWEST_FIRST, (), id="newest-first-empty"),
            pytest.param(NEWEST_FIRST, (1, 2), id="newest-first-too-long"),
            pytest.param(BY_NAME, ("sunset",), id="by-name-too-short"),
            pytest.param(BY_NAME, ("sunset", 7, 8), id="by-name-too-long"),
        ],
    )
    def test_a_key_of_the_wrong_length_is_invalid_input_on_after(self, shape, after):
        with pytest.raises(InvalidInput) as raised:
            PageRequest.of(5, after, shape=shape)
        assert raised.value.code is ErrorCode.INVALID_INPUT
        assert raised.value.field == "after"

    @pytest.mark.parametrize(
        ("shape", "after"),
        [
            pytest.param(NEWEST_FIRST, ("1",), id="str-for-int"),
            pytest.param(NEWEST_FIRST, (1.0,), id="float-for-int"),
            pytest.param(NEWEST_FIRST, (None,), id="none-for-int"),
            pytest.param(BY_NAME, (7, "sunset"), id="swapped"),
            pytest.param(BY_NAME, ("sunset", "7"), id="str-for-int-in-second-place"),
            pytest.param(BY_NAME, (b"sunset", 7), id="bytes-for-str"),
        ],
    )
    def test_a_key_of_the_wrong_types_is_invalid_input_on_after(self, shape, after):
        with pytest.raises(InvalidInput) as raised:
            PageRequest.of(5, after, shape=shape)
        assert raised.value.field == "after"

    @pytest.mark.parametrize(
        ("shape", "after"),
        [
            pytest.param(NEWEST_FIRST, (True,), id="true"),
            pytest.param(NEWEST_FIRST, (False,), id="false"),
            pytest.param(BY_NAME, ("sunset", True), id="by-name-true"),
        ],
    )
    def test_a_bool_is_not_an_int_in_a_key(self, shape, after):
        with pytest.raises(InvalidInput) as raised:
            PageRequest.of(5, after, shape=shape)
        assert raised.value.field == "after"

    @pytest.mark.parametrize(
        ("shape", "after"),
        [
            pytest.param(NEWEST_FIRST, (2**63,), id="2**63"),
            pytest.param(NEWEST_FIRST, (2**100,), id="2**100"),
            pytest.param(NEWEST_FIRST, (-(2**63) - 1,), id="below-int64"),
            pytest.param(BY_NAME, ("sunset", 2**63), id="by-name-2**63"),
        ],
    )
    def test_an_int_outside_sixty_four_bits_is_invalid_input_on_after(self, shape, after):
        with pytest.raises(InvalidInput) as raised:
            PageRequest.of(5, after, shape=shape)
        assert raised.value.code is ErrorCode.INVALID_INPUT
        assert raised.value.field == "after"


class TestEmptyPage:
    def test_an_empty_page_has_no_rows_and_no_next(self):
        page = Page.empty()
        assert (tuple(page.items), tuple(page.keys), page.has_next) == ((), (), False)
