"""Stealth pnginfo: text hidden in the lowest bits of the pixels, as the A1111 extension writes it."""

from __future__ import annotations

import gzip
import json
import os

import pytest
from PIL import Image

from domain.kernel.media import EmbeddedMetadata
from storage.images.metadata import read_metadata, stealth
from tests.unit.image_metadata.builders import A1111_TEXT, lowest_bits, reopen, stealth_bits, stealth_png

A1111_FOUND = EmbeddedMetadata(
    tool="automatic1111",
    prompt="masterpiece, a red fox\nin the snow, (detailed fur:1.2)",
    negative_prompt="blurry, lowres\nwatermark",
    seed=3141592653,
    model="sd_xl_base_1.0",
)


class TestDecoding:
    @pytest.mark.parametrize("compressed", [True, False])
    @pytest.mark.parametrize("mode", ["alpha", "rgb"])
    def test_the_text_is_read_back_in_either_mode_plain_or_gzipped(self, mode, compressed):
        values = lowest_bits(stealth_bits(A1111_TEXT, mode=mode, compressed=compressed))
        assert stealth.decode(values, mode) == A1111_TEXT

    def test_values_after_the_payload_are_ignored(self):
        values = lowest_bits(stealth_bits("a fox")) + os.urandom(500)
        assert stealth.decode(values, "alpha") == "a fox"

    def test_the_other_modes_signature_is_not_taken(self):
        assert stealth.decode(lowest_bits(stealth_bits("a fox", mode="rgb")), "alpha") is None
        assert stealth.decode(lowest_bits(stealth_bits("a fox", mode="alpha")), "rgb") is None

    def test_values_without_a_signature_hold_nothing(self):
        assert stealth.decode(os.urandom(10_000), "alpha") is None
        assert stealth.decode(b"", "alpha") is None

    def test_a_payload_cut_short_gives_nothing(self):
        values = lowest_bits(stealth_bits(A1111_TEXT))
        assert stealth.decode(values[:-8], "alpha") is None

    def test_a_declared_length_over_the_bound_is_refused_from_the_header(self):
        bits = stealth_bits("x", compressed=False)
        over = bits[: stealth.SIGNATURE_BITS] + f"{stealth.MAX_PAYLOAD_BITS + 8:032b}"
        header = stealth.read_header(lowest_bits(over), "alpha")
        assert header is not None and header.payload_bits == stealth.MAX_PAYLOAD_BITS + 8
        assert stealth.decode(lowest_bits(over) + bytes(stealth.MAX_PAYLOAD_BITS + 8), "alpha") is None

    def test_a_gzip_bomb_is_not_inflated_past_the_bound(self):
        bomb = gzip.compress(b"a" * 5_000_000)
        assert stealth.decode(lowest_bits(as_gzipped(stealth_bits(bomb, compressed=False))), "alpha") is None

    def test_a_damaged_gzip_payload_gives_nothing(self):
        bits = as_gzipped(stealth_bits(b"not gzip at all", compressed=False))
        assert stealth.decode(lowest_bits(bits), "alpha") is None


class TestHiddenInAPng:
    def test_a_png_without_text_chunks_gives_the_gzipped_parameters_in_its_alpha_channel(self):
        assert read_metadata(reopen(stealth_png(A1111_TEXT))) == A1111_FOUND

    def test_an_rgb_png_gives_the_parameters_in_its_colour_bits(self):
        data = stealth_png(A1111_TEXT, mode="rgb", compressed=False, size=(40, 30))
        assert read_metadata(reopen(data)) == A1111_FOUND

    def test_an_rgba_png_may_hide_the_text_in_its_colour_bits(self):
        data = stealth_png(A1111_TEXT, mode="rgb", size=(40, 30))
        rgba = reopen(data).convert("RGBA")
        assert read_metadata(rgba) == EmbeddedMetadata()  # not a PNG file any more: nothing is read
        out = _save_png(rgba)
        assert read_metadata(reopen(out)) == A1111_FOUND

    def test_a_png_with_a_text_chunk_is_not_searched_for_hidden_text(self):
        data = stealth_png(A1111_TEXT, text_chunks={"Software": "GIMP 2.10"})
        assert read_metadata(reopen(data)) == EmbeddedMetadata()

    def test_novelai_chunks_hidden_as_json_are_read_as_novelai(self):
        chunks = {
            "Title": "NovelAI generated image",
            "Description": "a lighthouse",
            "Software": "NovelAI",
            "Source": "NovelAI Diffusion V3 7BCCAA2C",
            "Comment": json.dumps({"prompt": "a lighthouse", "uc": "blurry", "seed": 12}),
        }
        found = read_metadata(reopen(stealth_png(json.dumps(chunks), size=(64, 64))))
        assert found == EmbeddedMetadata(
            tool="novelai",
            prompt="a lighthouse",
            negative_prompt="blurry",
            seed=12,
            model="NovelAI Diffusion V3",
        )

    @pytest.mark.timeout(5)  # what is read is bounded; the assertion below says how much
    def test_at_most_the_bounded_payload_is_read_from_a_large_image(self, monkeypatch):
        width, height = 2_100, 1_000  # 2.1 million pixels, more than the largest payload
        header = (
            stealth_bits("x", compressed=False)[: stealth.SIGNATURE_BITS] + f"{stealth.MAX_PAYLOAD_BITS:032b}"
        )
        alpha = lowest_bits(header) + os.urandom(width * height - len(header))
        # the values are in column order: lay them out as rows of a transposed image
        plane = Image.frombytes("L", (height, width), alpha).transpose(Image.Transpose.TRANSPOSE)
        image = Image.merge("RGBA", (*Image.new("RGB", (width, height), (9, 9, 9)).split(), plane))
        loaded = reopen(_save_png(image))
        loaded.load()
        read: list[int] = []
        decode = stealth.decode
        monkeypatch.setattr(
            stealth, "decode", lambda values, channel: read.append(len(values)) or decode(values, channel)
        )
        read_metadata(loaded)
        assert read == [stealth.HEADER_BITS + stealth.MAX_PAYLOAD_BITS]

    def test_a_header_claiming_too_much_stops_the_reading(self, monkeypatch):
        header = stealth_bits("x", compressed=False)[: stealth.SIGNATURE_BITS] + f"{2**32 - 1:032b}"
        plane = Image.frombytes("L", (200, 10), lowest_bits(header) + bytes(2000 - len(header)))
        image = Image.merge(
            "RGBA", (*Image.new("RGB", (10, 200)).split(), plane.transpose(Image.Transpose.TRANSPOSE))
        )
        read: list[int] = []
        monkeypatch.setattr(stealth, "decode", lambda values, channel: read.append(len(values)))
        assert read_metadata(reopen(_save_png(image))) == EmbeddedMetadata()
        assert read == []


def as_gzipped(bits: str) -> str:
    """The stream with the signature that says its payload (as it is) is gzip."""
    return "".join(f"{byte:08b}" for byte in b"stealth_pngcomp") + bits[stealth.SIGNATURE_BITS :]


def _save_png(image: Image.Image) -> bytes:
    from io import BytesIO

    out = BytesIO()
    image.save(out, "PNG")
    return out.getvalue()
