"""NovelAI: PNG `Description` (a short prompt), `Comment` (JSON: the prompt, `uc` the negative, the seed),
`Source` (the model, then its hash).

Its WebP keeps the same in EXIF: ImageDescription (padded with NULs), the Source in Software, and the
Comment JSON in UserComment (which the EXIF reader hands on as `parameters`).
"""

from __future__ import annotations

import re
from typing import Any

from domain.kernel.media import EmbeddedMetadata
from storage.images.metadata.values import Fields, as_seed, as_text, json_object

# "Stable Diffusion 1D44365E", "NovelAI Diffusion V4.5 C02D4F98": the name, then the model's hash
_MODEL_HASH = re.compile(r"\s+[0-9A-Fa-f]{8}\Z")


def read(fields: Fields) -> EmbeddedMetadata | None:
    """The prompts, seed and model NovelAI wrote; None when the fields are not NovelAI's.

    The Comment's fields win where the other chunks say the same: the Description is shortened.
    """
    comment = _comment(fields)
    software = fields.get("Software", "")
    if not (software.startswith("NovelAI") or "uc" in comment or "v4_prompt" in comment):
        return None
    source = fields.get("Source") or (software if _MODEL_HASH.search(software) else "")
    return EmbeddedMetadata(
        tool="novelai",
        prompt=as_text(comment.get("prompt"))
        or _v4_caption(comment.get("v4_prompt"))
        or fields.get("Description", ""),
        negative_prompt=as_text(comment.get("uc")) or _v4_caption(comment.get("v4_negative_prompt")),
        seed=as_seed(comment.get("seed")),
        model=_MODEL_HASH.sub("", source.strip()),
    )


def _comment(fields: Fields) -> dict[str, Any]:
    comment = json_object(fields.get("Comment", ""))
    if comment:
        return comment
    parameters = json_object(fields.get("parameters", ""))  # from a WebP's UserComment
    return parameters if "uc" in parameters or "v4_prompt" in parameters else {}


def _v4_caption(prompt: object) -> str:
    if isinstance(prompt, dict) and isinstance(prompt.get("caption"), dict):
        return as_text(prompt["caption"].get("base_caption"))
    return ""
