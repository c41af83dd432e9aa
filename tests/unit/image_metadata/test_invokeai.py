"""InvokeAI: `invokeai_metadata`, `sd-metadata` and `Dream`."""

from __future__ import annotations

import json

from domain.kernel.media import EmbeddedMetadata
from tests.unit.image_metadata.builders import read_png


class TestInvokeAI:
    def test_invokeai_6_metadata_gives_prompts_seed_and_model_name(self):
        metadata = {
            "generation_mode": "sdxl_txt2img",
            "positive_prompt": "a glass greenhouse, golden hour",
            "negative_prompt": "people",
            "seed": 2718281828,
            "model": {
                "key": "abc",
                "hash": "blake3:00",
                "name": "Juggernaut XL v9",
                "base": "sdxl",
                "type": "main",
            },
            "app_version": "6.0.2",
        }
        found = read_png(text={"invokeai_metadata": json.dumps(metadata), "invokeai_graph": "{}"})
        assert found == EmbeddedMetadata(
            tool="invokeai",
            prompt="a glass greenhouse, golden hour",
            negative_prompt="people",
            seed=2718281828,
            model="Juggernaut XL v9",
        )

    def test_invokeai_3_metadata_names_the_model_under_model_name(self):
        metadata = {
            "positive_prompt": "a tram",
            "seed": 5,
            "model": {"model_name": "sd-1.5", "base_model": "sd-1"},
        }
        assert read_png(text={"invokeai_metadata": json.dumps(metadata)}).model == "sd-1.5"

    def test_invokeai_2_3_sd_metadata_splits_the_bracketed_negative_prompt(self):
        metadata = {
            "model": "stable diffusion",
            "model_weights": "stable-diffusion-1.5",
            "app_id": "invoke-ai/InvokeAI",
            "app_version": "2.3.0",
            "image": {
                "prompt": [{"prompt": "a fox in snow [blurry, watermark]", "weight": 1.0}],
                "seed": 1234,
            },
        }
        found = read_png(text={"sd-metadata": json.dumps(metadata)})
        assert found == EmbeddedMetadata(
            tool="invokeai",
            prompt="a fox in snow",
            negative_prompt="blurry, watermark",
            seed=1234,
            model="stable-diffusion-1.5",
        )

    def test_a_dream_command_line_gives_the_quoted_prompt_and_the_s_seed(self):
        found = read_png(text={"Dream": '"a fox in snow" -s 50 -S 12345 -W 512 -H 512 -C 7.5 -A k_lms'})
        assert found == EmbeddedMetadata(tool="invokeai", prompt="a fox in snow", seed=12345)

    def test_a_dream_command_line_with_an_unquoted_prompt_is_read(self):
        found = read_png(text={"Dream": "an old mill -s 50 -S 8 -W 512"})
        assert (found.prompt, found.seed) == ("an old mill", 8)
