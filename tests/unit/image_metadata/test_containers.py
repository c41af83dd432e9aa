"""The containers: text chunk encodings, EXIF comments, files without metadata."""

from __future__ import annotations

import json
from io import BytesIO

import pytest
from PIL import Image

from domain.kernel.media import EmbeddedMetadata
from storage.images.metadata import read_metadata
from tests.unit.image_metadata.builders import A1111_TEXT, read_png, reopen, user_comment_exif, with_exif


class TestTextEncodings:
    def test_utf_8_written_into_a_latin_1_text_chunk_is_decoded_as_utf_8(self):
        text = "café ☕ 東京\nSteps: 20, Sampler: Euler, Seed: 1"
        assert read_png(text={"parameters": text.encode("utf-8")}).prompt == "café ☕ 東京"

    def test_real_latin_1_in_a_text_chunk_stays_latin_1(self):
        text = "crème brûlée\nSteps: 20, Sampler: Euler, Seed: 1"
        assert read_png(text={"parameters": text.encode("latin-1")}).prompt == "crème brûlée"

    def test_json_ending_with_a_nul_byte_is_read(self):
        metadata = json.dumps({"positive_prompt": "a moth", "seed": 3}) + "\x00"
        assert read_png(text={"invokeai_metadata": metadata}).prompt == "a moth"

    def test_a_user_comment_ending_with_nul_bytes_is_read(self):
        comment = b"UNICODE\x00" + (A1111_TEXT + "\x00\x00").encode("utf-16-be")
        assert read_metadata(reopen(with_exif("JPEG", user_comment_exif(comment)))).model == "sd_xl_base_1.0"


class TestNoMetadata:
    @pytest.mark.parametrize("fmt", ["PNG", "JPEG", "WEBP"])
    def test_a_file_without_metadata_gives_empty_metadata(self, fmt):
        out = BytesIO()
        Image.new("RGB", (8, 8)).save(out, fmt)
        assert read_metadata(reopen(out.getvalue())) == EmbeddedMetadata()

    def test_unrelated_chunks_and_camera_exif_give_empty_metadata(self):
        exif = Image.Exif()
        exif[0x010F] = "OLYMPUS"
        exif[0x0110] = "E-M10"
        exif[0x010E] = "OLYMPUS DIGITAL CAMERA"
        assert read_png(text={"Author": "me", "Title": "holiday"}, exif=exif) == EmbeddedMetadata()
