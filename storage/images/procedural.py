"""The built-in `procedural` image maker: a real, deterministic PNG drawn from a prompt and a seed."""

from __future__ import annotations

import hashlib
import io
import random

from PIL import Image, ImageDraw


def render_png(prompt: str, seed: int, width: int, height: int) -> bytes:
    """Draw a gradient with shapes; the same prompt, seed and size always give the same bytes."""
    digest = hashlib.sha256(f"{seed}:{prompt}".encode()).digest()
    rng = random.Random(digest)
    top = tuple(rng.randrange(256) for _ in range(3))
    bottom = tuple(rng.randrange(256) for _ in range(3))
    # a vertical gradient, built as one column and stretched: cheap at any size
    column = Image.new("RGB", (1, height))
    for y in range(height):
        mix = y / max(1, height - 1)
        column.putpixel((0, y), tuple(round(a + (b - a) * mix) for a, b in zip(top, bottom, strict=True)))
    image = column.resize((width, height))
    draw = ImageDraw.Draw(image, "RGBA")
    for _ in range(rng.randrange(4, 12)):
        x0, y0 = rng.randrange(width), rng.randrange(height)
        size = rng.randrange(min(width, height) // 10, min(width, height) // 2)
        fill = (rng.randrange(256), rng.randrange(256), rng.randrange(256), rng.randrange(90, 200))
        box = (x0 - size, y0 - size, x0 + size, y0 + size)
        if rng.random() < 0.5:
            draw.ellipse(box, fill=fill)
        else:
            draw.rectangle(box, fill=fill)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False)
    return out.getvalue()
