"""POST /uploads and importGeneration: images made elsewhere, decided by their bytes, within limits."""

from __future__ import annotations

import asyncio
import hashlib
import json
import os

import httpx
import pytest
from asgi_lifespan import LifespanManager

from domain.kernel.access import Role
from graph.relay.ids import to_global_id
from graph.server.app import create_app
from storage.sql import tables as t
from tests import images
from tests.builders import codes, gql, make_tenant
from tests.graph.events import events_of
from tests.graph.org_state import count_rows
from tests.unit.image_metadata.builders import stealth_png

IMPORT = """mutation($input: ImportGenerationInput!) { importGeneration(input: $input) {
    generation { id prompt negativePrompt provider model seed width height aspectRatio creditsUsed mimeType session { title } }
    userErrors { code message field } } }"""


async def upload(client, token, data: bytes, *, filename: str | None = None, content_type="image/png"):
    params = {"filename": filename} if filename is not None else {}
    headers = {"authorization": f"Bearer {token}", "content-type": content_type}
    return await client.post("/uploads", content=data, params=params, headers=headers)


class TestUploadAndImport:
    async def test_a_png_with_a1111_parameters_imports_with_its_prompt(self, client, tenant):
        response = await upload(
            client, tenant.token, images.png(text={"parameters": images.A1111}), filename="nook.png"
        )
        assert response.status_code == 201, response.text
        received = response.json()
        assert (received["mimeType"], received["width"], received["height"], received["filename"]) == (
            "image/png",
            96,
            64,
            "nook.png",
        )
        assert received["metadata"]["prompt"] == "a cozy reading nook with warm light, watercolor"
        session = to_global_id("Session", await tenant.session("Imports"))
        _, body = await gql(
            client, tenant.token, IMPORT, {"input": {"sessionId": session, "uploadId": received["id"]}}
        )
        payload = body["data"]["importGeneration"]
        assert payload["userErrors"] == []
        assert payload["generation"] == {
            "id": payload["generation"]["id"],
            "prompt": "a cozy reading nook with warm light, watercolor",
            "negativePrompt": "blurry, text",
            "provider": "automatic1111",
            "model": "dreamshaper, v8",
            "seed": "424242",
            "width": 96,
            "height": 64,
            "aspectRatio": "PHOTO",
            "creditsUsed": 0,
            "mimeType": "image/png",
            "session": {"title": "Imports"},
        }
        assert await events_of(tenant, "generation.imported") == 1
        _, again = await gql(
            client, tenant.token, IMPORT, {"input": {"sessionId": session, "uploadId": received["id"]}}
        )
        assert [e["code"] for e in again["data"]["importGeneration"]["userErrors"]] == ["INVALID_STATE"]

    async def test_what_the_caller_gives_wins_and_a_file_without_metadata_imports_empty(self, client, tenant):
        received = (await upload(client, tenant.token, images.jpeg(), content_type="image/jpeg")).json()
        session = to_global_id("Session", await tenant.session("S"))
        _, body = await gql(
            client,
            tenant.token,
            IMPORT,
            {
                "input": {
                    "sessionId": session,
                    "uploadId": received["id"],
                    "provider": "midjourney",
                    "seed": "7",
                }
            },
        )
        generation = body["data"]["importGeneration"]["generation"]
        assert (generation["prompt"], generation["provider"], generation["seed"], generation["mimeType"]) == (
            "",
            "midjourney",
            "7",
            "image/jpeg",
        )

    async def test_a_credential_in_the_files_metadata_is_refused_and_nothing_is_kept(
        self, client, adapters, tenant
    ):
        secret = "sk-proj-" + "Zq9" * 16
        parameters = f"poster with key {secret}\nSteps: 20, Sampler: Euler, Seed: 1, Model: x"
        before = sorted(p.name for p in adapters.blobs.root.rglob("*") if p.is_file())
        response = await upload(client, tenant.token, images.png(text={"parameters": parameters}))
        assert (
            response.status_code == 400
            and response.json()["errors"][0]["extensions"]["code"] == "INVALID_INPUT"
        )
        assert secret not in response.text
        assert await count_rows(tenant, t.uploads) == 0
        assert sorted(p.name for p in adapters.blobs.root.rglob("*") if p.is_file()) == before

    async def test_a_credential_typed_into_the_import_is_refused(self, client, tenant):
        received = (await upload(client, tenant.token, images.png())).json()
        _, body = await gql(
            client,
            tenant.token,
            IMPORT,
            {
                "input": {
                    "sessionId": to_global_id("Session", await tenant.session("S")),
                    "uploadId": received["id"],
                    "prompt": "AKIAIOSFODNN7EXAMPLE in a poster",
                }
            },
        )
        assert [(e["code"], e["field"]) for e in body["data"]["importGeneration"]["userErrors"]] == [
            ("INVALID_INPUT", "prompt")
        ]

    async def test_another_organisations_upload_is_not_found(self, client, engine, tenant):
        other = await make_tenant(engine)
        theirs = (await upload(client, other.token, images.png())).json()["id"]
        _, body = await gql(
            client,
            tenant.token,
            IMPORT,
            {"input": {"sessionId": to_global_id("Session", await tenant.session("S")), "uploadId": theirs}},
        )
        assert [e["code"] for e in body["data"]["importGeneration"]["userErrors"]] == ["NOT_FOUND"]

    async def test_uploads_need_a_token_and_the_creator_role(self, client, tenant):
        assert (await client.post("/uploads", content=images.png())).status_code == 401
        _, viewer = await tenant.member(Role.VIEWER)
        response = await upload(client, viewer, images.png())
        assert (
            response.status_code == 403 and response.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"
        )


def comfyui_graph(prompt: str, *, model: str = "sdxl.safetensors") -> str:
    return json.dumps(
        {
            "1": {"class_type": "CheckpointLoaderSimple", "inputs": {"ckpt_name": model}},
            "2": {"class_type": "CLIPTextEncode", "inputs": {"text": prompt, "clip": ["1", 1]}},
            "3": {"class_type": "CLIPTextEncode", "inputs": {"text": "blurry", "clip": ["1", 1]}},
            "4": {
                "class_type": "KSampler",
                "inputs": {"seed": 5, "model": ["1", 0], "positive": ["2", 0], "negative": ["3", 0]},
            },
        }
    )


class TestPromptsFromFiles:
    """A field read from a file must never fail the import: the user did not type it."""

    async def import_file(self, client, tenant, data: bytes) -> dict:
        received = (await upload(client, tenant.token, data)).json()
        session = to_global_id("Session", await tenant.session("Imports"))
        _, body = await gql(
            client, tenant.token, IMPORT, {"input": {"sessionId": session, "uploadId": received["id"]}}
        )
        payload = body["data"]["importGeneration"]
        assert payload["userErrors"] == []
        return payload["generation"]

    async def test_a_comfyui_prompt_of_tens_of_thousands_of_characters_is_imported_whole(
        self, client, tenant
    ):
        prompt = ("(masterpiece:1.2), a walled garden in spring, " * 1000)[:45_000].strip()
        generation = await self.import_file(
            client, tenant, images.png(text={"prompt": comfyui_graph(prompt)})
        )
        assert (generation["prompt"], generation["negativePrompt"], generation["seed"]) == (
            prompt,
            "blurry",
            "5",
        )

    async def test_a_prompt_longer_than_the_limit_is_cut_to_it(self, client, tenant):
        generation = await self.import_file(
            client, tenant, images.png(text={"prompt": comfyui_graph("a" * 60_000)})
        )
        assert generation["prompt"] == "a" * 50_000

    async def test_control_characters_and_an_overlong_model_name_do_not_fail_the_import(self, client, tenant):
        model = "checkpoints/" + "very_long_folder/" * 20 + "model.safetensors"
        graph = comfyui_graph("a \x1b[1mbold\x1b[0m fox\x00", model=model + "\nsecond line")
        generation = await self.import_file(client, tenant, images.png(text={"prompt": graph}))
        assert generation["prompt"] == "a [1mbold[0m fox"
        assert generation["model"] == (model + " second line")[:128]


SECRET = "sk-proj-" + "Zq9" * 16

CREDENTIAL_PLACES = [
    (
        "a PNG workflow chunk",
        images.png(
            text={"workflow": json.dumps({"nodes": [{"type": "OpenAIChat", "widgets_values": [SECRET]}]})}
        ),
    ),
    ("a PNG chunk no reader knows", images.png(text={"Author": f"api_key {SECRET}"})),
    ("a model name in a ComfyUI graph", images.png(text={"prompt": comfyui_graph("a fox", model=SECRET)})),
    ("a JPEG EXIF Artist field", images.jpeg(exif=images.exif(ifd0={0x013B: f"key: {SECRET}"}))),
    (
        "a JPEG EXIF Copyright field padded with NULs",
        images.jpeg(exif=images.exif(ifd0={0x8298: "\x00" * 8 + SECRET})),
    ),
    (
        "a JPEG UserComment that is not a prompt",
        images.jpeg(
            exif=images.exif(exif_ifd={0x9286: b"UNICODE\x00" + f"note {SECRET}".encode("utf-16-be")})
        ),
    ),
    ("a JPEG COM marker", images.jpeg(comment=f"uploaded with {SECRET}".encode())),
    (
        "a WebP XMP packet",
        images.webp(xmp=f'<x:xmpmeta xmlns:x="adobe:ns:meta/">{SECRET}</x:xmpmeta>'.encode()),
    ),
    ("a WebP EXIF ImageDescription", images.webp(exif=images.exif(ifd0={0x010E: f"a fox {SECRET}"}))),
    (
        "text hidden in a PNG's pixels",
        stealth_png(f"a fox\nSteps: 20, Seed: 1, Sampler: Euler, Note: {SECRET}"),
    ),
]


class TestCredentialsInMetadata:
    @pytest.mark.parametrize(
        ("place", "data"), CREDENTIAL_PLACES, ids=[place for place, _ in CREDENTIAL_PLACES]
    )
    async def test_a_credential_anywhere_in_the_files_metadata_refuses_the_upload_and_keeps_nothing(
        self, client, adapters, tenant, place, data
    ):
        before = sorted(p.name for p in adapters.blobs.root.rglob("*") if p.is_file())
        response = await upload(client, tenant.token, data, content_type="application/octet-stream")
        assert response.status_code == 400, (place, response.text)
        assert response.json()["errors"][0]["extensions"]["code"] == "INVALID_INPUT"
        assert SECRET not in response.text
        assert await count_rows(tenant, t.uploads) == 0
        assert sorted(p.name for p in adapters.blobs.root.rglob("*") if p.is_file()) == before

    async def test_the_same_files_without_the_credential_are_received(self, client, tenant):
        for data in (
            images.png(text={"workflow": json.dumps({"nodes": []}), "Author": "me"}),
            images.jpeg(exif=images.exif(ifd0={0x013B: "Jane"}), comment=b"hello"),
            images.webp(xmp=b'<x:xmpmeta xmlns:x="adobe:ns:meta/"/>'),
        ):
            assert (await upload(client, tenant.token, data)).status_code == 201

    async def test_more_metadata_text_than_the_bound_is_an_invalid_image(self, client, adapters, tenant):
        chunks = {f"chunk{i}": str(i) * 900_000 for i in range(5)}  # 4.5 million characters of text
        before = sorted(p.name for p in adapters.blobs.root.rglob("*") if p.is_file())
        response = await upload(client, tenant.token, images.png(text=chunks))
        assert response.status_code == 400
        assert response.json()["errors"][0]["extensions"]["code"] == "INVALID_IMAGE"
        assert await count_rows(tenant, t.uploads) == 0
        assert sorted(p.name for p in adapters.blobs.root.rglob("*") if p.is_file()) == before


class TestHostileFiles:
    @pytest.mark.parametrize(
        ("name", "data"),
        [
            ("a PNG declaring 50,000 x 50,000 pixels", images.png_declaring(50_000, 50_000)),  # row 15
            ("an animated WebP with 150 frames", images.animated_webp(150)),  # row 16
            ("a PNG with a huge compressed text chunk", images.png_with_text_bomb()),  # row 17
            ("a truncated JPEG", images.jpeg()[:200]),  # row 18
            ("random bytes", os.urandom(4096)),
            ("an empty file", b""),
            ("TIFF bytes named .png", images.tiff()),  # row 19
            ("PSD bytes", images.PSD),
            ("EPS bytes", images.EPS),
            ("FITS bytes", images.FITS),
            ("an SVG with script and an external entity", images.SVG),  # row 20
            ("HTML sent as image/png", images.HTML),  # row 21
        ],
    )
    @pytest.mark.timeout(10)  # refused from the header: a full decode of the bombs would take far longer
    async def test_is_refused_as_an_invalid_image_and_leaves_nothing(
        self, client, adapters, tenant, name, data
    ):
        before = sorted(p.name for p in adapters.blobs.root.rglob("*") if p.is_file())
        response = await upload(client, tenant.token, data, filename="x.png")
        assert response.status_code == 400, (name, response.text)
        assert response.json()["errors"][0]["extensions"]["code"] == "INVALID_IMAGE"
        assert await count_rows(tenant, t.uploads) == 0
        assert sorted(p.name for p in adapters.blobs.root.rglob("*") if p.is_file()) == before

    @pytest.mark.parametrize(
        ("given", "kept"),
        [  # row 22
            ("../../x.png", "x.png"),
            ("%2e%2e%2fetc%2fpasswd", "passwd"),  # sent as typed: the server receives `%2e`, not `.`
            ("/etc/passwd", "passwd"),
            ("a\x00b.png", "ab.png"),
            ("n" * 300 + ".png", "n" * 251 + ".png"),
            ("CON", "_CON"),
            ("con.png", "_con.png"),
            ("..\\..\\win.png", "win.png"),
        ],
    )
    async def test_file_names_are_cleaned_metadata_and_never_a_storage_key(
        self, client, adapters, tenant, given, kept
    ):
        response = await upload(client, tenant.token, images.png(), filename=given)
        assert response.status_code == 201
        received = response.json()
        assert received["filename"] == kept
        assert adapters.blobs.path("scratch", received["sha256"]).is_file()

    async def test_a_credential_hidden_behind_percent_escapes_in_the_file_name_is_refused(
        self, client, tenant
    ):
        secret = "sk-proj-" + "Zq9" * 16
        response = await upload(
            client, tenant.token, images.png(), filename=secret.replace("-", "%2D") + ".png"
        )
        assert response.status_code == 400 and codes(response.json()) == ["INVALID_INPUT"]
        assert "Zq9" not in response.text
        assert await count_rows(tenant, t.uploads) == 0

    async def test_the_same_file_uploaded_twice_at_once_is_one_blob(self, client, adapters, tenant):  # row 26
        data = images.png(color=(1, 2, 3))
        responses = await asyncio.gather(*(upload(client, tenant.token, data) for _ in range(5)))
        assert [r.status_code for r in responses] == [201] * 5
        key = hashlib.sha256(data).hexdigest()
        assert {r.json()["sha256"] for r in responses} == {key}
        assert len({r.json()["id"] for r in responses}) == 5  # five uploads, one blob
        assert [p for p in adapters.blobs.root.rglob(key)] == [adapters.blobs.path("scratch", key)]

    async def test_multipart_is_refused(self, client, tenant):  # row 24
        response = await client.post(
            "/uploads",
            files={"file": ("x.png", images.png())},
            headers={"authorization": f"Bearer {tenant.token}"},
        )
        assert response.status_code == 415


@pytest.fixture(scope="module")
async def small_cap(settings, adapters):
    app = create_app(settings.model_copy(update={"max_upload_bytes": 50_000}), adapters=adapters)
    async with (
        LifespanManager(app) as manager,
        httpx.AsyncClient(transport=httpx.ASGITransport(app=manager.app), base_url="http://cap") as c,
    ):
        yield c


class TestSizeCap:
    async def test_a_chunked_body_over_the_cap_is_413_and_stops_being_read(self, small_cap, tenant):  # row 23
        sent = 0

        async def chunks():
            nonlocal sent
            for _ in range(1000):
                sent += 10_000
                yield b"\x89PNG\r\n\x1a\n" + b"x" * 9_992

        response = await small_cap.post(
            "/uploads", content=chunks(), headers={"authorization": f"Bearer {tenant.token}"}
        )
        assert response.status_code == 413 and codes(response.json()) == ["PAYLOAD_TOO_LARGE"]
        assert sent < 1_000_000  # the server stopped reading long before the end
        assert await count_rows(tenant, t.uploads) == 0

    async def test_a_declared_length_over_the_cap_is_413_at_once(self, small_cap, tenant):
        response = await small_cap.post(
            "/uploads", content=b"x" * 60_000, headers={"authorization": f"Bearer {tenant.token}"}
        )
        assert response.status_code == 413 and codes(response.json()) == ["PAYLOAD_TOO_LARGE"]
