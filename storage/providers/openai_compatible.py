"""An OpenAI-compatible image API (`POST {base}/images/generations`, `b64_json`), set up by environment."""

from __future__ import annotations

import asyncio
import base64
import binascii
import io
from collections.abc import Sequence

import httpx
from PIL import Image

from domain.kernel.errors import ProviderFailed
from domain.kernel.media import ImageRequest, MadeImage
from storage.images.inspector import sniff

MAX_RESPONSE_BYTES = 100_000_000
_MIME = {"PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp"}


class OpenAICompatibleProvider:
    """Calls an OpenAI-compatible service; errors become ProviderFailed without the key or the body."""

    def __init__(
        self,
        *,
        base_url: str,
        api_key: str,
        model: str,
        credits_per_image: int = 4,
        timeout: float = 120,
        name: str = "openai",
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.name = name
        self.model = model
        self._url = base_url.rstrip("/") + "/images/generations"
        self._key = api_key
        self._credits = credits_per_image
        self._timeout = httpx.Timeout(timeout, connect=10)
        self._transport = transport

    def cost(self, request: ImageRequest) -> int:
        return self._credits * request.count

    async def generate(self, request: ImageRequest) -> Sequence[MadeImage]:
        prompt = request.prompt
        if request.negative_prompt:  # the API has no negative prompt; say it in words
            prompt += f"\n\nAvoid: {request.negative_prompt}"
        payload = {
            "model": self.model,
            "prompt": prompt,
            "n": request.count,
            "size": f"{request.width}x{request.height}",
            "response_format": "b64_json",
        }
        try:
            async with httpx.AsyncClient(
                timeout=self._timeout, follow_redirects=False, transport=self._transport
            ) as client:
                response = await client.post(
                    self._url, json=payload, headers={"authorization": f"Bearer {self._key}"}
                )
        except httpx.TimeoutException:
            raise ProviderFailed(f"the {self.name} provider timed out; no credits were spent") from None
        except httpx.HTTPError as e:
            raise ProviderFailed(f"the {self.name} provider is unreachable ({type(e).__name__})") from None
        if response.status_code != 200:
            raise ProviderFailed(
                f"the {self.name} provider answered HTTP {response.status_code}; no credits were spent"
            )
        if len(response.content) > MAX_RESPONSE_BYTES:
            raise ProviderFailed(f"the {self.name} provider's answer is too large")
        try:
            items = response.json()["data"]
            blobs = [base64.b64decode(item["b64_json"], validate=True) for item in items[: request.count]]
        except (ValueError, KeyError, TypeError, binascii.Error):
            raise ProviderFailed(f"the {self.name} provider's answer is not in the expected format") from None
        return await asyncio.to_thread(lambda: [_made(data) for data in blobs])


def _made(data: bytes) -> MadeImage:
    fmt = sniff(data[:16])
    if fmt is None:
        raise ProviderFailed("the provider sent something that is not a PNG, JPEG or WebP image")
    try:
        with Image.open(io.BytesIO(data), formats=[fmt]) as image:
            width, height = image.size
    except (OSError, ValueError) as e:
        raise ProviderFailed(f"the provider sent a damaged image ({type(e).__name__})") from None
    return MadeImage(data, _MIME[fmt], width, height, None)
