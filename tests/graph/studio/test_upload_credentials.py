"""POST /uploads: credentials in the places the format readers do not parse, bombs named as such, roles."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from PIL import Image

from domain.kernel.access import Role
from storage.sql import tables as t
from tests import images
from tests.builders import make_tenant
from tests.graph.org_state import count_rows
from tests.graph.studio.test_uploads_and_import import upload

SK = "sk-proj-" + "Zq9" * 16
GHP = "ghp_" + "A1b2C3d4" * 4 + "E5f6"


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_with(*chunks: bytes, after_end: bytes = b"") -> bytes:
    """A real PNG with the given chunks right after IHDR, and bytes after IEND."""
    good = images.png(8, 8)
    return good[:33] + b"".join(chunks) + good[33:] + after_end


def jpeg_with(*segments: tuple[int, bytes]) -> bytes:
    """A real JPEG with the given (marker, payload) segments right after SOI."""
    good = images.jpeg()
    extra = b"".join(b"\xff" + bytes([m]) + struct.pack(">H", len(p) + 2) + p for m, p in segments)
    return good[:2] + extra + good[2:]


def iptc_caption(text: str) -> bytes:
    """A Photoshop APP13 payload holding an IPTC record 2:120 (caption)."""
    record = b"\x1c\x02\x78" + struct.pack(">H", len(text)) + text.encode()
    resource = b"8BIM\x04\x04\x00\x00" + struct.pack(">I", len(record)) + record
    return b"Photoshop 3.0\x00" + resource


def icc_profile(description: str, *, v4: bool = False) -> bytes:
    """A minimal ICC profile whose description tag holds `description` (v2 ASCII, or v4 UTF-16BE mluc)."""
    if v4:
        text = description.encode("utf-16-be")
        tag = (
            b"mluc\x00\x00\x00\x00"
            + struct.pack(">II", 1, 12)
            + b"enUS"
            + struct.pack(">II", len(text), 28)
            + text
        )
    else:
        text = description.encode() + b"\x00"
        tag = b"desc\x00\x00\x00\x00" + struct.pack(">I", len(text)) + text + b"\x00" * 79
    table = struct.pack(">I", 1) + b"desc" + struct.pack(">II", 128 + 4 + 12, len(tag))
    body = table + tag
    header = struct.pack(">I", 128 + len(body)) + b"lcms" + (b"\x04\x20" if v4 else b"\x02\x10") + b"\x00\x00"
    header += b"mntrRGB XYZ " + b"\x00" * 12 + b"acsp" + b"\x00" * (128 - 40)
    return header + body


def jpeg_with_icc(profile: bytes) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (1, 2, 3)).save(out, format="JPEG", icc_profile=profile)
    return out.getvalue()


def png_with_icc(profile: bytes) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (1, 2, 3)).save(out, format="PNG", icc_profile=profile)
    return out.getvalue()


def webp_with_chunk(kind: bytes, data: bytes) -> bytes:
    good = images.webp()
    body = good[12:] + kind + struct.pack("<I", len(data)) + data + b"\x00" * (len(data) % 2)
    return b"RIFF" + struct.pack("<I", len(body) + 4) + b"WEBP" + body


def raw_profile(payload: bytes) -> bytes:
    """ImageMagick's zTXt profile: the bytes as hex lines under a name and a length."""
    hexed = payload.hex()
    lines = "\n".join(hexed[i : i + 72] for i in range(0, len(hexed), 72))
    text = f"\nexif\n{len(payload):8d}\n{lines}\n".encode()
    return _chunk(b"zTXt", b"Raw profile type exif\x00\x00" + zlib.compress(text))


PLACES = [
    ("a JPEG IPTC caption (APP13, 2:120)", jpeg_with((0xED, iptc_caption(f"launch poster {SK}")))),
    ("a JPEG APP9 segment", jpeg_with((0xE9, f"notes {GHP} end".encode()))),
    ("a PNG tEXt keyword", png_with(_chunk(b"tEXt", GHP.encode() + b"\x00value"))),
    (
        "a PNG iTXt translated keyword",
        png_with(_chunk(b"iTXt", b"Title\x00\x00\x00en\x00" + SK.encode() + b"\x00hello")),
    ),
    ("a private PNG chunk", png_with(_chunk(b"prVt", f"cfg {SK}".encode()))),
    ("bytes after IEND", png_with(after_end=f"trailer {SK}".encode())),
    ("a JPEG ICC profile description (v2)", jpeg_with_icc(icc_profile(f"sRGB {SK}"))),
    ("a PNG ICC profile description (v4, compressed)", png_with_icc(icc_profile(f"sRGB {SK}", v4=True))),
    (
        "a zTXt chunk hidden behind a later one with the same keyword",
        png_with(
            _chunk(b"zTXt", b"Comment\x00\x00" + zlib.compress(f"old {SK}".encode())),
            _chunk(b"tEXt", b"Comment\x00harmless"),
        ),
    ),
    ("an ImageMagick hex profile", png_with(raw_profile(f"Exif\x00\x00 owner {GHP}".encode()))),
    ("a WebP unknown chunk", webp_with_chunk(b"NOTE", f"n {SK}".encode())),
    ("a key split by a zero-width space", jpeg_with((0xE9, f"{SK[:6]}\u200b{SK[6:]}".encode()))),
    ("UTF-16LE text in a JPEG segment", jpeg_with((0xEA, f"key {SK}".encode("utf-16-le")))),
]


@pytest.fixture
async def creator(engine):
    return await make_tenant(engine, role=Role.CREATOR)


def stored(adapters) -> list[str]:
    return sorted(p.name for p in adapters.blobs.root.rglob("*") if p.is_file())


class TestCredentialsOutsideTheParsedMetadata:
    @pytest.mark.parametrize(("place", "data"), PLACES, ids=[place for place, _ in PLACES])
    async def test_refuse_the_upload_and_keep_nothing(self, client, adapters, tenant, place, data):
        before = stored(adapters)
        response = await upload(client, tenant.token, data, content_type="application/octet-stream")
        assert response.status_code == 400, (place, response.text)
        error = response.json()["errors"][0]
        assert error["extensions"]["code"] == "INVALID_INPUT"
        assert SK not in response.text and GHP not in response.text
        assert await count_rows(tenant, t.uploads) == 0
        assert stored(adapters) == before

    @pytest.mark.parametrize(
        ("place", "data"),
        [
            ("an IPTC caption", jpeg_with((0xED, iptc_caption("launch poster, summer 2026")))),
            ("an APP9 segment", jpeg_with((0xE9, b"notes for the retoucher"))),
            ("a private PNG chunk", png_with(_chunk(b"prVt", b"configuration of the studio"))),
            ("bytes after IEND", png_with(after_end=b"trailing words of no importance")),
            ("an ICC profile", jpeg_with_icc(icc_profile("sRGB IEC61966-2.1"))),
            ("a v4 ICC profile", png_with_icc(icc_profile("Display P3 Copyright Apple Inc.", v4=True))),
            ("a hex profile", png_with(raw_profile(b"Exif\x00\x00 owner Jane Doe"))),
        ],
    )
    async def test_the_same_places_without_a_credential_are_received(self, client, tenant, place, data):
        response = await upload(client, tenant.token, data, content_type="application/octet-stream")
        assert response.status_code == 201, (place, response.text)

    async def test_more_printable_text_in_the_bytes_than_the_bound_is_an_invalid_image(
        self, client, adapters, tenant
    ):
        before = stored(adapters)
        response = await upload(client, tenant.token, png_with(after_end=b"abcdefghi\x01" * 500_000))
        assert response.status_code == 400
        error = response.json()["errors"][0]
        assert error["extensions"]["code"] == "INVALID_IMAGE"
        assert "4,000,000 characters of text" in error["message"]
        assert stored(adapters) == before


class TestBombsAreNamed:
    @pytest.mark.parametrize(
        ("kind", "data"),
        [
            ("zTXt", images.png_with_text_bomb()),
            ("iCCP", png_with(_chunk(b"iCCP", b"icc\x00\x00" + zlib.compress(b"\x00" * 20_000_000, 9)))),
            (
                "iTXt",
                png_with(
                    _chunk(b"iTXt", b"Comment\x00\x01\x00\x00\x00" + zlib.compress(b"A" * 20_000_000, 9))
                ),
            ),
        ],
    )
    async def test_a_compressed_text_bomb_says_its_compressed_text_is_too_large(
        self, client, tenant, kind, data
    ):
        response = await upload(client, tenant.token, data)
        assert response.status_code == 400
        error = response.json()["errors"][0]
        assert error["extensions"]["code"] == "INVALID_IMAGE"
        assert f"compressed text ({kind} chunk) is too large" in error["message"]
        assert "damaged" not in error["message"]


class TestWhoMayUpload:
    async def test_a_viewer_is_told_which_role_uploading_needs(self, client, engine):
        viewer = await make_tenant(engine, role=Role.VIEWER)
        response = await upload(client, viewer.token, images.png())
        assert response.status_code == 403
        assert "uploading needs the CREATOR role or higher" in response.json()["errors"][0]["message"]
