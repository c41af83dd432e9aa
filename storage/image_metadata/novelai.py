"""NovelAI: PNG `Description` (the prompt), `Comment` (JSON: seed, `uc` the negative...), `Source` (model)."""

from __future__ import annotations

from domain.media import EmbeddedMetadata
from storage.image_metadata.values import Fields, as_seed, as_text, load_json


def read(fields: Fields) -> EmbeddedMetadata | None:
    """The prompts, seed and model NovelAI wrote; None when the fields are not NovelAI's."""
    comment = load_json(fields.get("Comment", ""))
    if not isinstance(comment, dict):
        comment = {}
    if not (fields.get("Software", "").startswith("NovelAI") or "uc" in comment or "v4_prompt" in comment):
        return None
    prompt = (
        fields.get("Description") or as_text(comment.get("prompt")) or _v4_caption(comment.get("v4_prompt"))
    )
    return EmbeddedMetadata(
        tool="novelai",
        prompt=prompt,
        negative_prompt=as_text(comment.get("uc")) or _v4_caption(comment.get("v4_negative_prompt")),
        seed=as_seed(comment.get("seed")),
        model=fields.get("Source", ""),
    )


def _v4_caption(prompt: object) -> str:
    if isinstance(prompt, dict) and isinstance(prompt.get("caption"), dict):
        return as_text(prompt["caption"].get("base_caption"))
    return ""
