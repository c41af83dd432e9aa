"""Reading how an image was made from the metadata other tools embed: real files built with Pillow."""

from __future__ import annotations

import json
import random
from io import BytesIO

import pytest
from PIL import Image, PngImagePlugin

import storage.image_metadata as image_metadata
from domain.ports import EmbeddedMetadata
from storage.image_metadata import read_metadata

EXIF_IFD = 0x8769
USER_COMMENT = 0x9286


def reopen(data: bytes) -> Image.Image:
    return Image.open(BytesIO(data), formats=["PNG", "JPEG", "WEBP"])


def png(*, text: dict[str, str | bytes] | None = None, itxt=None, ztxt=None, exif=None) -> bytes:
    """A real PNG; str values are tEXt (or iTXt when not Latin-1), bytes values are raw tEXt bytes."""
    info = PngImagePlugin.PngInfo()
    for key, value in (text or {}).items():
        info.add_text(key, value)
    for key, value in (itxt or {}).items():
        info.add_itxt(key, value)
    for key, value in (ztxt or {}).items():
        info.add_text(key, value, zip=True)
    out = BytesIO()
    extra = {"exif": exif.tobytes()} if exif is not None else {}
    Image.new("RGBA", (8, 8), (10, 20, 30, 255)).save(out, "PNG", pnginfo=info, **extra)
    return out.getvalue()


def with_exif(fmt: str, exif: Image.Exif) -> bytes:
    out = BytesIO()
    Image.new("RGB", (8, 8), (200, 100, 50)).save(out, fmt, exif=exif.tobytes())
    return out.getvalue()


def user_comment_exif(comment: bytes, *, endian: str = ">") -> Image.Exif:
    exif = Image.Exif()
    exif.endian = endian
    exif.get_ifd(EXIF_IFD)[USER_COMMENT] = comment
    return exif


def read_png(**kwargs) -> EmbeddedMetadata:
    return read_metadata(reopen(png(**kwargs)))


def nested(depth: int) -> object:
    value: object = "deep"
    for _ in range(depth):
        value = [value]
    return value


A1111_TEXT = (
    "masterpiece, a red fox\nin the snow, (detailed fur:1.2)\n"
    "Negative prompt: blurry, lowres\nwatermark\n"
    "Steps: 28, Sampler: DPM++ 2M Karras, CFG scale: 7, Seed: 3141592653, Size: 832x1216, Model hash: 31e35c80fc, "
    'Model: sd_xl_base_1.0, Lora hashes: "detail: 0a1b2c, style, v2: 3d4e5f", Version: v1.10.1'
)


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


def comfy_graph(*, seed: object = 0, positive_text: object = "a lighthouse at dusk") -> dict:
    return {
        "3": {
            "class_type": "KSampler",
            "inputs": {
                "seed": seed,
                "steps": 20,
                "cfg": 7.0,
                "sampler_name": "euler",
                "model": ["10", 0],
                "positive": ["6", 0],
                "negative": ["7", 0],
                "latent_image": ["5", 0],
            },
        },
        "4": {"class_type": "CheckpointLoaderSimple", "inputs": {"ckpt_name": "dreamshaper_8.safetensors"}},
        "5": {"class_type": "EmptyLatentImage", "inputs": {"width": 512, "height": 512, "batch_size": 1}},
        "6": {"class_type": "CLIPTextEncode", "inputs": {"text": positive_text, "clip": ["10", 1]}},
        "7": {"class_type": "CLIPTextEncode", "inputs": {"text": "blurry, text", "clip": ["10", 1]}},
        "10": {
            "class_type": "LoraLoader",
            "inputs": {"lora_name": "film.safetensors", "model": ["4", 0], "clip": ["4", 1]},
        },
        "8": {"class_type": "VAEDecode", "inputs": {"samples": ["3", 0], "vae": ["4", 2]}},
    }


FLUX_NODES = {
    "6": {"class_type": "CLIPTextEncode", "inputs": {"text": "a koi pond, morning mist", "clip": ["11", 0]}},
    "11": {"class_type": "DualCLIPLoader", "inputs": {"clip_name1": "t5xxl.safetensors", "type": "flux"}},
    "12": {"class_type": "UNETLoader", "inputs": {"unet_name": "flux1-dev.safetensors"}},
    "13": {
        "class_type": "SamplerCustomAdvanced",
        "inputs": {
            "noise": ["25", 0],
            "guider": ["22", 0],
            "sampler": ["16", 0],
            "sigmas": ["17", 0],
            "latent_image": ["27", 0],
        },
    },
    "16": {"class_type": "KSamplerSelect", "inputs": {"sampler_name": "euler"}},
    "17": {"class_type": "BasicScheduler", "inputs": {"model": ["30", 0], "steps": 20}},
    "25": {"class_type": "RandomNoise", "inputs": {"noise_seed": 915130421776447}},
    "26": {"class_type": "FluxGuidance", "inputs": {"conditioning": ["6", 0], "guidance": 3.5}},
    "27": {"class_type": "EmptySD3LatentImage", "inputs": {"width": 1024, "height": 1024}},
    "30": {"class_type": "ModelSamplingFlux", "inputs": {"model": ["12", 0], "max_shift": 1.15}},
}


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


class TestSwarmUI:
    SWARM = {
        "sui_image_params": {
            "prompt": "a snow leopard",
            "negativeprompt": "blur",
            "model": "OfficialStableDiffusion/sd_xl_base_1.0",
            "seed": 1708241467,
            "steps": 20,
        },
        "sui_extra_data": {"date": "2024-01-01"},
    }

    def test_json_in_parameters_gives_the_sui_image_params(self):
        found = read_png(text={"parameters": json.dumps(self.SWARM)})
        assert found == EmbeddedMetadata(
            tool="swarmui",
            prompt="a snow leopard",
            negative_prompt="blur",
            seed=1708241467,
            model="OfficialStableDiffusion/sd_xl_base_1.0",
        )

    def test_json_in_a_jpeg_user_comment_is_read(self):
        comment = b"UNICODE\x00" + json.dumps(self.SWARM).encode("utf-16-le")
        found = read_metadata(reopen(with_exif("JPEG", user_comment_exif(comment, endian="<"))))
        assert (found.tool, found.prompt) == ("swarmui", "a snow leopard")


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


class TestHostileInput:
    def test_invalid_json_gives_empty_metadata(self):
        found = read_png(text={"invokeai_metadata": '{"positive_prompt": "a', "prompt": "{not json"})
        assert found == EmbeddedMetadata()

    def test_a_text_chunk_over_a_million_characters_is_ignored_before_any_parsing(self, monkeypatch):
        parsed: list[str] = []
        monkeypatch.setattr(image_metadata, "_a1111", lambda text: parsed.append(text))
        huge = "a" * 2_000_001 + "\nSteps: 20, Sampler: Euler, Seed: 1"
        assert read_png(text={"parameters": huge}) == EmbeddedMetadata()
        assert parsed == []

    def test_a_text_chunk_just_under_the_limit_is_still_read(self):
        text = "a" * 900_000 + "\nSteps: 20, Sampler: Euler, Seed: 1"
        assert read_png(text={"parameters": text}).seed == 1

    def test_json_nested_ten_thousand_levels_deep_gives_empty_metadata(self):
        deep = "[" * 10_000 + "]" * 10_000
        assert read_png(
            text={"prompt": deep, "invokeai_metadata": '{"a":' * 10_000 + "1" + "}" * 10_000}
        ) == (EmbeddedMetadata())

    def test_json_nesting_is_allowed_to_depth_64_and_refused_beyond(self):
        allowed = {"positive_prompt": "ok", "extra": nested(63)}
        refused = {"positive_prompt": "ok", "extra": nested(64)}
        assert read_png(text={"invokeai_metadata": json.dumps(allowed)}).prompt == "ok"
        assert read_png(text={"invokeai_metadata": json.dumps(refused)}) == EmbeddedMetadata()

    def test_brackets_inside_json_strings_do_not_count_as_nesting(self):
        metadata = {"positive_prompt": "[" * 500 + "{" * 500, "seed": 1}
        assert read_png(text={"invokeai_metadata": json.dumps(metadata)}).seed == 1

    def test_cyclic_links_in_a_comfyui_graph_end_without_raising(self):
        graph = comfy_graph(seed=["60", 0], positive_text=["61", 0])
        graph["3"]["inputs"]["negative"] = ["62", 0]
        graph["3"]["inputs"]["model"] = ["63", 0]
        graph["60"] = {"class_type": "Seed", "inputs": {"seed": ["60", 0]}}
        graph["61"] = {"class_type": "String", "inputs": {"text": ["61", 0]}}
        graph["62"] = {"class_type": "ConditioningCombine", "inputs": {"conditioning_1": ["64", 0]}}
        graph["64"] = {"class_type": "ConditioningConcat", "inputs": {"conditioning_to": ["62", 0]}}
        graph["63"] = {"class_type": "LoraLoader", "inputs": {"model": ["63", 0]}}
        found = read_png(text={"prompt": json.dumps(graph)})
        assert found == EmbeddedMetadata(tool="comfyui", model="dreamshaper_8.safetensors")

    def test_a_long_chain_of_links_is_followed_only_32_deep(self):
        graph = comfy_graph(positive_text=["100", 0])
        for index in range(100, 150):
            graph[str(index)] = {"class_type": "String", "inputs": {"text": [str(index + 1), 0]}}
        graph["150"] = {"class_type": "String", "inputs": {"text": "too far away"}}
        found = read_png(text={"prompt": json.dumps(graph)})
        assert (found.prompt, found.negative_prompt) == ("", "blurry, text")

    def test_a_comfyui_graph_with_5000_nodes_is_ignored(self):
        graph = comfy_graph(seed=1)
        for index in range(1000, 6000):
            graph[str(index)] = {"class_type": "CLIPTextEncode", "inputs": {"text": "x"}}
        assert read_png(text={"prompt": json.dumps(graph)}) == EmbeddedMetadata()

    @pytest.mark.parametrize("seed", [2**70, "abc", -5, 1.5, True, "-5", "9" * 5000, None])
    def test_a_seed_that_is_not_an_int_in_range_becomes_none_and_the_rest_is_kept(self, seed):
        found = read_png(text={"invokeai_metadata": json.dumps({"positive_prompt": "a moth", "seed": seed})})
        assert (found.prompt, found.seed) == ("a moth", None)

    def test_the_largest_63_bit_seed_is_kept(self):
        found = read_png(text={"invokeai_metadata": json.dumps({"positive_prompt": "x", "seed": 2**63 - 1})})
        assert found.seed == 2**63 - 1

    @pytest.mark.parametrize("prefix", [b"", b"UNICODE\x00", b"ASCII\x00\x00\x00"])
    def test_random_bytes_in_the_user_comment_give_empty_metadata(self, prefix):
        noise = random.Random(1234).randbytes(4000)
        exif = user_comment_exif(prefix + noise)
        assert read_metadata(reopen(with_exif("JPEG", exif))) == EmbeddedMetadata()

    def test_prompts_are_truncated_to_20000_characters(self):
        text = "p" * 50_000 + "\nNegative prompt: " + "n" * 50_000 + "\nSteps: 20, Sampler: Euler, Seed: 1"
        found = read_png(text={"parameters": text})
        assert (len(found.prompt), len(found.negative_prompt)) == (20_000, 20_000)

    @pytest.mark.parametrize(
        "text",
        [
            "Steps:" + "a" * 900_000,  # a long run without a colon: A1111's own regex is quadratic here
            "Steps: 1, " * 90_000,
            'Steps: "' + '\\"' * 400_000,
        ],
    )
    def test_long_hostile_settings_lines_are_read_in_linear_time(self, text):
        read_png(text={"parameters": text})

    def test_unterminated_escaped_json_strings_are_scanned_in_linear_time(self):
        read_png(text={"invokeai_metadata": '{"a": "' + '\\"' * 400_000})

    def test_a_truncated_png_still_gives_the_chunks_before_its_pixels(self):
        data = png(text={"parameters": A1111_TEXT})
        found = read_metadata(reopen(data[: data.index(b"IDAT") + 6]))
        assert found.seed == 3141592653

    def test_an_image_that_fails_when_read_gives_empty_metadata(self):
        class Exploding(Image.Image):
            @property
            def info(self):
                raise OSError("disk on fire")

            @info.setter
            def info(self, value):
                pass

        assert read_metadata(Exploding()) == EmbeddedMetadata()

    def test_a_broken_exif_block_does_not_lose_the_png_chunks(self, monkeypatch):
        image = reopen(png(text={"parameters": A1111_TEXT}, exif=Image.Exif()))

        def explode():
            raise SyntaxError("bad exif")

        monkeypatch.setattr(image, "getexif", explode)
        assert read_metadata(image).seed == 3141592653
