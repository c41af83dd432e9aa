"""Read how an uploaded image was generated from the metadata other tools embed in it.

AUTOMATIC1111 and its forks, ComfyUI, Tensor.Art, InvokeAI, NovelAI, Fooocus and SwarmUI each
write the prompt, negative prompt, seed and model somewhere different: PNG text chunks, EXIF
UserComment, EXIF Make/Model, the pixels' lowest bits, as free text, JSON or a whole node graph.
`read_metadata` gathers those places into one bag of named texts (`png`, `exif`), then lets one
small reader per format try to make sense of it (`interpret`). The format readers take plain
strings, bytes and dicts, never an image.

Every text read on the way is handed on raw in `EmbeddedMetadata.texts`, so that the upload can
refuse a file whose metadata carries a credential anywhere, not only in the prompt.

The parser is hand-written on purpose. sd-parsers caches the last image's metadata in module
globals keyed by `id(image)`, so under concurrent uploads one upload can be handed another's
prompt once an id is reused; sd-prompt-reader pins an old Pillow and crashes on some files.

Uploads are hostile input, so every read is bounded (text length, JSON depth, graph size,
link-following depth, prompt length, pixels read for hidden text) and `read_metadata` never
raises: anything unexpected yields `EmbeddedMetadata()` with the texts read so far. Text hidden
in the pixels ("stealth pnginfo") is looked for only in a PNG without any text chunk, as the
extension itself does.
"""

from __future__ import annotations

import contextlib
from dataclasses import replace

from PIL import Image, PngImagePlugin

from domain.kernel.media import EmbeddedMetadata
from domain.kernel.text import drop_controls
from domain.studio.generating import MAX_PROMPT
from domain.studio.importing import MAX_MODEL
from storage.images.metadata import exif, png
from storage.images.metadata.interpret import interpret
from storage.images.metadata.values import MAX_TEXT, Fields, chunk_map

__all__ = ["read_metadata"]


def read_metadata(image: Image.Image) -> EmbeddedMetadata:
    """What the tool that made `image` recorded about it, and every text read on the way; never raises.

    Returns `EmbeddedMetadata()` (with the texts read) when nothing is recognised.
    """
    texts: list[str] = []
    try:
        found = _bounded(interpret(_collect(image, texts)))
    except Exception:  # a bad upload must never fail the request that carried it
        found = EmbeddedMetadata()
    return replace(found, texts=tuple(dict.fromkeys(texts)))  # the same text twice is checked once


def _bounded(found: EmbeddedMetadata) -> EmbeddedMetadata:
    """Fields an import takes as they are: within the limits typed text is held to, no controls.

    Nobody typed them, so nothing read from a file may fail the import that uses it.
    """
    return replace(
        found,
        prompt=drop_controls(found.prompt).strip()[:MAX_PROMPT].strip(),
        negative_prompt=drop_controls(found.negative_prompt).strip()[:MAX_PROMPT].strip(),
        model=" ".join(drop_controls(found.model).split())[:MAX_MODEL].strip(),
    )


def _collect(image: Image.Image, texts: list[str]) -> Fields:
    """Every place a tool may have written to, as name -> text; PNG chunks win over EXIF.

    Each text read is added to `texts` as soon as it is read, whatever happens after.
    """
    chunks = png.text_chunks(image)
    texts.extend(chunks.values())
    fields: Fields = {key: value for key, value in chunks.items() if len(value) <= MAX_TEXT}
    if not chunks and isinstance(image, PngImagePlugin.PngImageFile):
        hidden = png.hidden_text(image)
        if hidden:
            texts.append(hidden)
            if len(hidden) <= MAX_TEXT:
                fields.update(chunk_map(hidden) or {"parameters": hidden})
    xmp = image.info.get("xmp")  # JPEG APP1 and WebP XMP chunks; a PNG's is a text chunk, read above
    if isinstance(xmp, bytes):
        texts.append(xmp.decode("utf-8", "replace"))
    comment = image.info.get("comment")  # JPEG COM marker: some tools put A1111 text there
    if isinstance(comment, bytes):
        texts.append(comment.decode("utf-8", "replace"))
        if len(comment) <= MAX_TEXT:
            fields.setdefault("parameters", texts[-1])
    data = image.info.get("exif")  # getexif() on a PNG without EXIF would decode the whole image
    if isinstance(data, bytes):
        with contextlib.suppress(Exception):  # a broken EXIF block must not lose what the PNG chunks gave
            block = exif.parse(data)
            texts.extend(exif.strings(block))
            for key, value in exif.fields(block).items():
                fields.setdefault(key, value)
    return fields
