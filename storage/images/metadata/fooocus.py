"""Fooocus and RuinedFooocus: JSON in the `parameters` chunk or the EXIF UserComment.

Fooocus can also write A1111 text; it then names itself in its scheme (EXIF MakerNote, read as
`fooocus_scheme`), in `Software`, or in the settings' `Version`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from domain.kernel.media import EmbeddedMetadata
from storage.images.metadata.values import Fields, as_seed, as_text, first


def read(data: Mapping[str, Any]) -> EmbeddedMetadata | None:
    """Fooocus (`prompt`, `base_model`) and RuinedFooocus (`Prompt`, `Negative`, `base_model_name`)."""
    if not any(key in data for key in ("prompt", "Prompt", "full_prompt")):
        return None
    return EmbeddedMetadata(
        tool="fooocus",
        prompt=as_text(first(data, "prompt", "Prompt")),
        negative_prompt=as_text(first(data, "negative_prompt", "Negative", "Negative Prompt")),
        seed=as_seed(first(data, "seed", "Seed")),
        model=as_text(first(data, "base_model", "Base Model", "base_model_name")),
    )


def wrote_a1111_text(fields: Fields) -> bool:
    """Whether A1111-style `parameters` came from Fooocus."""
    return bool(fields.get("fooocus_scheme")) or "Fooocus" in fields.get("Software", "")
