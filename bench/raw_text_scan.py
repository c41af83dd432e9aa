"""How long the upload's raw text scan takes on the largest files we accept: a 40-megapixel PNG, a 20 MB JPEG.

Every upload's bytes are searched for runs of printable text, which then pass the
credential guard (storage/images/metadata/raw_text.py). Run from the repository root:

    .venv/bin/python bench/raw_text_scan.py

The images are noise over a gradient, so that they compress like photos (their bytes
close to random); a PNG saved without compression is there for the runs' length. For
each file it prints its size, the runs found, the time to find them, the guard's time
over them, and the whole inspection (decoding included); best of 3.
"""

from __future__ import annotations

import asyncio
import io
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PIL import Image

from domain.kernel import prompt_guard
from domain.kernel.media import SpooledFile
from storage.images.inspector import MAX_METADATA_TEXT, PillowInspector
from storage.images.metadata.raw_text import Runs
from storage.secret_scanner import DetectSecretsScanner

RUNS = 3


def photo(width: int, height: int, *, grain: int = 1, amount: float = 0.35) -> Image.Image:
    """Noise (each value spread over `grain` pixels) blended over a gradient."""
    rng = random.Random(width)
    size = (width // grain, height // grain)
    noise = Image.frombytes("RGB", size, rng.randbytes(size[0] * size[1] * 3)).resize(
        (width, height), Image.BICUBIC
    )
    gradient = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    return Image.blend(gradient, noise, amount)


def encoded(image: Image.Image, fmt: str, **options: object) -> bytes:
    out = io.BytesIO()
    image.save(out, format=fmt, **options)
    return out.getvalue()


def best(work) -> float:
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    prompt_guard.use(DetectSecretsScanner())
    width, height = 7744, 5164  # 39.99 megapixels, just under the cap
    files = {
        # coarse noise: a 40 MP PNG of fine noise is over the 50 MB upload cap
        "PNG 7744x5164 (40 MP)": encoded(photo(width, height, grain=16, amount=0.5), "PNG"),
        "JPEG 7744x5164 q95": encoded(photo(width, height, amount=0.16), "JPEG", quality=95),
        "PNG 2400x2400 stored, no compression": encoded(photo(2400, 2400), "PNG", compress_level=0),
    }
    inspector = PillowInspector()
    with tempfile.TemporaryDirectory() as folder:
        for name, data in files.items():
            runs = Runs(MAX_METADATA_TEXT)
            find = best(lambda data=data: Runs(MAX_METADATA_TEXT).add_from(data))
            runs.add_from(data)
            guard = best(lambda text=runs.text(): prompt_guard.find_secret(text))
            path = Path(folder) / "upload"
            path.write_bytes(data)
            spooled = SpooledFile(str(path), len(data), "")
            whole = best(lambda spooled=spooled: asyncio.run(inspector.inspect(spooled)))
            print(
                f"{name}: {len(data) / 1e6:.1f} MB, {len(runs.runs):,} runs, {runs.size:,} characters; "
                f"find {find * 1000:.0f} ms, guard {guard * 1000:.0f} ms, "
                f"whole inspection {whole * 1000:.0f} ms"
            )


if __name__ == "__main__":
    main()
