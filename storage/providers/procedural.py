"""The built-in `procedural` provider: real, deterministic PNGs drawn with Pillow, for demos and tests."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from domain.kernel.media import ImageRequest, MadeImage
from storage.images.procedural import render_png

DRAW_LONG_SIDE = (
    512  # drawn smaller than asked, keeping the shape: it is a stand-in, and PNG encoding is slow
)


class ProceduralProvider:
    """Draws a gradient with shapes from the prompt and seed; one credit an image."""

    name = "procedural"
    model = "procedural-v1"
    credits_per_image = 1

    def cost(self, request: ImageRequest) -> int:
        return self.credits_per_image * request.count

    async def generate(self, request: ImageRequest) -> Sequence[MadeImage]:
        scale = DRAW_LONG_SIDE / max(request.width, request.height)
        width, height = max(1, round(request.width * scale)), max(1, round(request.height * scale))

        def draw() -> list[MadeImage]:
            return [
                MadeImage(
                    render_png(request.prompt, request.seed + i, width, height),
                    "image/png",
                    width,
                    height,
                    request.seed + i,
                )
                for i in range(request.count)
            ]

        return await asyncio.to_thread(draw)
