"""NovelAI: `Description`, `Comment` JSON and `Source`, in PNG chunks or WebP EXIF."""

from __future__ import annotations

import json

from domain.media import EmbeddedMetadata
from storage.image_metadata import read_metadata
from tests.unit.image_metadata.builders import (
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
            model="NovelAI Diffusion V4.5 4BDE2A90",
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
