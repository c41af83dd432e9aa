"""Alt text rules: human-readable descriptions of the image, never keyword stuffing.

The checks are heuristics tuned to refuse what the Studio tutorial calls out
(empty text, the prompt pasted in, comma lists of keywords, repeated keywords,
"image of ..." openings) while letting ordinary sentences through.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter

from domain.kernel.errors import InvalidInput
from domain.kernel.text import clean_text

MAX_LENGTH = 250
HOW_TO = "Describe what the image shows in a sentence, as you would to someone who cannot see it."

_REDUNDANT_OPENING = re.compile(
    r"^\s*((an?|the|this|these)\s+)?(images?|pictures?|photos?|photographs?|graphics?|illustrations?|pics?|screenshots?)"
    r"(\s+(of|showing|shows)\b|\s*:)",
    re.IGNORECASE,
)
_WORD = re.compile(r"[^\W\d_]+(?:['\u2019-][^\W\d_]+)*", re.UNICODE)
# function words of the languages alt text is most often written in: repeating them is grammar, not stuffing
_STOPWORDS = frozenset(
    {"a", "an", "the", "and", "or", "of", "in", "on", "at", "to", "with", "for", "from", "by", "is", "are"}
    | {"its", "it", "this", "that", "as", "into", "over", "under", "near"}
    | {
        "der",
        "die",
        "das",
        "den",
        "dem",
        "des",
        "und",
        "ein",
        "eine",
        "einem",
        "einer",
        "im",
        "auf",
        "mit",
        "von",
    }
    | {"de", "la", "le", "les", "du", "des", "un", "une", "et", "en", "au", "aux", "sur", "dans", "avec"}
    | {"el", "los", "las", "del", "y", "una", "con", "por", "al", "il", "lo", "gli", "di", "da", "e", "nel"}
    | {"o", "os", "as", "do", "dos", "das", "no", "na", "um", "uma", "het", "een", "van", "op", "met"}
)


def _normalise(text: str) -> str:
    return " ".join(_WORD.findall(text.casefold()))


def _near_copy(ours: str, theirs: str) -> bool:
    # the ratio is at most 2 * shorter / (both lengths): a prompt of thousands of characters cannot be
    # the copy of an alt text of at most 250, and is then not worth comparing character by character
    if 2 * min(len(ours), len(theirs)) < 0.9 * (len(ours) + len(theirs)):
        return False
    return difflib.SequenceMatcher(None, ours, theirs).ratio() >= 0.9


def check_alt_text(alt_text: str, *, prompt: str = "", field: str = "altText") -> str:
    """The cleaned alt text, or InvalidInput with a message on how to write it."""
    text = clean_alt_text(alt_text, field=field)
    refuse_prompt_copy(text, prompt, field=field)
    return text


def clean_alt_text(alt_text: str, *, field: str = "altText") -> str:
    """The alt text cleaned and checked on its own (length, controls, credentials, style)."""
    text = clean_text(alt_text, field=field, max_length=MAX_LENGTH + 64, single_line=True)
    if len(text) > MAX_LENGTH:  # counted without the surrounding whitespace
        raise InvalidInput(f"at most {MAX_LENGTH} characters (got {len(text)})", field=field)
    if not text:
        raise InvalidInput(f"alt text is empty. {HOW_TO}", field=field)
    if _REDUNDANT_OPENING.match(text):
        raise InvalidInput(
            'alt text should not open with "image of" or "picture of": '
            f"screen readers already say it is an image. {HOW_TO}",
            field=field,
        )
    parts = [p.strip() for p in re.split(r"[,;|#]", text) if p.strip()]
    if len(parts) >= 3 and all(len(p.split()) <= 3 for p in parts):
        raise InvalidInput(f"alt text looks like a list of keywords. {HOW_TO}", field=field)
    words = [w for w in _normalise(text).split() if w not in _STOPWORDS]
    if words:
        word, times = Counter(words).most_common(1)[0]
        if times >= 3 and times / len(words) >= 0.25:
            raise InvalidInput(
                f"alt text repeats {word!r} {times} times, like keyword stuffing. {HOW_TO}", field=field
            )
    return text


def refuse_prompt_copy(text: str, prompt: str, *, field: str = "altText") -> None:
    """InvalidInput when a cleaned alt text is the prompt (nearly) copied."""
    if prompt:
        ours, theirs = _normalise(text), _normalise(prompt)
        if ours and (ours == theirs or _near_copy(ours, theirs)):
            raise InvalidInput(
                "alt text is the prompt copied; the prompt says what was asked for, "
                f"not what the image shows. {HOW_TO}",
                field=field,
            )
