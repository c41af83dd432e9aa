"""What every format reader shares: the limits, and bounded reading of JSON, seeds and quoted strings."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import replace
from itertools import accumulate
from typing import Any

from domain.kernel.media import EmbeddedMetadata

MAX_TEXT = 1_000_000
MAX_JSON_DEPTH = 64
MAX_SEED = 2**63 - 1

Json = Any
Fields = dict[str, str]
"""Every place a tool may have written to, as name -> text: PNG chunk names, EXIF fields mapped onto them."""

# A JSON string, or an unterminated one running to the end: matching always succeeds at a quote, so
# stripping strings stays linear even on hostile input.
_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*+(?:"|\\?\Z)', re.DOTALL)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_BRACKET_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}


def repair_utf8(text: str) -> str:
    """Undo the Latin-1 reading of UTF-8 bytes, which many tools write into tEXt and EXIF regardless."""
    try:
        return text.encode("latin-1").decode("utf-8")
    except UnicodeError:
        return text


def load_json(text: str) -> Json:
    """Parsed JSON, or None when the text is not JSON, too long or nested too deep."""
    text = text.strip().rstrip("\x00").strip()  # some tools end their JSON with a NUL
    if not text or len(text) > MAX_TEXT or text[0] not in "[{":
        return None
    brackets = _NOT_BRACKET.sub("", _JSON_STRING.sub("", text))
    if max(accumulate(map(_BRACKET_STEP.__getitem__, brackets)), default=0) > MAX_JSON_DEPTH:
        return None
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return None


def json_object(text: str) -> dict[str, Any]:
    """The text as a JSON object, or {} when it is anything else."""
    data = load_json(text) if text.lstrip().startswith("{") else None
    return data if isinstance(data, dict) else {}


def chunk_map(text: str) -> Fields:
    """NovelAI's PNG chunks written as one JSON object (into EXIF UserComment, or hidden in the pixels)."""
    nested = json_object(text)
    if "Comment" not in nested and "Software" not in nested:
        return {}
    return {
        key: value if isinstance(value, str) else json.dumps(value)
        for key, value in nested.items()
        if isinstance(value, str | dict)
    }


def as_seed(value: object) -> int | None:
    """A seed as an int in 0..2**63-1; 0 is a real seed, -1 ("random") is none."""
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    elif isinstance(value, str):
        value = value.strip()
        if not (value.isascii() and value.isdigit() and len(value) <= 20):
            return None
        value = int(value)
    if isinstance(value, int) and 0 <= value <= MAX_SEED:
        return value
    return None


def as_text(value: object) -> str:
    return value if isinstance(value, str) else ""


def first(data: Mapping[str, Any], *keys: str) -> Any:
    """The value of the first key present and not None (a seed of 0 counts as present)."""
    for key in keys:
        if data.get(key) is not None:
            return data[key]
    return None


def closing_quote(text: str, start: int) -> int:
    """Index of the quote closing the one at `start`, skipping backslash escapes; -1 if none."""
    at = start + 1
    while True:
        end = text.find('"', at)
        if end < 0:
            return -1
        backslashes = 0
        while end - backslashes - 1 > start and text[end - backslashes - 1] == "\\":
            backslashes += 1
        if backslashes % 2 == 0:
            return end
        at = end + 1


def fill(primary: EmbeddedMetadata, secondary: EmbeddedMetadata | None) -> EmbeddedMetadata:
    """`primary`, its empty fields taken from `secondary`."""
    if secondary is None:
        return primary
    return replace(
        primary,
        prompt=primary.prompt or secondary.prompt,
        negative_prompt=primary.negative_prompt or secondary.negative_prompt,
        seed=primary.seed if primary.seed is not None else secondary.seed,
        model=primary.model or secondary.model,
    )
