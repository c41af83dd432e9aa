"""NovelAI: `Description`, `Comment` JSON and `Source`, in PNG chunks or WebP EXIF."""

from __future__ import annotations

import json

import pytest
from PIL import Image

from domain.kernel.media import EmbeddedMetadata
from storage.images.metadata import exif, novelai, read_metadata
from tests.unit.image_metadata.builders import (
    EXIF_IFD,
    USER_COMMENT,
    read_png,
    reopen,
    user_comment_exif,
    with_exif,
)

NOVELAI_COMMENT = {
    "prompt": "1girl, library, warm light",
    "steps": 28,
    "scale": 5.0,
    "seed": 1995419722,
    "sampler": "k_euler_ancestral",
    "uc": "lowres, bad anatomy",
    "noise_schedule": "karras",
}


class TestNovelAI:
    def test_a_png_gives_the_description_prompt_and_the_comment_seed_and_uc(self):
        found = read_png(
            text={
                "Title": "NovelAI generated image",
                "Description": "1girl, library, warm light",
                "Software": "NovelAI",
                "Source": "NovelAI Diffusion V4.5 4BDE2A90",
                "Comment": json.dumps(NOVELAI_COMMENT),
            }
        )
        assert found == EmbeddedMetadata(
            tool="novelai",
            prompt="1girl, library, warm light",
            negative_prompt="lowres, bad anatomy",
            seed=1995419722,
            model="NovelAI Diffusion V4.5",  # the Source without its model hash
        )

    def test_a_webp_keeps_the_chunks_as_json_in_the_exif_user_comment(self):
        chunks = {
            "Description": "a lighthouse",
            "Software": "NovelAI",
            "Source": "Stable Diffusion XL C1E1DE52",
            "Comment": json.dumps(NOVELAI_COMMENT | {"prompt": "a lighthouse"}),
        }
        exif = user_comment_exif(b"UNICODE\x00" + json.dumps(chunks).encode("utf-16-le"), endian="<")
        exif[0x010E] = "a lighthouse"
        found = read_metadata(reopen(with_exif("WEBP", exif)))
        assert (found.tool, found.prompt, found.seed) == ("novelai", "a lighthouse", 1995419722)

    def test_a_generic_comment_chunk_is_not_taken_for_novelai(self):
        assert read_png(text={"Comment": "Created with GIMP", "Description": "holiday"}) == EmbeddedMetadata()

    @pytest.mark.parametrize(
        ("source", "model"),
        [
            ("Stable Diffusion 1D44365E", "Stable Diffusion"),
            ("NovelAI Diffusion V4.5 C02D4F98", "NovelAI Diffusion V4.5"),
            ("Stable Diffusion XL c1e1de52", "Stable Diffusion XL"),
            ("NovelAI Diffusion Anime V3", "NovelAI Diffusion Anime V3"),  # no hash: kept whole
        ],
    )
    def test_the_model_is_the_source_without_its_model_hash(self, source, model):
        fields = {"Software": "NovelAI", "Source": source, "Comment": json.dumps(NOVELAI_COMMENT)}
        assert novelai.read(fields).model == model

    def test_the_comments_fields_win_over_the_short_description(self):
        fields = {
            "Description": "1girl, library",  # NovelAI shortens the Description; the Comment is whole
            "Software": "NovelAI",
            "Comment": json.dumps(NOVELAI_COMMENT),
        }
        assert novelai.read(fields).prompt == "1girl, library, warm light"

    def test_a_v4_caption_is_read_when_the_comment_has_no_plain_prompt(self):
        comment = {
            "v4_prompt": {"caption": {"base_caption": "a lighthouse", "char_captions": []}},
            "v4_negative_prompt": {"caption": {"base_caption": "blurry"}},
            "seed": 3,
        }
        found = novelai.read({"Software": "NovelAI", "Comment": json.dumps(comment)})
        assert (found.prompt, found.negative_prompt, found.seed) == ("a lighthouse", "blurry", 3)

    def test_a_webp_as_novelai_writes_it_gives_the_comment_and_the_model_from_software(self):
        """ImageDescription padded with NULs, the Source in Software, the Comment JSON in UserComment."""
        image_exif = Image.Exif()
        image_exif[0x010E] = "\x00" * 8 + "1girl, library"
        image_exif[0x0131] = "NovelAI Diffusion V4.5 C02D4F98"
        image_exif.get_ifd(EXIF_IFD)[USER_COMMENT] = (
            b"ASCII\x00\x00\x00" + json.dumps(NOVELAI_COMMENT).encode()
        )
        found = read_metadata(reopen(with_exif("WEBP", image_exif)))
        assert found == EmbeddedMetadata(
            tool="novelai",
            prompt="1girl, library, warm light",
            negative_prompt="lowres, bad anatomy",
            seed=1995419722,
            model="NovelAI Diffusion V4.5",
        )


class TestExifStrings:
    def test_leading_nuls_and_whitespace_are_stripped_from_exif_strings(self):
        image_exif = Image.Exif()
        image_exif[0x010E] = "\x00\x00\x00\x00 \n a harbour at night"
        image_exif[0x0131] = "\x00\x00NovelAI"
        fields = exif.fields(exif.parse(image_exif.tobytes()))
        assert (fields["Description"], fields["Software"]) == ("a harbour at night", "NovelAI")
