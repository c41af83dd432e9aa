"""What of a text shows: whether anything does, and the form two texts that look the same share.

Kept apart from text.py, which runs the credential guard: the name key (domain/library)
needs these rules, and the guard's imports lead back to the library's model.
"""

from __future__ import annotations

import unicodedata

INVISIBLE_RANGES: tuple[tuple[int, int], ...] = (
    (0x034F, 0x034F),  # the combining grapheme joiner
    (0x115F, 0x1160),  # Hangul fillers
    (0x17B4, 0x17B5),  # Khmer inherent vowels
    (0x180B, 0x180D),  # Mongolian variation selectors
    (0x180F, 0x180F),
    (0x2800, 0x2800),  # the Braille blank
    (0x3164, 0x3164),  # Hangul filler
    (0xFE00, 0xFE0F),  # variation selectors
    (0xFFA0, 0xFFA0),  # halfwidth Hangul filler
    (0xE0100, 0xE01EF),  # variation selectors supplement
)
"""Characters that draw nothing although they are not format characters (category Cf).
With Cf and whitespace they cover Unicode's Default_Ignorable_Code_Point, which
unicodedata does not expose. The one list the name rules and the credential guard share."""
_INVISIBLE = frozenset(chr(cp) for first, last in INVISIBLE_RANGES for cp in range(first, last + 1))
# of those, the ones that take a blank's width (Hangul fillers, the Braille blank): a space to the eye
_BLANK = frozenset("\u115f\u1160\u2800\u3164\uffa0")
_ZWJ = "\u200d"
_TAGS = range(0xE0020, 0xE0080)  # tag characters: what tells the flags of England and Scotland apart


def _invisible(char: str) -> bool:
    return char.isspace() or char in _INVISIBLE or unicodedata.category(char) == "Cf"


def is_blank(value: str) -> bool:
    """Whether nothing of the value would show: only whitespace, format and other invisible characters."""
    return all(_invisible(c) for c in value)


def _emoji(char: str) -> bool:
    # the standard library knows no Emoji property; emoji are symbols (So), skin tones modifiers (Sk)
    return unicodedata.category(char) in ("So", "Sk")


def visible_form(value: str) -> str:
    """The value as it shows: what two names that look the same have in common.

    Invisible characters (those `is_blank` knows: format characters, variation selectors,
    the combining grapheme joiner...) are dropped, but for the two that build emoji
    sequences: a zero-width joiner between two emoji (👨‍👩‍👧 is a family, 👨👩👧 three
    people) and tag characters after an emoji (🏴 then tags is the flag of England or of
    Scotland). Every run of whitespace and blank-looking characters (spaces, NBSP, tabs,
    Hangul fillers, the Braille blank) becomes one space; none is left at either end.
    """
    kept: list[str] = []
    for i, char in enumerate(value):
        if char.isspace() or char in _BLANK:
            kept.append(" ")
        elif not _invisible(char) or _holds_emoji(value, i, kept):
            kept.append(char)
    return " ".join("".join(kept).split())


def _holds_emoji(value: str, i: int, kept: list[str]) -> bool:
    """Whether the invisible value[i] holds an emoji sequence together: kept, not dropped."""
    char, before = value[i], kept[-1] if kept else " "
    if char == _ZWJ:
        return _emoji(before) and _emoji_after(value, i + 1)
    return ord(char) in _TAGS and (_emoji(before) or ord(before) in _TAGS)


def _emoji_after(value: str, start: int) -> bool:
    """Whether the next character that shows is an emoji (a variation selector may come between)."""
    for char in value[start:]:
        if not _invisible(char) or char.isspace() or char in _BLANK:
            return _emoji(char)
    return False
