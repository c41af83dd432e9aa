"""ComfyUI: the API graph in the `prompt` chunk (the editor graph in `workflow` only names the tool).

A graph may hold several samplers (hires fix, refiner passes, area composition, branches that are only
previewed). The one that made the file is found by walking back from the save node through image and
latent links (SaveImage <- VAEDecode.samples <- KSampler; a sampler's latent_image leads on to earlier
passes): the nearest sampler is the final one. Its prompts are the texts of the encoders reached from
its `positive`/`negative` links; its seed is `seed`, `noise_seed` or a RandomNoise node's; its model is
the checkpoint behind its `model` link. Graphs may be cyclic and are hostile input: node count and
link depth are bounded, and every walk visits a node once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from domain.kernel.media import EmbeddedMetadata
from storage.images.metadata.values import Json, as_seed, fill, first, load_json

MAX_GRAPH_NODES = 2_000
MAX_LINK_DEPTH = 32


@dataclass(frozen=True, slots=True)
class _Node:
    class_type: str
    inputs: dict[str, Any]


_Graph = dict[str, _Node]

_SAMPLERS = ("KSampler", "KSamplerAdvanced", "SamplerCustom", "SamplerCustomAdvanced")
# where a text encoder keeps its text: CLIPTextEncode, the SDXL/SD3/Flux variants, newer `prompt` ones
_ENCODER_TEXT = ("text", "text_g", "text_l", "clip_g", "clip_l", "t5xxl", "prompt")
# where a string node (PrimitiveString, String Literal, Text Multiline...) keeps its text
_STRING_TEXT = ("text", "string", "value", "prompt", "Text", "String")
_SEED_INPUTS = ("seed", "noise_seed", "value", "int", "number")
_MODEL_INPUTS = ("ckpt_name", "unet_name")
# where pixels and latents come in: images, image, image1, samples, latent_image, pixels...
_PIXEL_INPUTS = ("image", "samples", "latent", "pixels")


def read(graph_text: str) -> EmbeddedMetadata | None:
    """The prompts, seed and model of an API graph; None when the text is not one."""
    graph = _graph(load_json(graph_text))
    if graph is None:
        return None
    samplers = [node for node in _in_order(graph) if _is_sampler(node)]
    found = [_sampler(graph, sampler) for sampler in samplers]
    # without a save node to start from, the first sampler with a prompt is the best guess
    best = next((each for each in found if each.prompt), found[0] if found else EmbeddedMetadata())
    final = _final_sampler(graph)
    if final is not None:
        best = fill(_sampler(graph, final), best)
    if not best.model:
        best = replace(best, model=_any_model(graph))
    return replace(best, tool="comfyui")


def _graph(data: Json) -> _Graph | None:
    if not isinstance(data, dict) or not data or len(data) > MAX_GRAPH_NODES:
        return None
    graph: _Graph = {}
    for node_id, node in data.items():
        if isinstance(node, dict) and isinstance(node.get("class_type"), str):
            inputs = node.get("inputs")
            graph[str(node_id)] = _Node(node["class_type"], inputs if isinstance(inputs, dict) else {})
    return graph or None


def _in_order(graph: _Graph) -> list[_Node]:
    return [node for _, node in sorted(graph.items(), key=lambda item: _node_order(item[0]))]


def _node_order(node_id: str) -> tuple[int, int, str]:
    # numeric ids in numeric order without int(), which a 5,000-digit id would make raise
    if node_id.isascii() and node_id.isdigit():
        return (0, len(node_id), node_id)
    return (1, 0, node_id)


def _is_sampler(node: _Node) -> bool:
    # custom samplers ("KSampler (Efficient)", Inspire's) are named alike; KSamplerSelect only picks
    # an algorithm, so a sampler must also take conditioning
    if node.class_type in _SAMPLERS:
        return True
    return "Sampler" in node.class_type and ("positive" in node.inputs or "guider" in node.inputs)


def _final_sampler(graph: _Graph) -> _Node | None:
    """The sampler nearest a save node (or, when nothing is saved, a preview) going back along pixels."""
    outputs = [
        node for node in _in_order(graph) if _link(node.inputs.get("images") or node.inputs.get("image"))
    ]
    for kind in ("save", "preview"):
        starts = [node for node in outputs if kind in node.class_type.lower()]
        if starts:
            found = _nearest_sampler(graph, starts)
            if found is not None:
                return found
    return None


def _nearest_sampler(graph: _Graph, starts: list[_Node]) -> _Node | None:
    """Breadth first from `starts` through image and latent inputs; each node is visited once."""
    frontier, seen = starts, set[str]()
    for _ in range(MAX_LINK_DEPTH):
        following: list[_Node] = []
        for node in frontier:
            for key, value in node.inputs.items():
                link = _link(value)
                if (
                    link is None
                    or not key.startswith(_PIXEL_INPUTS)
                    or link[0] in seen
                    or link[0] not in graph
                ):
                    continue
                seen.add(link[0])
                source = graph[link[0]]
                if _is_sampler(source):
                    return source
                following.append(source)
        if not following:
            return None
        frontier = following
    return None


def _link(value: object) -> tuple[str, int] | None:
    """`[node_id, output_index]`, the way an API graph points at another node's output."""
    if (
        isinstance(value, list)
        and len(value) == 2
        and isinstance(value[0], str | int)
        and not isinstance(value[0], bool)
        and isinstance(value[1], int)
        and not isinstance(value[1], bool)
    ):
        return str(value[0]), value[1]
    return None


def _visit(graph: _Graph, value: object, depth: int, seen: set[str]) -> tuple[_Node, int] | None:
    """The node a link points at, unless too deep or already seen: graphs may be cyclic."""
    link = _link(value)
    if link is None or depth > MAX_LINK_DEPTH or link[0] in seen or link[0] not in graph:
        return None
    seen.add(link[0])
    return graph[link[0]], link[1]


def _sampler(graph: _Graph, sampler: _Node) -> EmbeddedMetadata:
    inputs = sampler.inputs
    positive, negative, model = inputs.get("positive"), inputs.get("negative"), inputs.get("model")
    # Flux and other custom sampling: SamplerCustomAdvanced -> guider (CFGGuider, BasicGuider)
    guider = _visit(graph, inputs.get("guider"), 0, set())
    if guider is not None:
        guide = guider[0].inputs
        positive = first(guide, "positive", "conditioning", "cond1")
        negative = guide.get("negative")
        model = guide.get("model")
    seed = None
    for key in ("seed", "noise_seed", "noise"):  # `noise` links to RandomNoise's noise_seed
        if key in inputs:
            seed = _int(graph, inputs[key], 0, set())
            if seed is not None:
                break
    return EmbeddedMetadata(
        prompt=_conditioning_text(graph, positive, 0, set()),
        negative_prompt=_conditioning_text(graph, negative, 0, set()),
        seed=seed,
        model=_model(graph, model, 0, set()),
    )


def _conditioning_text(graph: _Graph, value: object, depth: int, seen: set[str]) -> str:
    """The text behind a conditioning link, through FluxGuidance, ControlNet, Combine/Concat nodes."""
    visited = _visit(graph, value, depth, seen)
    if visited is None:
        return ""
    node, output = visited
    if "ZeroOut" in node.class_type:  # Flux's "negative": the positive conditioning zeroed out
        return ""
    if "TextEncode" in node.class_type:
        return _join_unique(
            _text(graph, node.inputs[key], depth + 1, seen) for key in _ENCODER_TEXT if key in node.inputs
        )
    positive, negative = node.inputs.get("positive"), node.inputs.get("negative")
    if _link(positive) and _link(negative):
        # ControlNetApplyAdvanced and the like output (positive, negative) in that order
        return _conditioning_text(graph, positive if output == 0 else negative, depth + 1, seen)
    return _join_unique(
        _conditioning_text(graph, link, depth + 1, seen)
        for key, link in node.inputs.items()
        if "conditioning" in key or key == "cond1"
    )


def _text(graph: _Graph, value: object, depth: int, seen: set[str]) -> str:
    """A text input: written inline, or linked to a string node that holds it."""
    if isinstance(value, str):
        return value
    visited = _visit(graph, value, depth, seen)
    if visited is None:
        return ""
    inputs = visited[0].inputs
    for key in _STRING_TEXT:
        if key in inputs:
            text = _text(graph, inputs[key], depth + 1, seen)
            if text:
                return text
    return ""


def _int(graph: _Graph, value: object, depth: int, seen: set[str]) -> int | None:
    """A seed input: inline, or linked to a seed/primitive/RandomNoise node."""
    visited = _visit(graph, value, depth, seen)
    if visited is None:
        return as_seed(value) if _link(value) is None else None
    inputs = visited[0].inputs
    for key in _SEED_INPUTS:
        if key in inputs:
            seed = _int(graph, inputs[key], depth + 1, seen)
            if seed is not None:
                return seed
    return None


def _model(graph: _Graph, value: object, depth: int, seen: set[str]) -> str:
    """The checkpoint behind a model input, back through LoRA loaders and model patches."""
    visited = _visit(graph, value, depth, seen)
    if visited is None:
        return ""
    inputs = visited[0].inputs
    for key in _MODEL_INPUTS:
        if isinstance(inputs.get(key), str):
            return str(inputs[key])
    return _model(graph, inputs.get("model"), depth + 1, seen)


def _any_model(graph: _Graph) -> str:
    for node in _in_order(graph):
        for key in _MODEL_INPUTS:
            if isinstance(node.inputs.get(key), str):
                return str(node.inputs[key])
    return ""


def _join_unique(texts: Iterable[str]) -> str:
    # SDXL/Flux encoders usually repeat one prompt in text_g/text_l or clip_l/t5xxl: keep it once
    kept: list[str] = []
    for text in texts:
        if text and text not in kept:
            kept.append(text)
    return "\n".join(kept)
