"""Fooocus and RuinedFooocus: JSON or A1111 text in `parameters` or EXIF."""

from __future__ import annotations

import json

from PIL import Image

from domain.kernel.media import EmbeddedMetadata
from storage.images.metadata import read_metadata
from tests.unit.image_metadata.builders import USER_COMMENT, read_png, reopen, with_exif


class TestFooocus:
    def test_json_parameters_give_prompts_seed_and_base_model(self):
        parameters = {
            "adm_guidance": "(1.5, 0.8, 0.3)",
            "base_model": "juggernautXL_v8Rundiffusion.safetensors",
            "full_prompt": ["a lantern on a jetty, cinematic"],
            "negative_prompt": "unrealistic",
            "prompt": "a lantern on a jetty",
            "seed": "5218393",
            "version": "Fooocus v2.5.5",
        }
        found = read_png(text={"parameters": json.dumps(parameters), "fooocus_scheme": "fooocus"})
        assert found == EmbeddedMetadata(
            tool="fooocus",
            prompt="a lantern on a jetty",
            negative_prompt="unrealistic",
            seed=5218393,
            model="juggernautXL_v8Rundiffusion.safetensors",
        )

    def test_ruined_fooocus_json_is_read(self):
        parameters = {
            "Prompt": "a dog",
            "Negative": "ugly",
            "seed": 7,
            "base_model_name": "juggernaut.safetensors",
            "software": "RuinedFooocus",
        }
        found = read_png(text={"parameters": json.dumps(parameters)})
        assert (found.tool, found.prompt, found.negative_prompt, found.seed) == (
            "fooocus",
            "a dog",
            "ugly",
            7,
        )

    def test_a_jpeg_with_the_json_in_ifd0_user_comment_is_read(self):
        exif = Image.Exif()
        exif[USER_COMMENT] = json.dumps(
            {"prompt": "a red kite", "seed": "11", "base_model": "sdxl.safetensors"}
        )
        exif[0x0131] = "Fooocus v2.5.5"
        exif[0x927C] = "fooocus"
        found = read_metadata(reopen(with_exif("JPEG", exif)))
        assert (found.tool, found.prompt, found.seed) == ("fooocus", "a red kite", 11)

    def test_a1111_text_from_fooocus_is_credited_to_fooocus(self):
        text = "a kite\nSteps: 30, Sampler: DPM++ 2M SDE, Seed: 3, Version: Fooocus v2.5.5"
        assert read_png(text={"parameters": text, "fooocus_scheme": "a1111"}).tool == "fooocus"
