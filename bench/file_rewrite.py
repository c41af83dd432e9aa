"""What serving a file costs: the one-time rewrite of an original (personal data out, XMP in) per format
and size, and reading the cached copy back, against Pillow decoding the same image once.

Run from the repository root:

    .venv/bin/python bench/file_rewrite.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from domain.files.model import XmpProvenance
from storage.files.jpeg import MAX_XMP_BYTES, rewrite_jpeg
from storage.files.png import rewrite_png
from storage.files.webp import rewrite_webp
from storage.files.xmp import xmp_packet

PROVENANCE = XmpProvenance.of(
    provider="openai",
    model="gpt-image-1",
    prompt="a fox in the snow, " * 200,
    negative_prompt="blur",
    writer="Zoë",
)
REWRITERS = {"JPEG": rewrite_jpeg, "PNG": rewrite_png, "WEBP": rewrite_webp}


def image(fmt: str, width: int, height: int) -> bytes:
    noise = Image.effect_noise((width, height), 64).convert("RGB")  # incompressible enough to be realistic
    exif = Image.Exif()
    exif[0x013B] = "Jane Roe"
    exif.get_ifd(0x8825)[1] = "N"
    out = io.BytesIO()
    noise.save(out, format=fmt, exif=exif.tobytes(), **({"quality": 90} if fmt != "PNG" else {}))
    return out.getvalue()


def median_ms(work, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def measure(fmt: str, width: int, height: int, repeat: int) -> str:
    """One row: the original's size, the rewrite's, a full decode's and a cached copy's read time (median)."""
    data = image(fmt, width, height)
    rewrite = REWRITERS[fmt]
    packet = xmp_packet(PROVENANCE, max_bytes=MAX_XMP_BYTES if fmt == "JPEG" else None)
    rewrite_ms = median_ms(lambda: rewrite(data, packet), repeat)
    decode_ms = median_ms(lambda: Image.open(io.BytesIO(data)).load(), repeat)
    with tempfile.NamedTemporaryFile() as copy:
        copy.write(rewrite(data, packet))
        copy.flush()
        read_ms = median_ms(lambda: Path(copy.name).read_bytes(), repeat)
    size = f"{width}x{height}"
    return f"{fmt:6} {size:>11} {len(data):>11,} {rewrite_ms:>11.1f} {decode_ms:>10.1f} {read_ms:>13.2f}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    repeat = parser.parse_args().repeat
    print(f"{'format':6} {'size':>11} {'bytes':>11} {'rewrite ms':>11} {'decode ms':>10} {'read ms':>13}")
    for fmt in REWRITERS:
        for width, height in ((1024, 1024), (4000, 3000)):
            print(measure(fmt, width, height, repeat))


if __name__ == "__main__":
    main()
