"""ComfyUI: the API graph in the `prompt` chunk, walked from its samplers."""

from __future__ import annotations

import json

from PIL import Image

from domain.kernel.media import EmbeddedMetadata
from storage.images.metadata import comfyui, read_metadata
from tests.unit.image_metadata.builders import FLUX_NODES, comfy_graph, read_png, reopen, with_exif


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


def node(class_type: str, **inputs: object) -> dict:
    return {"class_type": class_type, "inputs": inputs}


def sampler(seed: int, positive: str, negative: str, model: str, latent: str, **extra: object) -> dict:
    return node(
        "KSampler",
        seed=seed,
        steps=20,
        cfg=7.0,
        model=[model, 0],
        positive=[positive, 0],
        negative=[negative, 0],
        latent_image=[latent, 0],
        **extra,
    )


def hires_fix() -> dict:
    """A first pass, a latent upscale, a second pass with its own seed, then decode and save."""
    return {
        "4": node("CheckpointLoaderSimple", ckpt_name="base.safetensors"),
        "5": node("EmptyLatentImage", width=512, height=512, batch_size=1),
        "6": node("CLIPTextEncode", text="a harbour town at dawn", clip=["4", 1]),
        "7": node("CLIPTextEncode", text="lowres", clip=["4", 1]),
        "3": sampler(111, "6", "7", "4", "5"),
        "10": node("LatentUpscaleBy", samples=["3", 0], scale_by=1.5),
        "11": sampler(222, "6", "7", "4", "10", denoise=0.5),
        "12": node("VAEDecode", samples=["11", 0], vae=["4", 2]),
        "13": node("SaveImage", images=["12", 0], filename_prefix="ComfyUI"),
    }


def read_graph(graph: dict) -> EmbeddedMetadata | None:
    return comfyui.read(json.dumps(graph))


class TestSeveralSamplers:
    """Prompt, seed and model are those of the sampler that made the saved image."""

    def test_a_hires_fix_gives_the_second_pass_seed(self):
        found = read_graph(hires_fix())
        assert found == EmbeddedMetadata(
            tool="comfyui",
            prompt="a harbour town at dawn",
            negative_prompt="lowres",
            seed=222,
            model="base.safetensors",
        )

    def test_a_branch_that_ends_in_a_preview_is_not_the_saved_image(self):
        graph = hires_fix()
        # a draft branch with its own prompt, first in node order, shown but never saved
        graph["1"] = node("CLIPTextEncode", text="a rough sketch", clip=["4", 1])
        graph["2"] = sampler(9, "1", "7", "4", "5")
        graph["20"] = node("VAEDecode", samples=["2", 0], vae=["4", 2])
        graph["21"] = node("PreviewImage", images=["20", 0])
        found = read_graph(graph)
        assert (found.prompt, found.seed) == ("a harbour town at dawn", 222)

    def test_a_preview_is_read_when_nothing_is_saved(self):
        graph = hires_fix()
        graph["13"] = node("PreviewImage", images=["12", 0])
        assert read_graph(graph).seed == 222

    def test_a_refiner_pass_gives_the_refiners_prompt_seed_and_checkpoint(self):
        graph = hires_fix()
        graph["30"] = node("CheckpointLoaderSimple", ckpt_name="sd_xl_refiner_1.0.safetensors")
        graph["31"] = node("CLIPTextEncodeSDXLRefiner", text="a harbour town, refined", ascore=6)
        graph["32"] = node("CLIPTextEncodeSDXLRefiner", text="lowres, refined", ascore=2.5)
        graph["11"] = node(
            "KSamplerAdvanced",
            noise_seed=333,
            model=["30", 0],
            positive=["31", 0],
            negative=["32", 0],
            latent_image=["3", 0],
            add_noise="disable",
        )
        assert read_graph(graph) == EmbeddedMetadata(
            tool="comfyui",
            prompt="a harbour town, refined",
            negative_prompt="lowres, refined",
            seed=333,
            model="sd_xl_refiner_1.0.safetensors",
        )

    def test_area_composition_joins_the_areas_of_the_final_sampler_only(self):
        graph = hires_fix()
        graph["40"] = node("CLIPTextEncode", text="a red sky", clip=["4", 1])
        graph["41"] = node("ConditioningSetArea", conditioning=["40", 0], width=512, height=256, x=0, y=0)
        graph["42"] = node("CLIPTextEncode", text="a calm sea", clip=["4", 1])
        graph["43"] = node("ConditioningSetArea", conditioning=["42", 0], width=512, height=256, x=0, y=256)
        graph["44"] = node("ConditioningCombine", conditioning_1=["41", 0], conditioning_2=["43", 0])
        graph["11"]["inputs"]["positive"] = ["44", 0]
        found = read_graph(graph)
        # the first pass's "a harbour town at dawn" is another sampler's text: not joined in
        assert (found.prompt, found.negative_prompt, found.seed) == ("a red sky\na calm sea", "lowres", 222)

    def test_image_nodes_between_the_decoder_and_the_save_node_are_walked_through(self):
        graph = hires_fix()
        # the second pass starts from the first pass's pixels, upscaled and encoded again
        graph["10"] = node("VAEDecode", samples=["3", 0], vae=["4", 2])
        graph["14"] = node("ImageUpscaleWithModel", upscale_model=["15", 0], image=["10", 0])
        graph["15"] = node("UpscaleModelLoader", model_name="4x.pth")
        graph["16"] = node("VAEEncode", pixels=["14", 0], vae=["4", 2])
        graph["11"]["inputs"]["latent_image"] = ["16", 0]
        graph["17"] = node("ImageScaleBy", image=["12", 0], scale_by=0.5)
        graph["13"] = node("Image Save", images=["17", 0], output_path="out")  # WAS node suite
        assert read_graph(graph).seed == 222

    def test_the_final_samplers_gaps_are_filled_from_the_other_samplers(self):
        graph = hires_fix()
        graph["11"]["inputs"]["positive"] = ["50", 0]
        graph["50"] = node("SomeCustomConditioning", magic=["6", 0])  # a node the reader cannot follow
        found = read_graph(graph)
        assert (found.prompt, found.negative_prompt, found.seed) == ("a harbour town at dawn", "lowres", 222)

    def test_cyclic_image_links_end_without_raising(self):
        graph = hires_fix()
        graph["17"] = node("ImageBlend", image1=["18", 0], image2=["12", 0])
        graph["18"] = node("ImageBlend", image1=["17", 0], image2=["18", 0])
        graph["13"] = node("SaveImage", images=["17", 0])
        assert read_graph(graph).seed == 222

    def test_a_save_node_too_far_from_any_sampler_falls_back_to_the_first_sampler(self):
        graph = hires_fix()
        previous = "12"
        for index in range(100, 140):  # 40 image nodes in a row: past the walk's depth
            graph[str(index)] = node("ImageSharpen", image=[previous, 0])
            previous = str(index)
        graph["13"] = node("SaveImage", images=[previous, 0])
        assert read_graph(graph).seed == 111
