"""ComfyUI: the API graph in the `prompt` chunk, walked from its samplers."""

from __future__ import annotations

import json

from PIL import Image

from domain.media import EmbeddedMetadata
from storage.image_metadata import read_metadata
from tests.unit.image_metadata.builders import (
    FLUX_NODES,
    comfy_graph,
    read_png,
    reopen,
    with_exif,
)


class TestComfyUI:
    def test_a_ksampler_graph_gives_prompts_through_clip_text_encode_the_seed_and_the_checkpoint(self):
        found = read_png(text={"prompt": json.dumps(comfy_graph(seed=123)), "workflow": "{}"})
        assert found == EmbeddedMetadata(
            tool="comfyui",
            prompt="a lighthouse at dusk",
            negative_prompt="blurry, text",
            seed=123,
            model="dreamshaper_8.safetensors",
        )

    def test_a_seed_of_zero_is_kept_as_zero(self):
        assert read_png(text={"prompt": json.dumps(comfy_graph(seed=0))}).seed == 0

    def test_a_text_input_linked_to_a_primitive_node_is_followed(self):
        graph = comfy_graph(positive_text=["20", 0])
        graph["20"] = {"class_type": "PrimitiveStringMultiline", "inputs": {"value": ["21", 0]}}
        graph["21"] = {"class_type": "Text Multiline", "inputs": {"text": "a castle in fog"}}
        assert read_png(text={"prompt": json.dumps(graph)}).prompt == "a castle in fog"

    def test_a_seed_linked_to_a_seed_node_is_followed(self):
        graph = comfy_graph(seed=["40", 0])
        graph["40"] = {"class_type": "Seed (rgthree)", "inputs": {"seed": 77}}
        assert read_png(text={"prompt": json.dumps(graph)}).seed == 77

    def test_sdxl_text_g_and_text_l_are_read_once_when_they_repeat(self):
        graph = comfy_graph()
        graph["6"] = {
            "class_type": "CLIPTextEncodeSDXL",
            "inputs": {"text_g": "a heron", "text_l": "a heron"},
        }
        assert read_png(text={"prompt": json.dumps(graph)}).prompt == "a heron"

    def test_flux_with_a_cfg_guider_gives_the_prompts_the_random_noise_seed_and_the_unet(self):
        graph = dict(FLUX_NODES)
        graph["22"] = {
            "class_type": "CFGGuider",
            "inputs": {"model": ["30", 0], "positive": ["26", 0], "negative": ["33", 0], "cfg": 3.0},
        }
        graph["33"] = {"class_type": "CLIPTextEncode", "inputs": {"text": "cartoon", "clip": ["11", 0]}}
        found = read_png(text={"prompt": json.dumps(graph)})
        assert found == EmbeddedMetadata(
            tool="comfyui",
            prompt="a koi pond, morning mist",
            negative_prompt="cartoon",
            seed=915130421776447,
            model="flux1-dev.safetensors",
        )

    def test_flux_with_a_basic_guider_has_no_negative_prompt(self):
        graph = dict(FLUX_NODES)
        graph["22"] = {"class_type": "BasicGuider", "inputs": {"model": ["30", 0], "conditioning": ["26", 0]}}
        found = read_png(text={"prompt": json.dumps(graph)})
        assert (found.prompt, found.negative_prompt, found.seed) == (
            "a koi pond, morning mist",
            "",
            915130421776447,
        )

    def test_a_zeroed_out_negative_is_not_mistaken_for_the_positive_prompt(self):
        graph = dict(FLUX_NODES)
        graph["22"] = {
            "class_type": "CFGGuider",
            "inputs": {"model": ["30", 0], "positive": ["26", 0], "negative": ["33", 0]},
        }
        graph["33"] = {"class_type": "ConditioningZeroOut", "inputs": {"conditioning": ["6", 0]}}
        assert read_png(text={"prompt": json.dumps(graph)}).negative_prompt == ""

    def test_a_controlnet_node_passes_positive_and_negative_through_by_output_index(self):
        graph = comfy_graph()
        graph["3"]["inputs"]["positive"] = ["50", 0]
        graph["3"]["inputs"]["negative"] = ["50", 1]
        graph["50"] = {
            "class_type": "ControlNetApplyAdvanced",
            "inputs": {"positive": ["6", 0], "negative": ["7", 0], "strength": 1.0},
        }
        found = read_png(text={"prompt": json.dumps(graph)})
        assert (found.prompt, found.negative_prompt) == ("a lighthouse at dusk", "blurry, text")

    def test_an_editor_workflow_alone_names_the_tool(self):
        assert read_png(text={"workflow": '{"nodes": [], "links": []}'}) == EmbeddedMetadata(tool="comfyui")

    def test_an_animated_webp_keeps_the_graphs_in_exif_make_and_model(self):
        exif = Image.Exif()
        exif[0x0110] = "prompt:" + json.dumps(comfy_graph(seed=42))
        exif[0x010F] = "workflow:" + json.dumps({"nodes": []})
        found = read_metadata(reopen(with_exif("WEBP", exif)))
        assert (found.tool, found.prompt, found.seed) == ("comfyui", "a lighthouse at dusk", 42)

    def test_a1111_text_written_next_to_a_graph_is_preferred_and_the_graph_names_the_tool(self):
        text = (
            "a painted lighthouse\nNegative prompt: photo\nSteps: 20, Sampler: Euler, Seed: 99, Size: 512x512"
        )
        found = read_png(text={"parameters": text, "prompt": json.dumps(comfy_graph(seed=1))})
        assert found == EmbeddedMetadata(
            tool="comfyui",
            prompt="a painted lighthouse",
            negative_prompt="photo",
            seed=99,
            model="dreamshaper_8.safetensors",  # the text named no model; the graph fills it in
        )
