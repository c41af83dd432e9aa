"""Tensor.Art: `generation_data` JSON (ending in a NUL) beside the ComfyUI graph."""

from __future__ import annotations

import json

import pytest

from domain.kernel.media import EmbeddedMetadata
from storage.images.metadata.interpret import interpret
from tests.unit.image_metadata.builders import read_png


def tensorart_graph(*, seed: int = 846250123) -> dict:
    """The graph Tensor.Art runs: its own checkpoint loader, the prompt after its rewriting."""
    return {
        "1": {
            "class_type": "ECHOCheckpointLoaderSimple",
            "inputs": {"ckpt_name": "EMS-71452-EMS.safetensors"},
        },
        "2": {
            "class_type": "CLIPTextEncode",
            "inputs": {
                "text": "embedding:EMS-20-EMS, a fox in the snow, <lora:EMS-9-EMS:0.8>",
                "clip": ["1", 1],
            },
        },
        "3": {
            "class_type": "CLIPTextEncode",
            "inputs": {"text": "embedding:EMS-3-EMS, blurry", "clip": ["1", 1]},
        },
        "4": {"class_type": "EmptyLatentImage", "inputs": {"width": 768, "height": 1152, "batch_size": 1}},
        "5": {
            "class_type": "KSampler",
            "inputs": {
                "seed": seed,
                "model": ["1", 0],
                "positive": ["2", 0],
                "negative": ["3", 0],
                "latent_image": ["4", 0],
            },
        },
        "6": {"class_type": "VAEDecode", "inputs": {"samples": ["5", 0], "vae": ["1", 2]}},
        "7": {"class_type": "SaveImage", "inputs": {"images": ["6", 0]}},
    }


def generation_data(**changes: object) -> str:
    data = {
        "prompt": "a fox in the snow",
        "negativePrompt": "blurry",
        "width": 768,
        "height": 1152,
        "seed": "1234567",
        "steps": 25,
        "cfgScale": 7,
        "clipSkip": 2,
        "baseModel": {"modelId": "71452", "modelFileName": "DreamShaper XL", "hash": "4496B36D48"},
    } | changes
    return json.dumps(data) + "\x00"  # Tensor.Art ends its JSON with a NUL


class TestTensorArt:
    def test_the_typed_prompt_negative_prompt_seed_and_site_model_are_preferred_to_the_graphs(self):
        found = interpret({"prompt": json.dumps(tensorart_graph()), "generation_data": generation_data()})
        assert found == EmbeddedMetadata(
            tool="tensorart",
            prompt="a fox in the snow",
            negative_prompt="blurry",
            seed=1234567,
            model="DreamShaper XL",
        )

    @pytest.mark.parametrize("seed", ["-1", -1, None])
    def test_a_random_seed_is_the_graphs_sampler_seed(self, seed):
        fields = {
            "prompt": json.dumps(tensorart_graph(seed=99)),
            "generation_data": generation_data(seed=seed),
        }
        assert interpret(fields).seed == 99

    def test_fields_the_generation_data_lacks_come_from_the_graph(self):
        data = json.dumps({"seed": "-1"}) + "\x00"
        found = interpret({"prompt": json.dumps(tensorart_graph(seed=5)), "generation_data": data})
        assert found == EmbeddedMetadata(
            tool="tensorart",
            prompt="embedding:EMS-20-EMS, a fox in the snow, <lora:EMS-9-EMS:0.8>",
            negative_prompt="embedding:EMS-3-EMS, blurry",
            seed=5,
            model="EMS-71452-EMS.safetensors",
        )

    def test_generation_data_that_is_not_json_leaves_the_graph_to_speak(self):
        found = interpret({"prompt": json.dumps(tensorart_graph(seed=5)), "generation_data": "{broken\x00"})
        assert (found.tool, found.seed) == ("comfyui", 5)

    def test_a_png_with_both_chunks_is_read(self):
        found = read_png(
            text={
                "generation_data": generation_data(),
                "prompt": json.dumps(tensorart_graph()),
                "workflow": json.dumps({"nodes": []}),
            }
        )
        assert (found.tool, found.prompt, found.model) == ("tensorart", "a fox in the snow", "DreamShaper XL")
