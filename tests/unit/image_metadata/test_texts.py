"""Every text the reader reads is handed on raw, for the credential guard: chunks, EXIF, XMP, hidden text."""

from __future__ import annotations

import json
from io import BytesIO

from PIL import Image

from domain.kernel.media import EmbeddedMetadata
from storage.images.metadata import invokeai, read_metadata
from tests.unit.image_metadata.builders import (
    A1111_TEXT,
    EXIF_IFD,
    USER_COMMENT,
    png,
    reopen,
    stealth_png,
    with_exif,
)

XP_COMMENT = 0x9C9C
ARTIST = 0x013B
GPS_IFD = 0x8825


class TestTexts:
    def test_every_png_text_chunk_is_handed_on_even_those_no_reader_uses_or_too_long_to_parse(self):
        huge = "w" * 1_500_000
        found = read_metadata(
            reopen(
                png(
                    text={
                        "parameters": A1111_TEXT,
                        "workflow": '{"nodes": []}',
                        "Author": "someone",
                        "huge": huge,
                    },
                    itxt={"Comment": "café notes"},
                    ztxt={"Source": "zipped"},
                )
            )
        )
        assert found.seed == 3141592653
        assert {A1111_TEXT, '{"nodes": []}', "someone", "café notes", "zipped", huge} <= set(found.texts)

    def test_every_exif_string_is_handed_on_from_every_ifd(self):
        exif = Image.Exif()
        exif[0x010F] = "Canon"
        exif[ARTIST] = "\x00\x00 Jane Doe"
        exif[XP_COMMENT] = "a note in XP".encode("utf-16-le") + b"\x00\x00"
        exif.get_ifd(EXIF_IFD)[USER_COMMENT] = b"UNICODE\x00" + "a comment".encode("utf-16-be")
        exif.get_ifd(GPS_IFD)[0x001B] = b"ASCII\x00\x00\x00GPS processing"
        found = read_metadata(reopen(with_exif("JPEG", exif)))
        assert {"Canon", "Jane Doe", "a note in XP", "a comment"} <= set(found.texts)
        assert any("GPS processing" in text for text in found.texts)

    def test_a_jpeg_comment_and_an_xmp_packet_are_handed_on(self):
        out = BytesIO()
        xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:Description note="from xmp"/></x:xmpmeta>'
        Image.new("RGB", (8, 8)).save(out, "JPEG", comment=b"a COM marker", xmp=xmp)
        texts = read_metadata(reopen(out.getvalue())).texts
        assert "a COM marker" in texts
        assert any("from xmp" in text for text in texts)

    def test_text_hidden_in_the_pixels_is_handed_on(self):
        hidden = json.dumps({"note": "hidden, and no reader knows it"})
        assert hidden in read_metadata(reopen(stealth_png(hidden))).texts

    def test_texts_survive_a_reader_that_fails(self, monkeypatch):
        def explode(fields):
            raise RuntimeError("a reader bug")

        monkeypatch.setattr(invokeai, "read", explode)
        found = read_metadata(reopen(png(text={"workflow": "the graph"})))
        assert (found.prompt, found.texts) == ("", ("the graph",))

    def test_texts_are_not_compared_nor_shown(self):
        secret = "sk-proj-" + "Zq9" * 16
        found = EmbeddedMetadata(tool="comfyui", texts=(secret,))
        assert found == EmbeddedMetadata(tool="comfyui")
        assert secret not in repr(found)
