"""Ordinary texts as image tools write them: ComfyUI workflows, A1111 parameter lines, prompts in many scripts.

The prompt guard must pass every one of these. The workflows follow ComfyUI's own
formats (the editor's `workflow` with nodes, links, groups and model hashes, and the
API `prompt` graph); they are generated so that a test can make them as large as a
real studio's.
"""

from __future__ import annotations

import base64
import hashlib
import json
import random
import uuid

PROMPTS = [
    "a cat in the sun",
    "top secret: classified documents on a desk, noir lighting, cigarette smoke",
    "a book cover titled 'The Secret: Unlocking Happiness', gold foil typography",
    "(masterpiece:1.2), (best quality:1.1), 1girl, silver hair, cyberpunk city, neon lights, rain",
    "<lora:sk-style:0.8>, a watercolor fox in a birch forest, soft morning light",
    "<lora:sk-detailed_realistic_skin_texture_v2:0.7> portrait of an old fisherman, rim light, 85mm",
    "<lora:add_detail:0.6> <lyco:detail_tweaker:0.5> [cat:dog:0.5], {red|blue|green} balloon, __colors__",
    "embedding:EasyNegative, (worst quality:1.4), (low quality:1.4), lowres, bad hands, watermark",
    "一只猫在阳光下，水彩画风格，高质量，细节丰富",
    "桜の木の下で微笑む少女、アニメ風、柔らかい光、秘密の庭園",
    "햇빛 아래 고양이, 수채화, 파스텔 톤, 비밀번호 없는 평화로운 오후",
    "قطة في الشمس، ألوان مائية\u200f، إضاءة ناعمة",
    "🐱☀️🌸 cute cat, kawaii sticker, pastel 🎨 👩\u200d🎨 1️⃣ 🇯🇵",
    "reference: https://www.artstation.com/artwork/Ab3dE9 and https://example.com/gallery?style=ukiyo-e&page=2",
    "like the photo at http://localhost:8188/view?filename=ComfyUI_00042_.png&type=output",
    "email me at studio@example.com, or see git@github.com:atelier/brand-kit.git",
    "postgresql://db.internal:5432/atelier as a neon sign, server room, moody blue",
    "a password: field on a retro terminal, green phosphor glow",
    "password: protected vault door, bank heist movie still",
    "a token of love: a hand-carved wooden heart, soft bokeh",
    "Bearer of bad news, medieval messenger on horseback, oil painting",
    "authorization: pending stamp on a vintage document, sepia",
    "skater doing a kickflip at the sk8 park, fisheye lens, 90s zine style",
    "APEX PREDATOR poster, T-REX silhouette, bold typography",
    "the secret ingredient: cinnamon, cozy kitchen, warm light",
    "Secret garden with a hidden door, ivy, fairy lights, whimsical",
    "an old brass key on the gate of a private estate, begin of autumn",
    "a Nahuatl_glyphs_and_codices_of_the_valley_of_mexico_v2 inspired mural",
    "servers at 192.168.1.10 and 8.8.8.8 drawn as glowing cities, isometric",
    "Steps: 20, version 1.10.1, seed 1234567890, 2.39:1 anamorphic",
]

A1111_LINES = [
    "masterpiece, best quality, 1girl, solo, looking at viewer, cherry blossoms, <lora:add_detail:0.6>\n"
    "Negative prompt: (worst quality, low quality:1.4), EasyNegative, bad-hands-5, watermark\n"
    "Steps: 28, Sampler: DPM++ 2M, Schedule type: Karras, CFG scale: 7, Seed: 3141592653, Size: 832x1216, "
    "Model hash: 31e35c80fc, Model: sd_xl_base_1.0, VAE hash: 235745af8d, VAE: sdxl_vae.safetensors, "
    "Denoising strength: 0.35, Hires upscale: 1.5, Hires steps: 12, Hires upscaler: 4x-UltraSharp, "
    'Lora hashes: "add_detail: 7c6bad76eb54", TI hashes: "EasyNegative: c74b4e810b03, bad-hands-5: aa7651be154c", '
    "ADetailer model: face_yolov8n.pt, ADetailer confidence: 0.3, ADetailer version: 24.9.0, "
    "Emphasis: Original, Version: v1.10.1",
    "cinematic still of a lone astronaut on Mars, red dust storm, anamorphic lens flare\n"
    "Negative prompt: cartoon, 3d, blurry\n"
    "Steps: 30, Sampler: Euler a, CFG scale: 5.5, Seed: 987654321, Size: 1344x768, Model hash: 6ce0161689, "
    'Model: v1-5-pruned-emaonly, Clip skip: 2, Token merging ratio: 0.3, Hashes: {"vae": "235745af8d", '
    '"model": "6ce0161689", "lora:film_grain": "5e1a8d4c2b77", "embed:EasyNegative": "c74b4e810b03"}, '
    'Civitai resources: [{"type":"checkpoint","modelVersionId":128713}], Version: f2.0.1v1.10.1-previous-313',
]

_CHECKPOINTS = [
    "sd_xl_base_1.0.safetensors",
    "illustrious\\waiIllustriousSDXL_v160.safetensors",
    "flux1-dev-fp8.safetensors",
    "juggernautXL_v9Rundiffusionphoto2.safetensors",
]
_LORAS = [
    "sk-style.safetensors",
    "add_detail.safetensors",
    "film_grain_v2.safetensors",
    "ghibli_bg.safetensors",
]


def _hash(rng: random.Random) -> str:
    return hashlib.sha256(rng.randbytes(16)).hexdigest()


def _editor_node(rng: random.Random, node_id: int, link: int, prompt: str) -> dict:
    kind = rng.choice(
        ["CLIPTextEncode", "KSampler", "LoraLoader", "CheckpointLoaderSimple", "Note", "VAEDecode"]
    )
    widgets: list = {
        "CLIPTextEncode": [prompt],
        "KSampler": [rng.randrange(2**50), "randomize", 28, 6.5, "dpmpp_2m", "karras", 1.0],
        "LoraLoader": [rng.choice(_LORAS), 0.8, 1.0],
        "CheckpointLoaderSimple": [rng.choice(_CHECKPOINTS)],
        "Note": ["Tip: keep cfg between 5 and 7 for this model; seed 0 is a real seed. 秘密のコツ 🎨"],
        "VAEDecode": [],
    }[kind]
    return {
        "id": node_id,
        "type": kind,
        "pos": [rng.uniform(-2000, 4000), rng.uniform(-1000, 3000)],
        "size": [rng.choice([315, 400, 425.27]), rng.choice([98, 262, 474])],
        "flags": {"collapsed": rng.random() < 0.1},
        "order": node_id,
        "mode": 0,
        "inputs": [
            {"name": "clip", "type": "CLIP", "link": link},
            {"name": "model", "type": "MODEL", "link": None},
        ],
        "outputs": [{"name": "CONDITIONING", "type": "CONDITIONING", "links": [link + 1], "slot_index": 0}],
        "properties": {
            "Node name for S&R": kind,
            "cnr_id": "comfy-core",
            "ver": "0.3.40",
            "models": [
                {
                    "name": rng.choice(_CHECKPOINTS),
                    "url": "https://huggingface.co/stabilityai/stable-diffusion-xl-base-1.0/resolve/main/"
                    "sd_xl_base_1.0.safetensors?download=true",
                    "hash": _hash(rng),
                    "hash_type": "SHA256",
                    "directory": "checkpoints",
                }
            ],
        },
        "widgets_values": widgets,
        "color": "#322",
        "bgcolor": "#533",
    }


def comfy_workflow(min_chars: int, *, seed: int = 7) -> str:
    """A ComfyUI editor workflow (the PNG `workflow` chunk) of at least min_chars characters, pretty-printed."""
    rng = random.Random(seed)
    nodes, links = [], []
    node_id = 1
    workflow = {
        "id": str(uuid.UUID(int=rng.getrandbits(128))),
        "revision": 0,
        "last_node_id": 0,
        "last_link_id": 0,
        "nodes": nodes,
        "links": links,
        "groups": [{"id": 1, "title": "Upscale ✨", "bounding": [-120, 40, 980, 610], "color": "#3f789e"}],
        "config": {},
        "extra": {
            "ds": {"scale": 0.62, "offset": [512.3, -88.1]},
            "frontendVersion": "1.23.4",
            "VHS_latentpreview": False,
            "node_versions": {"comfy-core": "0.3.40", "ComfyUI-Impact-Pack": "8.8.1"},
            # a thumbnail some front ends keep, base64 of image bytes
            "thumbnail": "data:image/webp;base64," + base64.b64encode(rng.randbytes(3000)).decode(),
        },
        "version": 0.4,
    }
    size = 0
    while size < min_chars:
        prompt = PROMPTS[node_id % len(PROMPTS)]
        nodes.append(_editor_node(rng, node_id, node_id * 2, prompt))
        links.append([node_id * 2, node_id, 0, node_id + 1, 0, "CONDITIONING"])
        node_id += 1
        size += 1400  # about one node's share of the printed JSON
        if size >= min_chars:
            text = json.dumps(workflow, indent=2, ensure_ascii=False)
            size = len(text)
    workflow["last_node_id"] = workflow["last_link_id"] = node_id
    return json.dumps(workflow, indent=2, ensure_ascii=False)


def comfy_api_prompt(seed: int = 3) -> str:
    """A ComfyUI API graph (the PNG `prompt` chunk), compact as ComfyUI writes it."""
    rng = random.Random(seed)
    graph = {
        "3": {
            "inputs": {
                "seed": rng.randrange(2**50),
                "steps": 28,
                "cfg": 6.5,
                "sampler_name": "dpmpp_2m",
                "scheduler": "karras",
                "denoise": 1,
                "model": ["10", 0],
                "positive": ["6", 0],
                "negative": ["7", 0],
                "latent_image": ["5", 0],
            },
            "class_type": "KSampler",
            "_meta": {"title": "KSampler"},
        },
        "4": {"inputs": {"ckpt_name": _CHECKPOINTS[1]}, "class_type": "CheckpointLoaderSimple"},
        "5": {"inputs": {"width": 832, "height": 1216, "batch_size": 1}, "class_type": "EmptyLatentImage"},
        "6": {"inputs": {"text": PROMPTS[3], "clip": ["10", 1]}, "class_type": "CLIPTextEncode"},
        "7": {"inputs": {"text": PROMPTS[7], "clip": ["10", 1]}, "class_type": "CLIPTextEncode"},
        "10": {
            "inputs": {"lora_name": "sk-style.safetensors", "strength_model": 0.8, "model": ["4", 0]},
            "class_type": "LoraLoader",
        },
        "11": {
            "inputs": {
                "text_encoder_key": "clip_l",
                "token_normalization": "none",
                "weight_interpretation": "A1111",
            },
            "class_type": "BNK_CLIPTextEncodeAdvanced",
        },
        "12": {"inputs": {"api_key_comfy_org": "", "secret": False}, "class_type": "OpenAIDalle3"},
    }
    return json.dumps(graph, separators=(",", ":"))


def long_prompt(length: int, *, ascii_only: bool = False) -> str:
    """A prompt of exactly `length` characters, made of the ordinary prompts above."""
    parts = [p for p in PROMPTS if p.isascii()] if ascii_only else PROMPTS
    text = ""
    while len(text) < length:
        text += ", ".join(parts) + ", "
    return text[:length]
