"""InvokeAI: `invokeai_metadata` (3.x and later, JSON), `sd-metadata` (2.3), `Dream` (2.2 and before)."""

from __future__ import annotations

import re

from domain.kernel.media import EmbeddedMetadata
from storage.images.metadata.values import Fields, Json, as_seed, as_text, closing_quote, first, load_json


def read(fields: Fields) -> EmbeddedMetadata | None:
    """The newest of InvokeAI's records the file holds; None when it holds none."""
    if "invokeai_metadata" in fields:
        found = _metadata(load_json(fields["invokeai_metadata"]))
        if found is not None:
            return found
    if "sd-metadata" in fields:
        found = _sd_metadata(load_json(fields["sd-metadata"]))
        if found is not None:
            return found
    if "Dream" in fields:
        found = _dream(fields["Dream"])
        if found is not None:
            return found
    if "invokeai_graph" in fields:
        return EmbeddedMetadata(tool="invokeai")
    return None


def _metadata(data: Json) -> EmbeddedMetadata | None:
    """3.x and later: flat JSON; the model is `model.name` from 4.x, `model.model_name` before."""
    if not isinstance(data, dict):
        return None
    model = data.get("model")
    if isinstance(model, dict):
        model = first(model, "name", "model_name")
    return EmbeddedMetadata(
        tool="invokeai",
        prompt=as_text(data.get("positive_prompt")),
        negative_prompt=as_text(data.get("negative_prompt")),
        seed=as_seed(data.get("seed")),
        model=as_text(model),
    )


def _sd_metadata(data: Json) -> EmbeddedMetadata | None:
    """2.3: `{"model_weights": ..., "image": {"prompt": [{"prompt": ...}] or "...", "seed": ...}}`."""
    if not isinstance(data, dict) or not isinstance(data.get("image"), dict):
        return None
    image = data["image"]
    prompt = image.get("prompt")
    if isinstance(prompt, list):
        prompt = ", ".join(as_text(part.get("prompt")) for part in prompt if isinstance(part, dict))
    positive, negative = _split_prompt(as_text(prompt))
    return EmbeddedMetadata(
        tool="invokeai",
        prompt=positive,
        negative_prompt=negative,
        seed=as_seed(image.get("seed")),
        model=as_text(first(data, "model_weights", "model")),
    )


_DREAM_OPTION = re.compile(r"\s-[A-Za-z-]")
_DREAM_SEED = re.compile(r"(?:^|\s)(?:-S|--seed)[\s=]*(\d{1,20})(?!\d)")


def _dream(text: str) -> EmbeddedMetadata | None:
    """2.2 and before: a command line, `"a fox in snow" -s 50 -S 12345 -W 512 ...`."""
    text = text.strip()
    if text.startswith('"'):
        close = closing_quote(text, 0)
        if close < 0:
            return None
        prompt, options = text[1:close].replace('\\"', '"'), text[close + 1 :]
    else:
        option = _DREAM_OPTION.search(text)
        cut = option.start() if option else len(text)
        prompt, options = text[:cut], text[cut:]
    seed = _DREAM_SEED.search(options)
    positive, negative = _split_prompt(prompt)
    return EmbeddedMetadata(
        tool="invokeai",
        prompt=positive,
        negative_prompt=negative,
        seed=as_seed(seed.group(1)) if seed else None,
    )


_BRACKETED = re.compile(r"\[([^\[\]]*)\]")


def _split_prompt(prompt: str) -> tuple[str, str]:
    """InvokeAI 2 wrote the negative prompt inside the prompt, in square brackets."""
    negative = ", ".join(part.strip() for part in _BRACKETED.findall(prompt) if part.strip())
    positive = " ".join(_BRACKETED.sub(" ", prompt).split())
    return positive, negative
