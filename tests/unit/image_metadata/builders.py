"""Builders for the image metadata tests: real files made with Pillow, and ComfyUI graphs."""

from __future__ import annotations

import gzip
from io import BytesIO

from PIL import Image, PngImagePlugin

from domain.kernel.media import EmbeddedMetadata
from storage.images.metadata import read_metadata

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


def stealth_bits(text: str | bytes, *, mode: str = "alpha", compressed: bool = True) -> str:
    """The bit stream the stealth-pnginfo extension writes: signature, 32-bit length in bits, payload."""
    signature = f"stealth_{'png' if mode == 'alpha' else 'rgb'}{'comp' if compressed else 'info'}"
    data = text.encode("utf-8") if isinstance(text, str) else text
    payload = gzip.compress(data) if compressed else data
    return (
        "".join(f"{byte:08b}" for byte in signature.encode())
        + f"{len(payload) * 8:032b}"
        + "".join(f"{byte:08b}" for byte in payload)
    )


def lowest_bits(bits: str, *, filler: int = 0b1010_1010) -> bytes:
    """Channel values whose lowest bits are `bits`, the other bits set like an image's."""
    return bytes((filler & ~1) | int(bit) for bit in bits)


def stealth_png(
    text: str | bytes,
    *,
    mode: str = "alpha",
    compressed: bool = True,
    size: tuple[int, int] = (64, 64),
    text_chunks: dict[str, str] | None = None,
) -> bytes:
    """A PNG with `text` hidden as the extension hides it: column by column, x outer, y inner."""
    bits = iter(stealth_bits(text, mode=mode, compressed=compressed))
    image = Image.new("RGBA" if mode == "alpha" else "RGB", size, (120, 81, 201, 255))
    pixels = image.load()
    width, height = size
    for x in range(width):
        for y in range(height):
            values = list(pixels[x, y])
            for channel in (3,) if mode == "alpha" else (0, 1, 2):
                bit = next(bits, None)
                if bit is not None:
                    values[channel] = (values[channel] & ~1) | int(bit)
            pixels[x, y] = tuple(values)
    assert next(bits, None) is None, "the image is too small for the text"
    info = PngImagePlugin.PngInfo()
    for key, value in (text_chunks or {}).items():
        info.add_text(key, value)
    out = BytesIO()
    image.save(out, "PNG", pnginfo=info)
    return out.getvalue()
