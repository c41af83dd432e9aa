"""AUTOMATIC1111 and its forks (Forge, SD.Next, Civitai): the `parameters` text.

Prompt lines, then `Negative prompt:` lines, then one `Steps: 20, Sampler: ..., Seed: 123, Model: name`
line whose values may be quoted and hold commas.
"""

from __future__ import annotations

import json
import re

from domain.kernel.media import EmbeddedMetadata
from storage.images.metadata.values import as_seed, closing_quote

_PARAM_KEY = re.compile(r"\w[\w \-/]*")
_MAX_PARAMS = 500


def read(text: str) -> EmbeddedMetadata | None:
    """The prompts, seed and model of an A1111 `parameters` text; None when it has no settings line.

    Extensions (Dynamic Prompts' `Template:`) append lines after the settings, so the settings are
    the last line that parses as them, not simply the last line.
    """
    lines = text.replace("\r\n", "\n").strip().split("\n")
    for index in range(len(lines) - 1, -1, -1):
        if "Steps:" not in lines[index]:
            continue
        params = settings(lines[index])
        if len(params) >= 3 and "Steps" in params:
            break
    else:
        return None
    prompt: list[str] = []
    negative: list[str] = []
    target = prompt
    for line in lines[:index]:
        if target is prompt and line.startswith("Negative prompt:"):
            target = negative
            line = line[len("Negative prompt:") :].strip()
        target.append(line)
    tool = "automatic1111"
    if "Fooocus" in params.get("Version", ""):
        tool = "fooocus"
    return EmbeddedMetadata(
        tool=tool,
        prompt="\n".join(prompt),
        negative_prompt="\n".join(negative),
        seed=as_seed(params.get("Seed")),
        model=params.get("Model", ""),
    )


def settings(line: str) -> dict[str, str]:
    """`Key: value, Key: "quoted, value", ...` in one linear pass.

    A1111's own regex backtracks quadratically on long lines without colons; this scanner does not.
    """
    params: dict[str, str] = {}
    at, end = 0, len(line)
    while at < end and len(params) < _MAX_PARAMS:
        colon = line.find(":", at)
        if colon < 0:
            break
        segment = line[at:colon]
        key = segment[segment.rfind(",") + 1 :].strip()
        at = colon + 1
        while at < end and line[at] == " ":
            at += 1
        if at < end and line[at] == '"':
            close = closing_quote(line, at)
            if close < 0:
                value, at = line[at:], end
            else:
                value = _unquote(line[at : close + 1])
                comma = line.find(",", close + 1)
                at = end if comma < 0 else comma + 1
        else:
            comma = line.find(",", at)
            stop = end if comma < 0 else comma
            value, at = line[at:stop].strip(), stop + 1
        if len(key) <= 64 and _PARAM_KEY.fullmatch(key):
            params.setdefault(key, value)
    return params


def _unquote(quoted: str) -> str:
    try:
        value = json.loads(quoted)
    except ValueError:
        return quoted[1:-1]
    return value if isinstance(value, str) else quoted[1:-1]
