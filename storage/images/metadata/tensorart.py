"""Tensor.Art: a `generation_data` chunk (JSON ending in a NUL) beside the ComfyUI graph it ran.

The graph holds the prompt after the site rewrote it (embeddings and LoRAs as `EMS-...-EMS` names)
and an opaque checkpoint file; `generation_data` holds the prompt as the user typed it and the site's
model name, so it wins for those. Its seed is `-1` when the user asked for a random one: the graph's
sampler seed is then the real one. Field names as Tensor.Art writes them: `prompt`, `negativePrompt`,
`seed` (a string), `baseModel.modelFileName`.
"""

from __future__ import annotations

from domain.kernel.media import EmbeddedMetadata
from storage.images.metadata.values import as_seed, as_text, fill, first, json_object


def read(generation_data: str, graph: EmbeddedMetadata | None) -> EmbeddedMetadata | None:
    """What `generation_data` says, the graph's reading filling its gaps; None when it is not JSON."""
    data = json_object(generation_data)
    if not data:
        return None
    model = data.get("baseModel")
    if isinstance(model, dict):
        model = first(model, "modelFileName", "modelName")
    typed = EmbeddedMetadata(
        tool="tensorart",
        prompt=as_text(data.get("prompt")),
        negative_prompt=as_text(data.get("negativePrompt")),
        seed=as_seed(data.get("seed")),  # "-1", a random seed, is none
        model=as_text(model),
    )
    return fill(typed, graph)
