"""Runs of printable text in raw bytes and in a PNG's compressed containers; no false alarms on real images."""

from __future__ import annotations

import io
import random
import struct
import zlib
from collections.abc import Callable
from functools import partial
from pathlib import Path

import pytest
from PIL import Image

from domain.kernel.media import SpooledFile
from domain.kernel.prompt_guard import find_secret
from storage.images.inspector import PillowInspector
from storage.images.metadata.raw_text import Runs, TooMuchText, png_containers
from storage.images.procedural import render_png
from tests import images, texts


def runs_of(data: bytes, budget: int = 1_000_000) -> list[str]:
    runs = Runs(budget)
    runs.add_from(data)
    return runs.runs


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


class TestRuns:
    def test_ascii_runs_of_eight_or_more_characters_are_found_and_shorter_ones_are_not(self):
        assert runs_of(b"\x01\x02seven!!\x00eight!!!\xffand a longer one\x03") == [
            "eight!!!",
            "and a longer one",
        ]

    def test_a_run_spans_utf8_characters_on_both_sides_of_its_ascii_seed(self):
        text = "ключ\u200bsk-proj-abcdefgh"
        assert runs_of(b"\x00\x01" + text.encode() + b"\xff") == [text]

    def test_utf16_text_of_the_ascii_range_is_found_in_either_byte_order(self):
        assert runs_of(b"\x01" + "little endian".encode("utf-16-le") + b"\x01") == ["little endian"]
        assert runs_of(b"\x01" + "big endian".encode("utf-16-be") + b"\x01") == ["big endian"]
        assert runs_of("seven!!".encode("utf-16-le")) == []

    def test_broken_utf8_ends_a_run(self):
        assert runs_of(b"abcdefgh\xc3(xyz") == ["abcdefgh"]

    def test_more_characters_than_the_budget_raise(self):
        with pytest.raises(TooMuchText, match="more than 100 characters"):
            runs_of(b"abcdefghij\x01" * 11, budget=100)


class TestPngContainers:
    def test_compressed_texts_and_profiles_are_inflated_wherever_they_sit(self):
        good = images.png(8, 8)
        data = (
            good[:33]
            + _chunk(b"iCCP", b"icc\x00\x00" + zlib.compress(b"profile words"))
            + _chunk(b"iTXt", b"k\x00\x01\x00en\x00tk\x00" + zlib.compress(b"inflated itxt"))
            + good[33:]
            + _chunk(b"zTXt", b"late\x00\x00" + zlib.compress(b"after the end"))
        )
        found = [(c.kind, c.content) for c in png_containers(data, max_inflated=1000, budget=10_000)]
        assert found == [("iCCP", b"profile words"), ("iTXt", b"inflated itxt"), ("zTXt", b"after the end")]

    def test_one_container_over_the_bound_raises_naming_its_chunk(self):
        data = images.png_with_text_bomb(2_000)
        with pytest.raises(TooMuchText, match=r"compressed text \(zTXt chunk\) is too large"):
            list(png_containers(data, max_inflated=1_000, budget=10_000))

    def test_all_containers_together_over_the_budget_raise(self):
        chunk = _chunk(b"zTXt", b"k\x00\x00" + zlib.compress(b"x" * 900))
        data = images.png(8, 8)[:33] + chunk * 20
        with pytest.raises(TooMuchText, match="all chunks together"):
            list(png_containers(data, max_inflated=1_000, budget=10_000))

    def test_a_container_that_does_not_inflate_is_left_to_the_raw_scan(self):
        data = images.png(8, 8)[:33] + _chunk(b"zTXt", b"k\x00\x00not zlib at all")
        assert list(png_containers(data, max_inflated=1_000, budget=10_000)) == []


def _photo(width: int, height: int, seed: int) -> Image.Image:
    """Noise over a gradient: compresses like a photo, so its bytes are close to random."""
    rng = random.Random(seed)
    noise = Image.frombytes("RGB", (width, height), rng.randbytes(width * height * 3))
    gradient = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    return Image.blend(gradient, noise, 0.35)


def _encoded(image: Callable[[], Image.Image], fmt: str, **options) -> bytes:
    out = io.BytesIO()
    image().save(out, format=fmt, **options)
    return out.getvalue()


def _real_images() -> list[tuple[str, Callable[[], bytes]]]:
    """Each image as a builder, made when its test runs rather than when the tests are collected."""
    found: list[tuple[str, Callable[[], bytes]]] = [
        ("tests.images.png", images.png),
        ("tests.images.png with A1111", lambda: images.png(text={"parameters": images.A1111})),
        ("tests.images.jpeg", images.jpeg),
        ("tests.images.webp", images.webp),
        ("tests.images.animated_webp", lambda: images.animated_webp(5)),
    ]
    for i, (width, height) in enumerate([(64, 64), (512, 512), (1024, 768), (768, 1344)]):
        prompt = texts.PROMPTS[i % len(texts.PROMPTS)]
        found.append((f"procedural {width}x{height}", partial(render_png, prompt, i, width, height)))
    for width, height in [(320, 240), (1024, 1024), (2048, 1536)]:
        photo = partial(_photo, width, height, width)
        for quality in (50, 85, 95):
            found.append(
                (f"JPEG {width}x{height} q{quality}", partial(_encoded, photo, "JPEG", quality=quality))
            )
        found.append((f"WebP {width}x{height}", partial(_encoded, photo, "WEBP", quality=80)))
        found.append((f"WebP lossless {width}x{height}", partial(_encoded, photo, "WEBP", lossless=True)))
        found.append((f"PNG {width}x{height}", partial(_encoded, photo, "PNG")))
        found.append((f"PNG stored {width}x{height}", partial(_encoded, photo, "PNG", compress_level=0)))
    return found


REAL_IMAGES = _real_images()


class TestNoFalseAlarms:
    @pytest.mark.parametrize(("name", "build"), REAL_IMAGES, ids=[name for name, _ in REAL_IMAGES])
    async def test_real_images_hold_no_credential_and_stay_within_the_bound(
        self, tmp_path: Path, name, build
    ):
        data = build()
        path = tmp_path / "upload"
        path.write_bytes(data)
        facts = await PillowInspector().inspect(SpooledFile(str(path), len(data), ""))
        assert [find_secret(text) for text in facts.metadata.texts] == [None] * len(facts.metadata.texts)

    async def test_the_raw_scan_reads_the_bytes_of_a_real_photo(self, tmp_path: Path):
        data = _encoded(partial(_photo, 2048, 1536, 1), "JPEG", quality=95)
        path = tmp_path / "upload"
        path.write_bytes(data)
        facts = await PillowInspector().inspect(SpooledFile(str(path), len(data), ""))
        assert facts.metadata.texts[-1].count("\n") > 10  # compressed bytes hold short runs by chance
