"""Signed cursors: whatever a key holds round-trips, within a bounded size; nothing unsigned is decoded."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.kernel.errors import InvalidInput
from domain.kernel.pagination import BY_NAME, PageRequest
from domain.library.model import name_key
from domain.library.organising import MAX_NAME
from graph.relay.ids import MAX_CURSOR_LENGTH, Cursors

cursors = Cursors(b"test key").of("Query.tags")


@pytest.mark.parametrize(
    "name",
    [
        "👩\u200d👩\u200d👧\u200d👦",
        "\u202eevil",
        "a\u200bb",
        "漢" * MAX_NAME,
        "\U0001d161" * MAX_NAME,  # folds to the longest key a name can have
        "\U0010fffd" * MAX_NAME,
        '"\\' * (MAX_NAME // 2),  # what JSON must escape
    ],
)
def test_every_name_key_round_trips_and_fits_a_page_request(name):
    key = (name_key(name), 2**63 - 1)
    cursor = cursors.encode(key)
    assert len(cursor) <= MAX_CURSOR_LENGTH and cursor.isascii()
    assert cursors.decode(cursor) == key
    assert PageRequest.of(1, cursors.decode(cursor), shape=BY_NAME).after == key


def test_the_longest_possible_key_is_the_one_the_bound_was_made_for():
    # every code point, folded: none makes more UTF-8 than U+1D161, so WORST bounds all names
    import sys

    widest = max(
        len(name_key(chr(c)).encode()) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF
    )
    assert widest == len(name_key("\U0001d161").encode()) == 12


@pytest.mark.parametrize("tamper", [lambda c: c[:-1] + ("A" if c[-1] != "A" else "B"), lambda c: "x" + c])
def test_a_tampered_cursor_is_invalid_input(tamper):
    with pytest.raises(InvalidInput) as raised:
        cursors.decode(tamper(cursors.encode(("a", 1))))
    assert raised.value.field == "after"


@pytest.mark.parametrize("value", ["\ud800", "é", "x" * (MAX_CURSOR_LENGTH + 1)])
def test_a_value_no_cursor_could_be_is_refused_before_verifying(value):
    with pytest.raises(InvalidInput):
        cursors.decode(value)


def test_a_cursor_of_another_key_is_refused():
    with pytest.raises(InvalidInput):
        Cursors(b"other key").of("Query.tags").decode(cursors.encode(("a", 1)))


class TestEncodingAsItsdangerousDoes:
    @settings(max_examples=300, derandomize=True, database=None, deadline=None)
    @given(
        key=st.lists(
            st.one_of(st.text(max_size=300), st.integers(min_value=-(2**63), max_value=2**63 - 1)),
            max_size=4,
        )
    )
    def test_a_cursor_is_the_bytes_itsdangerous_signs(self, key):
        # long repetitive names take the compressed branch, short ones the plain one
        assert cursors.encode(tuple(key)) == cursors._serializer.dumps(list(key))

    def test_both_branches_are_taken(self):
        assert cursors.encode(("a" * 200, 1)).startswith(".")
        assert not cursors.encode(("a", 1)).startswith(".")


def test_a_kept_cursor_is_the_same_and_no_equal_key_of_another_type_takes_it():
    cursors = Cursors("k" * 64).of("Kept.list")
    first = cursors.encode((1, 5))
    assert cursors.encode((1, 5)) == first  # from the kept ones
    assert cursors.encode((1.0, 5)) != first  # 1.0 == 1 as a dict key, not as a cursor
    assert cursors.encode((True, 5)) != first
    assert cursors.decode(first) == (1, 5)
