"""Read how an uploaded image was generated from the metadata other tools embed in it.

AUTOMATIC1111 and its forks, ComfyUI, InvokeAI, NovelAI, Fooocus and SwarmUI each write the
prompt, negative prompt, seed and model somewhere different: PNG text chunks, EXIF UserComment,
EXIF Make/Model, as free text, JSON or a whole node graph. `read_metadata` gathers those places
into one bag of named texts, then lets one small reader per format try to make sense of it.

The parser is hand-written on purpose. sd-parsers caches the last image's metadata in module
globals keyed by `id(image)`, so under concurrent uploads one upload can be handed another's
prompt once an id is reused; sd-prompt-reader pins an old Pillow and crashes on some files.

Uploads are hostile input, so every read is bounded (text length, JSON depth, graph size,
link-following depth, prompt length) and `read_metadata` never raises: anything unexpected
yields `EmbeddedMetadata()`. Metadata hidden in the alpha channel ("stealth pnginfo") is not read.
"""

from __future__ import annotations

import contextlib
import json
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from itertools import accumulate
from typing import Any

from PIL import Image, PngImagePlugin

from domain.ports import EmbeddedMetadata

MAX_TEXT = 1_000_000
MAX_JSON_DEPTH = 64
MAX_GRAPH_NODES = 2_000
MAX_LINK_DEPTH = 32
MAX_PROMPT = 20_000
# not in the brief: a checkpoint name is a file name, so anything longer is noise, not a model
MAX_MODEL = 1_000
MAX_SEED = 2**63 - 1

_EXIF_IFD = 0x8769
_USER_COMMENT = 0x9286
_IMAGE_DESCRIPTION = 0x010E
_MAKE = 0x010F
_MODEL = 0x0110
_SOFTWARE = 0x0131
_MAKER_NOTE = 0x927C

Json = Any
Fields = dict[str, str]


def read_metadata(image: Image.Image) -> EmbeddedMetadata:
    """What the tool that made `image` recorded about it; never raises.

    Returns `EmbeddedMetadata()` when nothing is recognised.
    """
    try:
        return _bounded(_interpret(_collect_fields(image)))
    except Exception:  # a bad upload must never fail the request that carried it
        return EmbeddedMetadata()


def _bounded(found: EmbeddedMetadata) -> EmbeddedMetadata:
    return replace(
        found,
        prompt=found.prompt.strip()[:MAX_PROMPT],
        negative_prompt=found.negative_prompt.strip()[:MAX_PROMPT],
        model=found.model.strip()[:MAX_MODEL],
    )


# -- gathering the texts ------------------------------------------------------------------------


def _collect_fields(image: Image.Image) -> Fields:
    """Every place a tool may have written to, as name -> text; PNG chunks win over EXIF."""
    fields: Fields = {}
    for key, value in _text_chunks(image).items():
        if isinstance(key, str) and isinstance(value, str) and len(value) <= MAX_TEXT:
            # iTXt is UTF-8 by the standard; tEXt/zTXt come back as Latin-1 and may be mis-decoded
            fields[key] = str(value) if isinstance(value, PngImagePlugin.iTXt) else _repair_utf8(value)
    comment = image.info.get("comment")  # JPEG COM marker: some tools put A1111 text there
    if isinstance(comment, bytes) and len(comment) <= MAX_TEXT:
        fields.setdefault("parameters", comment.decode("utf-8", "replace"))
    with contextlib.suppress(Exception):  # a broken EXIF block must not lose what the PNG chunks gave
        _add_exif_fields(image, fields)
    return fields


def _text_chunks(image: Image.Image) -> dict[Any, Any]:
    chunks: dict[Any, Any] = dict(image.info)
    if isinstance(image, PngImagePlugin.PngImageFile):
        # text chunks after the image data only appear once the file has been read to its end
        with contextlib.suppress(Exception):
            chunks.update(image.text)
    return chunks


def _repair_utf8(text: str) -> str:
    """Undo the Latin-1 reading of UTF-8 bytes, which many tools write into tEXt despite the standard."""
    try:
        return text.encode("latin-1").decode("utf-8")
    except UnicodeError:
        return text


def _add_exif_fields(image: Image.Image, fields: Fields) -> None:
    if "exif" not in image.info:  # getexif() on a PNG without EXIF would decode the whole image
        return
    exif = image.getexif()
    exif_ifd = exif.get_ifd(_EXIF_IFD)
    for tag in (_MODEL, _MAKE, _IMAGE_DESCRIPTION):
        value = exif.get(tag)
        if not isinstance(value, str) or len(value) > MAX_TEXT:
            continue
        value = _repair_utf8(value)
        # ComfyUI's animated WebP writes its graphs as "prompt:{...}" / "workflow:{...}" here
        name, colon, rest = value.partition(":")
        if colon and name in ("prompt", "workflow"):
            fields.setdefault(name, rest)
        elif tag == _IMAGE_DESCRIPTION:
            fields.setdefault("Description", value)
    software = exif.get(_SOFTWARE)
    if isinstance(software, str) and len(software) <= MAX_TEXT:
        fields.setdefault("Software", software)
    scheme = exif.get(_MAKER_NOTE)
    if isinstance(scheme, bytes | str) and len(scheme) <= 16:
        # Fooocus names its metadata scheme here; a camera's maker note is a long binary blob
        scheme_text = scheme.decode("latin-1") if isinstance(scheme, bytes) else scheme
        if scheme_text.strip("\x00") in ("fooocus", "a1111"):
            fields.setdefault("fooocus_scheme", scheme_text.strip("\x00"))
    # the Exif IFD is the standard place; Fooocus puts UserComment in IFD0
    raw = exif_ifd.get(_USER_COMMENT)
    if raw is None:
        raw = exif.get(_USER_COMMENT)
    comment = _decode_user_comment(raw, big_endian=exif.endian == ">")
    if not comment:
        return
    nested = _load_json(comment) if comment.lstrip().startswith("{") else None
    if isinstance(nested, dict) and ("Comment" in nested or "Software" in nested):
        # NovelAI's WebP keeps all its PNG chunks as one JSON object in UserComment
        for key, value in nested.items():
            if isinstance(value, str):
                fields.setdefault(key, value)
            elif isinstance(value, dict):
                fields.setdefault(key, json.dumps(value))
    else:
        fields.setdefault("parameters", comment)


def _decode_user_comment(raw: object, *, big_endian: bool) -> str:
    if isinstance(raw, str):
        text = raw
    elif isinstance(raw, bytes) and len(raw) <= 4 * MAX_TEXT:
        prefix, body = raw[:8], raw[8:]
        if prefix == b"UNICODE\x00":
            text = _decode_utf16(body, big_endian=big_endian)
        elif prefix in (b"ASCII\x00\x00\x00", b"\x00" * 8, b"JIS\x00\x00\x00\x00\x00"):
            text = body.decode("utf-8", "replace")  # "ASCII" often carries UTF-8 in practice
        else:
            text = raw.decode("utf-8", "replace")  # Fooocus writes the text with no prefix
    else:
        return ""
    text = text.rstrip("\x00")
    return text if len(text) <= MAX_TEXT else ""


def _decode_utf16(body: bytes, *, big_endian: bool) -> str:
    """UTF-16 in whichever byte order reads as text.

    The text should follow the EXIF block's byte order (big-endian from A1111, little-endian from most
    others), but converters and re-savers do not always keep the two in step. So both orders are tried
    and the one with fewer impossible characters wins; the block's own order wins a tie.
    """
    body = body[: len(body) - len(body) % 2]
    first, second = ("utf-16-be", "utf-16-le") if big_endian else ("utf-16-le", "utf-16-be")
    preferred = body.decode(first, "replace")
    other = body.decode(second, "replace")
    return other if _utf16_oddness(other) < _utf16_oddness(preferred) else preferred


def _utf16_oddness(text: str) -> int:
    # ASCII read in the wrong byte order becomes U+xx00; NULs, surrogates and unassigned code points
    # are what random or mis-ordered bytes give. A sample is enough to tell the two apart.
    odd = 0
    for char in text[:4096]:
        code = ord(char)
        wrong_order = code == 0 or (code > 0xFF and code & 0xFF == 0)
        category = unicodedata.category(char)
        control = category == "Cc" and char not in "\t\n\r"
        if wrong_order or control or char == "\ufffd" or category in ("Cs", "Co", "Cn"):
            odd += 1
    return odd


# -- choosing a reader --------------------------------------------------------------------------


def _interpret(fields: Fields) -> EmbeddedMetadata:
    """The first reader that finds a prompt wins; else the first that recognised its format at all."""
    if not fields:
        return EmbeddedMetadata()
    readers: tuple[Callable[[Fields], EmbeddedMetadata | None], ...] = (
        _invokeai,
        _novelai,
        _parameters_or_comfyui,
    )
    fallback: EmbeddedMetadata | None = None
    for reader in readers:
        found = reader(fields)
        if found is None:
            continue
        if found.prompt:
            return found
        fallback = fallback or found
    if fallback is not None:
        return fallback
    if fields.get("workflow", "").lstrip().startswith("{"):
        return EmbeddedMetadata(tool="comfyui")  # the editor graph alone still names the tool
    return EmbeddedMetadata()


def _parameters_or_comfyui(fields: Fields) -> EmbeddedMetadata | None:
    """`parameters` first, then ComfyUI's graph.

    ComfyUI save nodes (Image Saver, Civitai's nodes) write A1111 text next to the graph. The text
    is the flattened record the user saw, so it wins; the graph says which tool made the image and
    fills whatever the text left out.
    """
    params = _parameters(fields)
    has_graph = "prompt" in fields or "workflow" in fields
    if params is not None and (params.tool != "automatic1111" or not has_graph):
        return params
    comfy = _comfyui(fields)
    if params is None:
        return comfy
    if comfy is None and not fields.get("workflow", "").lstrip().startswith("{"):
        return params  # a `prompt` chunk that is not a graph says nothing about ComfyUI
    return _fill(replace(params, tool="comfyui"), comfy)


def _fill(primary: EmbeddedMetadata, secondary: EmbeddedMetadata | None) -> EmbeddedMetadata:
    if secondary is None:
        return primary
    return replace(
        primary,
        prompt=primary.prompt or secondary.prompt,
        negative_prompt=primary.negative_prompt or secondary.negative_prompt,
        seed=primary.seed if primary.seed is not None else secondary.seed,
        model=primary.model or secondary.model,
    )


# -- shared helpers -----------------------------------------------------------------------------

# A JSON string, or an unterminated one running to the end: matching always succeeds at a quote, so
# stripping strings stays linear even on hostile input.
_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*+(?:"|\\?\Z)', re.DOTALL)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_BRACKET_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}


def _load_json(text: str) -> Json:
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


def _seed(value: object) -> int | None:
    """A seed as an int in 0..2**63-1; 0 is a real seed."""
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


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _first(data: Mapping[str, Any], *keys: str) -> Any:
    """The value of the first key present and not None (a seed of 0 counts as present)."""
    for key in keys:
        if data.get(key) is not None:
            return data[key]
    return None


def _closing_quote(text: str, start: int) -> int:
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


# -- AUTOMATIC1111, Forge, SD.Next, Civitai; also Fooocus and SwarmUI JSON in `parameters` -------


def _parameters(fields: Fields) -> EmbeddedMetadata | None:
    text = fields.get("parameters")
    if not text:
        return None
    if text.lstrip().startswith("{"):
        data = _load_json(text)
        if not isinstance(data, dict):
            return None
        return _swarmui(data) or _fooocus(data)
    found = _a1111(text)
    if found is None:
        return None
    # Fooocus can also write A1111 text; it says so in its scheme chunk or Software (or Version, above)
    if fields.get("fooocus_scheme") or "Fooocus" in fields.get("Software", ""):
        return replace(found, tool="fooocus")
    return found


_PARAM_KEY = re.compile(r"\w[\w \-/]*")
_MAX_PARAMS = 500


def _a1111(text: str) -> EmbeddedMetadata | None:
    """Prompt lines, then `Negative prompt:` lines, then one `Steps: ..., Seed: ...` line.

    Extensions (Dynamic Prompts' `Template:`) append lines after the settings, so the settings are
    the last line that parses as them, not simply the last line.
    """
    lines = text.replace("\r\n", "\n").strip().split("\n")
    for index in range(len(lines) - 1, -1, -1):
        if "Steps:" not in lines[index]:
            continue
        params = _a1111_settings(lines[index])
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
        seed=_seed(params.get("Seed")),
        model=params.get("Model", ""),
    )


def _a1111_settings(line: str) -> dict[str, str]:
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
            close = _closing_quote(line, at)
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


def _swarmui(data: Mapping[str, Any]) -> EmbeddedMetadata | None:
    params = data.get("sui_image_params")
    if not isinstance(params, dict):
        return None
    return EmbeddedMetadata(
        tool="swarmui",
        prompt=_text(params.get("prompt")),
        negative_prompt=_text(params.get("negativeprompt")),
        seed=_seed(params.get("seed")),
        model=_text(params.get("model")),
    )


def _fooocus(data: Mapping[str, Any]) -> EmbeddedMetadata | None:
    """Fooocus (`prompt`, `base_model`) and RuinedFooocus (`Prompt`, `Negative`, `base_model_name`)."""
    if not any(key in data for key in ("prompt", "Prompt", "full_prompt")):
        return None
    return EmbeddedMetadata(
        tool="fooocus",
        prompt=_text(_first(data, "prompt", "Prompt")),
        negative_prompt=_text(_first(data, "negative_prompt", "Negative", "Negative Prompt")),
        seed=_seed(_first(data, "seed", "Seed")),
        model=_text(_first(data, "base_model", "Base Model", "base_model_name")),
    )


# -- ComfyUI ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Node:
    class_type: str
    inputs: dict[str, Any]


Graph = dict[str, _Node]

_SAMPLERS = ("KSampler", "KSamplerAdvanced", "SamplerCustom", "SamplerCustomAdvanced")
# where a text encoder keeps its text: CLIPTextEncode, the SDXL/SD3/Flux variants, newer `prompt` ones
_ENCODER_TEXT = ("text", "text_g", "text_l", "clip_g", "clip_l", "t5xxl", "prompt")
# where a string node (PrimitiveString, String Literal, Text Multiline...) keeps its text
_STRING_TEXT = ("text", "string", "value", "prompt", "Text", "String")
_SEED_INPUTS = ("seed", "noise_seed", "value", "int", "number")
_MODEL_INPUTS = ("ckpt_name", "unet_name")


def _comfyui(fields: Fields) -> EmbeddedMetadata | None:
    """The API graph in `prompt`: prompts are found by walking back from a sampler."""
    graph = _comfy_graph(_load_json(fields.get("prompt", "")))
    if graph is None:
        return None
    samplers = [
        node for _, node in sorted(graph.items(), key=lambda item: _node_order(item[0])) if _is_sampler(node)
    ]
    found = [_comfy_sampler(graph, sampler) for sampler in samplers]
    # several samplers mean refiner or hires passes; the first one with a prompt is the one to show
    best = next((each for each in found if each.prompt), found[0] if found else EmbeddedMetadata())
    if not best.model:
        best = replace(best, model=_any_model(graph))
    return replace(best, tool="comfyui")


def _is_sampler(node: _Node) -> bool:
    # custom samplers ("KSampler (Efficient)", Inspire's) are named alike; KSamplerSelect only picks
    # an algorithm, so a sampler must also take conditioning
    if node.class_type in _SAMPLERS:
        return True
    return "Sampler" in node.class_type and ("positive" in node.inputs or "guider" in node.inputs)


def _comfy_graph(data: Json) -> Graph | None:
    if not isinstance(data, dict) or not data or len(data) > MAX_GRAPH_NODES:
        return None
    graph: Graph = {}
    for node_id, node in data.items():
        if isinstance(node, dict) and isinstance(node.get("class_type"), str):
            inputs = node.get("inputs")
            graph[str(node_id)] = _Node(node["class_type"], inputs if isinstance(inputs, dict) else {})
    return graph or None


def _node_order(node_id: str) -> tuple[int, int, str]:
    # numeric ids in numeric order without int(), which a 5,000-digit id would make raise
    if node_id.isascii() and node_id.isdigit():
        return (0, len(node_id), node_id)
    return (1, 0, node_id)


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


def _visit(graph: Graph, value: object, depth: int, seen: set[str]) -> tuple[_Node, int] | None:
    """The node a link points at, unless too deep or already seen: graphs may be cyclic."""
    link = _link(value)
    if link is None or depth > MAX_LINK_DEPTH or link[0] in seen or link[0] not in graph:
        return None
    seen.add(link[0])
    return graph[link[0]], link[1]


def _comfy_sampler(graph: Graph, sampler: _Node) -> EmbeddedMetadata:
    inputs = sampler.inputs
    positive, negative, model = inputs.get("positive"), inputs.get("negative"), inputs.get("model")
    # Flux and other custom sampling: SamplerCustomAdvanced -> guider (CFGGuider, BasicGuider)
    guider = _visit(graph, inputs.get("guider"), 0, set())
    if guider is not None:
        guide = guider[0].inputs
        positive = _first(guide, "positive", "conditioning", "cond1")
        negative = guide.get("negative")
        model = guide.get("model")
    seed = None
    for key in ("seed", "noise_seed", "noise"):  # `noise` links to RandomNoise's noise_seed
        if key in inputs:
            seed = _comfy_int(graph, inputs[key], 0, set())
            if seed is not None:
                break
    return EmbeddedMetadata(
        prompt=_conditioning_text(graph, positive, 0, set()),
        negative_prompt=_conditioning_text(graph, negative, 0, set()),
        seed=seed,
        model=_comfy_model(graph, model, 0, set()),
    )


def _conditioning_text(graph: Graph, value: object, depth: int, seen: set[str]) -> str:
    """The text behind a conditioning link, through FluxGuidance, ControlNet, Combine/Concat nodes."""
    visited = _visit(graph, value, depth, seen)
    if visited is None:
        return ""
    node, output = visited
    if "ZeroOut" in node.class_type:  # Flux's "negative": the positive conditioning zeroed out
        return ""
    if "TextEncode" in node.class_type:
        return _join_unique(
            _comfy_text(graph, node.inputs[key], depth + 1, seen)
            for key in _ENCODER_TEXT
            if key in node.inputs
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


def _comfy_text(graph: Graph, value: object, depth: int, seen: set[str]) -> str:
    """A text input: written inline, or linked to a string node that holds it."""
    if isinstance(value, str):
        return value
    visited = _visit(graph, value, depth, seen)
    if visited is None:
        return ""
    inputs = visited[0].inputs
    for key in _STRING_TEXT:
        if key in inputs:
            text = _comfy_text(graph, inputs[key], depth + 1, seen)
            if text:
                return text
    return ""


def _comfy_int(graph: Graph, value: object, depth: int, seen: set[str]) -> int | None:
    """A seed input: inline, or linked to a seed/primitive/RandomNoise node."""
    visited = _visit(graph, value, depth, seen)
    if visited is None:
        return _seed(value) if _link(value) is None else None
    inputs = visited[0].inputs
    for key in _SEED_INPUTS:
        if key in inputs:
            seed = _comfy_int(graph, inputs[key], depth + 1, seen)
            if seed is not None:
                return seed
    return None


def _comfy_model(graph: Graph, value: object, depth: int, seen: set[str]) -> str:
    """The checkpoint behind a model input, back through LoRA loaders and model patches."""
    visited = _visit(graph, value, depth, seen)
    if visited is None:
        return ""
    inputs = visited[0].inputs
    for key in _MODEL_INPUTS:
        if isinstance(inputs.get(key), str):
            return str(inputs[key])
    return _comfy_model(graph, inputs.get("model"), depth + 1, seen)


def _any_model(graph: Graph) -> str:
    for _, node in sorted(graph.items(), key=lambda item: _node_order(item[0])):
        for key in _MODEL_INPUTS:
            if isinstance(node.inputs.get(key), str):
                return str(node.inputs[key])
    return ""


def _join_unique(texts: Any) -> str:
    # SDXL/Flux encoders usually repeat one prompt in text_g/text_l or clip_l/t5xxl: keep it once
    kept: list[str] = []
    for text in texts:
        if text and text not in kept:
            kept.append(text)
    return "\n".join(kept)


# -- InvokeAI -----------------------------------------------------------------------------------


def _invokeai(fields: Fields) -> EmbeddedMetadata | None:
    if "invokeai_metadata" in fields:
        found = _invokeai_metadata(_load_json(fields["invokeai_metadata"]))
        if found is not None:
            return found
    if "sd-metadata" in fields:
        found = _invokeai_sd_metadata(_load_json(fields["sd-metadata"]))
        if found is not None:
            return found
    if "Dream" in fields:
        found = _invokeai_dream(fields["Dream"])
        if found is not None:
            return found
    if "invokeai_graph" in fields:
        return EmbeddedMetadata(tool="invokeai")
    return None


def _invokeai_metadata(data: Json) -> EmbeddedMetadata | None:
    """3.x and later: flat JSON; the model is `model.name` from 4.x, `model.model_name` before."""
    if not isinstance(data, dict):
        return None
    model = data.get("model")
    if isinstance(model, dict):
        model = _first(model, "name", "model_name")
    return EmbeddedMetadata(
        tool="invokeai",
        prompt=_text(data.get("positive_prompt")),
        negative_prompt=_text(data.get("negative_prompt")),
        seed=_seed(data.get("seed")),
        model=_text(model),
    )


def _invokeai_sd_metadata(data: Json) -> EmbeddedMetadata | None:
    """2.3: `{"model_weights": ..., "image": {"prompt": [{"prompt": ...}] or "...", "seed": ...}}`."""
    if not isinstance(data, dict) or not isinstance(data.get("image"), dict):
        return None
    image = data["image"]
    prompt = image.get("prompt")
    if isinstance(prompt, list):
        prompt = ", ".join(_text(part.get("prompt")) for part in prompt if isinstance(part, dict))
    positive, negative = _invokeai2_prompt(_text(prompt))
    return EmbeddedMetadata(
        tool="invokeai",
        prompt=positive,
        negative_prompt=negative,
        seed=_seed(image.get("seed")),
        model=_text(_first(data, "model_weights", "model")),
    )


_DREAM_OPTION = re.compile(r"\s-[A-Za-z-]")
_DREAM_SEED = re.compile(r"(?:^|\s)(?:-S|--seed)[\s=]*(\d{1,20})(?!\d)")


def _invokeai_dream(text: str) -> EmbeddedMetadata | None:
    """2.2 and before: a command line, `"a fox in snow" -s 50 -S 12345 -W 512 ...`."""
    text = text.strip()
    if text.startswith('"'):
        close = _closing_quote(text, 0)
        if close < 0:
            return None
        prompt, options = text[1:close].replace('\\"', '"'), text[close + 1 :]
    else:
        option = _DREAM_OPTION.search(text)
        cut = option.start() if option else len(text)
        prompt, options = text[:cut], text[cut:]
    seed = _DREAM_SEED.search(options)
    positive, negative = _invokeai2_prompt(prompt)
    return EmbeddedMetadata(
        tool="invokeai",
        prompt=positive,
        negative_prompt=negative,
        seed=_seed(seed.group(1)) if seed else None,
    )


_BRACKETED = re.compile(r"\[([^\[\]]*)\]")


def _invokeai2_prompt(prompt: str) -> tuple[str, str]:
    """InvokeAI 2 wrote the negative prompt inside the prompt, in square brackets."""
    negative = ", ".join(part.strip() for part in _BRACKETED.findall(prompt) if part.strip())
    positive = " ".join(_BRACKETED.sub(" ", prompt).split())
    return positive, negative


# -- NovelAI ------------------------------------------------------------------------------------


def _novelai(fields: Fields) -> EmbeddedMetadata | None:
    """`Description` is the prompt, `Comment` JSON holds seed and `uc` (the negative), `Source` the model."""
    comment = _load_json(fields.get("Comment", ""))
    if not isinstance(comment, dict):
        comment = {}
    if not (fields.get("Software", "").startswith("NovelAI") or "uc" in comment or "v4_prompt" in comment):
        return None
    prompt = (
        fields.get("Description") or _text(comment.get("prompt")) or _v4_caption(comment.get("v4_prompt"))
    )
    return EmbeddedMetadata(
        tool="novelai",
        prompt=prompt,
        negative_prompt=_text(comment.get("uc")) or _v4_caption(comment.get("v4_negative_prompt")),
        seed=_seed(comment.get("seed")),
        model=fields.get("Source", ""),
    )


def _v4_caption(prompt: object) -> str:
    if isinstance(prompt, dict) and isinstance(prompt.get("caption"), dict):
        return _text(prompt["caption"].get("base_caption"))
    return ""
