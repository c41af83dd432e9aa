"""AUTOMATIC1111 and its forks: the `parameters` text, in PNG chunks and EXIF UserComment."""

from __future__ import annotations

import pytest

from domain.kernel.media import EmbeddedMetadata
from storage.images.metadata import read_metadata
from tests.unit.image_metadata.builders import A1111_TEXT, read_png, reopen, user_comment_exif, with_exif


class TestAutomatic1111:
    def test_a_png_parameters_chunk_gives_the_multi_line_prompt_negative_prompt_seed_and_model(self):
        found = read_png(text={"parameters": A1111_TEXT})
        assert found == EmbeddedMetadata(
            tool="automatic1111",
            prompt="masterpiece, a red fox\nin the snow, (detailed fur:1.2)",
            negative_prompt="blurry, lowres\nwatermark",
            seed=3141592653,
            model="sd_xl_base_1.0",
        )

    def test_quoted_values_containing_commas_do_not_break_the_settings_that_follow_them(self):
        text = 'a cat\nSteps: 20, Lora hashes: "a: 1, b: 2", Model: "my, model", Seed: 7, Size: 512x512'
        found = read_png(text={"parameters": text})
        assert (found.model, found.seed) == ("my, model", 7)

    def test_a_settings_line_alone_gives_an_empty_prompt_and_the_settings(self):
        found = read_png(text={"parameters": "Steps: 20, Sampler: Euler a, Seed: 0, Model: base"})
        assert found == EmbeddedMetadata(tool="automatic1111", seed=0, model="base")

    def test_lines_an_extension_adds_after_the_settings_are_not_taken_for_the_prompt(self):
        text = "a {red|blue} car\nSteps: 20, Sampler: Euler, Seed: 5\nTemplate: a {red|blue} car\nNegative Template: ugly"
        found = read_png(text={"parameters": text})
        assert (found.prompt, found.negative_prompt, found.seed) == ("a {red|blue} car", "", 5)

    def test_text_without_a_settings_line_is_not_claimed_as_a1111(self):
        assert read_png(text={"parameters": "just a caption someone wrote"}) == EmbeddedMetadata()

    def test_a_compressed_ztxt_chunk_is_read_like_a_plain_one(self):
        assert read_png(ztxt={"parameters": A1111_TEXT}).seed == 3141592653

    def test_an_itxt_chunk_is_read_as_utf_8(self):
        found = read_png(itxt={"parameters": "un café ☕ à Tōkyō\nSteps: 20, Sampler: Euler, Seed: 1"})
        assert found.prompt == "un café ☕ à Tōkyō"

    def test_a_jpeg_with_a_big_endian_utf_16_user_comment_is_read(self):
        comment = b"UNICODE\x00" + A1111_TEXT.encode("utf-16-be")
        found = read_metadata(reopen(with_exif("JPEG", user_comment_exif(comment, endian=">"))))
        assert (found.tool, found.seed, found.model) == ("automatic1111", 3141592653, "sd_xl_base_1.0")
        assert found.negative_prompt == "blurry, lowres\nwatermark"

    def test_a_webp_with_a_little_endian_utf_16_user_comment_is_read(self):
        comment = b"UNICODE\x00" + A1111_TEXT.encode("utf-16-le")
        found = read_metadata(reopen(with_exif("WEBP", user_comment_exif(comment, endian="<"))))
        assert found.prompt == "masterpiece, a red fox\nin the snow, (detailed fur:1.2)"

    @pytest.mark.parametrize(("encoding", "endian"), [("utf-16-le", ">"), ("utf-16-be", "<")])
    def test_utf_16_in_the_opposite_byte_order_to_the_exif_block_is_still_read(self, encoding, endian):
        text = "東京の夜景, neon\nSteps: 20, Sampler: Euler, Seed: 9"
        exif = user_comment_exif(b"UNICODE\x00" + text.encode(encoding), endian=endian)
        assert read_metadata(reopen(with_exif("JPEG", exif))).prompt == "東京の夜景, neon"

    def test_an_ascii_user_comment_is_read(self):
        exif = user_comment_exif(b"ASCII\x00\x00\x00" + A1111_TEXT.encode("ascii"))
        assert read_metadata(reopen(with_exif("JPEG", exif))).seed == 3141592653
