"""Free text from clients: controls refused (C0 and C1), values that show nothing refused when required."""

from __future__ import annotations

import pytest

from domain.kernel.errors import InvalidInput
from domain.kernel.text import clean_text, is_blank


def clean(value: str, **options):
    return clean_text(value, field="name", max_length=200, **options)


class TestControls:
    @pytest.mark.parametrize(
        "value", ["a\x00", "a\x1b[31m", "a\x7f", "a\x80", "a\x85b", "a\x9bm", "a\x9f", "\ud800"]
    )
    def test_c0_c1_controls_and_lone_surrogates_are_refused(self, value):
        with pytest.raises(InvalidInput) as raised:
            clean(value)
        assert raised.value.field == "name"

    def test_tab_and_newline_are_kept_in_free_text(self):
        assert clean("a\tb\nc") == "a\tb\nc"

    @pytest.mark.parametrize("value", ["a\nb", "a\rb", "a\u2028b", "a\u2029b"])
    def test_line_breaks_are_refused_in_single_line_text(self, value):
        with pytest.raises(InvalidInput):
            clean(value, single_line=True)


class TestBlank:
    @pytest.mark.parametrize(
        "value",
        [
            "",
            "\u200b",
            "\u200c\u200d\u2060\ufeff",
            "\u202a\u202e\u2066\u2069",  # bidi embeddings, overrides and isolates
            "\u00ad",  # soft hyphen
            "\u3164\u115f\u1160\uffa0",  # Hangul fillers
            "\u2800",  # Braille blank
            "\u034f\ufe0f\U000e0101",  # grapheme joiner, variation selectors
            "\U000e0041\U000e007f",  # tag characters
            "\u180e\u17b4",
            "\u3000\u00a0",
        ],
    )
    def test_a_required_value_of_invisible_characters_only_is_empty(self, value):
        assert is_blank(value)
        with pytest.raises(InvalidInput, match="must not be empty"):
            clean(value, required=True)

    @pytest.mark.parametrize("value", ["a", "\u200bx", "👍", "\u0301", "漢", "\ue000", "."])
    def test_anything_visible_is_something(self, value):
        assert not is_blank(value)
        assert clean(value, required=True) == value

    def test_invisible_characters_around_visible_ones_are_kept_byte_for_byte(self):
        assert clean(" \u200ba\u200d👩\u202e ", required=True) == "\u200ba\u200d👩\u202e"

    def test_an_optional_value_may_be_empty(self):
        assert clean("\u200b") == "\u200b"
