"""Hostile files: every read is bounded and nothing raises."""

from __future__ import annotations

import json
import random
from io import BytesIO

import pytest
from PIL import Image, PngImagePlugin

from domain.kernel.media import EmbeddedMetadata
from domain.studio.generating import MAX_PROMPT
from storage.images.metadata import automatic1111, read_metadata
from tests.unit.image_metadata.builders import (
    A1111_TEXT,
    comfy_graph,
    nested,
    png,
    read_png,
    reopen,
    user_comment_exif,
    with_exif,
)


class TestHostileInput:
    def test_invalid_json_gives_empty_metadata(self):
        found = read_png(text={"invokeai_metadata": '{"positive_prompt": "a', "prompt": "{not json"})
        assert found == EmbeddedMetadata()

    def test_a_text_chunk_over_a_million_characters_is_ignored_before_any_parsing(self, monkeypatch):
        parsed: list[str] = []
        monkeypatch.setattr(automatic1111, "read", lambda text: parsed.append(text))
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

    def test_prompts_are_truncated_to_the_one_prompt_limit_of_50000_characters(self):
        text = "p" * 60_000 + "\nNegative prompt: " + "n" * 60_000 + "\nSteps: 20, Sampler: Euler, Seed: 1"
        found = read_png(text={"parameters": text})
        assert (len(found.prompt), len(found.negative_prompt)) == (MAX_PROMPT, MAX_PROMPT) == (50_000, 50_000)

    def test_fields_lose_the_control_characters_an_import_would_refuse_and_the_model_is_one_bounded_line(
        self,
    ):
        text = "a fox\x1b[0m\tin snow\x0c\nNegative prompt: dark\x7f\nSteps: 20, Seed: 1, Model: " + "m" * 300
        found = read_png(text={"parameters": text})
        assert (found.prompt, found.negative_prompt, found.model) == ("a fox[0m\tin snow", "dark", "m" * 128)

    @pytest.mark.parametrize(
        "text",
        [
            "Steps:" + "a" * 900_000,  # a long run without a colon: A1111's own regex is quadratic here
            "Steps: 1, " * 90_000,
            'Steps: "' + '\\"' * 400_000,
        ],
    )
    @pytest.mark.timeout(5)  # linear: well under a second; quadratic: minutes
    def test_long_hostile_settings_lines_are_read_in_linear_time(self, text):
        read_png(text={"parameters": text})

    @pytest.mark.timeout(5)
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

    def test_a_broken_exif_block_does_not_lose_the_png_chunks(self):
        info = PngImagePlugin.PngInfo()
        info.add_text("parameters", A1111_TEXT)
        out = BytesIO()
        Image.new("RGB", (8, 8)).save(out, "PNG", pnginfo=info, exif=b"Exif\x00\x00not a TIFF header")
        image = reopen(out.getvalue())
        assert image.info["exif"]  # the broken block is there, and reading it raises
        assert read_metadata(image).seed == 3141592653
