"""Names that look the same have one key; emoji sequences that look different keep theirs; tabs are refused."""

from __future__ import annotations

import pytest

from domain.kernel.errors import InvalidInput
from domain.kernel.text import clean_text, is_blank
from domain.kernel.visible import visible_form
from domain.library.model import name_key

LOOK_THE_SAME = [
    ("Hero", "hero\u200b"),
    ("Hero2", "Hero2\u00ad"),
    ("summer sale", "summer\u00a0sale"),
    ("summer  x", "summer x"),
    ("Zed", "Zed\ufe0f"),
    ("xy", "x\u2060y"),
    ("RTL", "\u200fRTL"),
    ("mark", "mark\u034f"),
    ("Tab x", "Tab\tx"),
    ("a b", "a\u3000\u2003 b"),  # ideographic and em spaces
    ("a b", "a\u2800b"),  # the Braille blank takes a blank's width
    ("ab", "a\u200db"),  # a joiner between letters joins nothing that shows
    ("ab", "a\U000e0041b"),  # a tag character after a letter
    ("❤ love", "❤\ufe0f love"),  # the emoji and the text presentation of one character
    ("👩\u200d💻", "👩\ufe0f\u200d💻"),  # a variation selector inside a ZWJ sequence
]

LOOK_DIFFERENT = [
    ("👨\u200d👩\u200d👧", "👨👩👧"),  # a family, three people
    ("🏳\ufe0f\u200d🌈", "🏳🌈"),  # the rainbow flag, a white flag and a rainbow
    ("🏴\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f", "🏴"),  # England, a black flag
    (
        "🏴\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f",
        "🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f",
    ),  # England, Scotland
    ("👍🏽", "👍"),  # a skin tone shows
    ("x²", "x2"),  # compatibility forms stay apart (NFC, not NFKC)
]


class TestNamesThatLookTheSame:
    @pytest.mark.parametrize(("first", "second"), LOOK_THE_SAME)
    def test_have_one_key(self, first, second):
        assert name_key(first) == name_key(second)

    @pytest.mark.parametrize(("first", "second"), LOOK_DIFFERENT)
    def test_distinct_emoji_sequences_keep_their_own_keys(self, first, second):
        assert name_key(first) != name_key(second)

    def test_the_visible_form_keeps_the_joiners_that_make_a_sequence(self):
        assert visible_form("  👨\u200d👩\u200d👧 \u200bfamily\u00a0 ") == "👨\u200d👩\u200d👧 family"
        assert visible_form("👨\u200d") == "👨"  # a joiner with nothing after it joins nothing

    @pytest.mark.parametrize("value", ["\u200b", "\u200d", "\ufe0f\u034f", "\U000e0041", "\u2800\u3164 \t"])
    def test_a_blank_name_has_an_empty_visible_form(self, value):
        assert is_blank(value) and visible_form(value) == ""


class TestTabsInOneLine:
    @pytest.mark.parametrize("value", ["Tab\tx", "a \t b"])
    def test_a_tab_inside_a_single_line_text_is_refused(self, value):
        with pytest.raises(InvalidInput, match="tabs"):
            clean_text(value, field="name", max_length=200, single_line=True)

    def test_a_tab_around_it_is_trimmed_and_free_text_keeps_its_tabs(self):
        assert clean_text("\tname\t", field="name", max_length=200, single_line=True) == "name"
        assert clean_text("a\tb", field="description", max_length=200) == "a\tb"


def test_the_guard_and_the_name_rules_know_the_same_invisible_characters():
    from domain.kernel.prompt_guard.invisible import scan_form
    from domain.kernel.visible import INVISIBLE_RANGES, is_blank

    for first, last in INVISIBLE_RANGES:
        for cp in (first, last):
            assert is_blank(chr(cp)), hex(cp)
            assert scan_form("a" + chr(cp) + "b") in ("ab", "a b"), hex(cp)
