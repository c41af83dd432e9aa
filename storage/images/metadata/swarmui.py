"""SwarmUI: JSON with `sui_image_params`, in the `parameters` chunk or the EXIF UserComment."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from domain.kernel.media import EmbeddedMetadata
from storage.images.metadata.values import as_seed, as_text


def read(data: Mapping[str, Any]) -> EmbeddedMetadata | None:
    """The prompts, seed and model of SwarmUI's JSON; None when it is not SwarmUI's."""
    params = data.get("sui_image_params")
    if not isinstance(params, dict):
        return None
    return EmbeddedMetadata(
        tool="swarmui",
        prompt=as_text(params.get("prompt")),
        negative_prompt=as_text(params.get("negativeprompt")),
        seed=as_seed(params.get("seed")),
        model=as_text(params.get("model")),
    )
