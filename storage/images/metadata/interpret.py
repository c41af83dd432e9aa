"""From the texts a file holds to what made it: one reader per tool's format, tried in turn."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from domain.kernel.media import EmbeddedMetadata
from storage.images.metadata import automatic1111, comfyui, fooocus, invokeai, novelai, swarmui, tensorart
from storage.images.metadata.values import Fields, fill, json_object


def interpret(fields: Fields) -> EmbeddedMetadata:
    """The first reader that finds a prompt wins; else the first that recognised its format at all."""
    if not fields:
        return EmbeddedMetadata()
    readers: tuple[Callable[[Fields], EmbeddedMetadata | None], ...] = (
        invokeai.read,
        novelai.read,
        _parameters_or_graph,
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
    if _has_editor_graph(fields):
        return EmbeddedMetadata(tool="comfyui")  # the editor graph alone still names the tool
    return EmbeddedMetadata()


def _parameters_or_graph(fields: Fields) -> EmbeddedMetadata | None:
    """`parameters` first, then ComfyUI's graph (with Tensor.Art's record of it).

    ComfyUI save nodes (Image Saver, Civitai's nodes) write A1111 text next to the graph. The text
    is the flattened record the user saw, so it wins; the graph says which tool made the image and
    fills whatever the text left out.
    """
    params = _parameters(fields)
    has_graph = any(key in fields for key in ("prompt", "workflow", "generation_data"))
    if params is not None and (params.tool != "automatic1111" or not has_graph):
        return params
    graph = _graph(fields)
    if params is None:
        return graph
    if graph is None and not _has_editor_graph(fields):
        return params  # a `prompt` chunk that is not a graph says nothing about ComfyUI
    return fill(replace(params, tool=graph.tool if graph else "comfyui"), graph)


def _graph(fields: Fields) -> EmbeddedMetadata | None:
    graph = comfyui.read(fields.get("prompt", ""))
    if "generation_data" in fields:
        return tensorart.read(fields["generation_data"], graph) or graph
    return graph


def _parameters(fields: Fields) -> EmbeddedMetadata | None:
    """The `parameters` chunk: A1111 text, or JSON from SwarmUI or Fooocus."""
    text = fields.get("parameters")
    if not text:
        return None
    if text.lstrip().startswith("{"):
        data = json_object(text)
        return (swarmui.read(data) or fooocus.read(data)) if data else None
    found = automatic1111.read(text)
    if found is not None and fooocus.wrote_a1111_text(fields):
        return replace(found, tool="fooocus")
    return found


def _has_editor_graph(fields: Fields) -> bool:
    return fields.get("workflow", "").lstrip().startswith("{")
