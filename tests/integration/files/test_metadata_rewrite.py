"""Downloads carry no personal metadata and, for AI images, IPTC provenance, read back by ExifTool;
the pixels are never re-encoded."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from PIL import Image, ImageCms

from domain.files.model import DIGITAL_SOURCE_TYPE_AI, XmpProvenance
from storage.files.jpeg import MAX_XMP_BYTES, rewrite_jpeg
from storage.files.png import chunk, rewrite_png
from storage.files.webp import rewrite_webp
from storage.files.xmp import xmp_packet
from tests import images
from tests.integration.files.exiftool import read_tags

PERSONAL = ("Jane Roe", "SN-4242", "Canon", "52.37", "by Jane", "jane@example.com")
"""Strings the hostile files below hold in their metadata; none may survive a rewrite."""

PROVENANCE = XmpProvenance.of(
    provider="openai",
    model="gpt-image-1",
    prompt='a fox <in> the "snow" & ]]> \x01\x1b\x7f émoji 🦊',
    negative_prompt="blurry",
    writer="Zoë Writer",
)


def personal_exif(orientation: int = 6) -> bytes:
    block = Image.Exif()
    block[0x0112] = orientation
    block[0x013B] = "Jane Roe"  # Artist
    block[0x010F] = "Canon"  # Make
    block[0x8298] = "(c) Jane Roe"  # Copyright
    block.get_ifd(0x8769)[0xA431] = "SN-4242"  # BodySerialNumber
    block.get_ifd(0x8769)[0xA430] = "Jane Roe"  # CameraOwnerName
    gps = block.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", (52.0, 22.0, 37.0), "E", (4.0, 53.0, 52.37)
    return block.tobytes()


PERSONAL_XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    b'<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">'
    b"<dc:creator><rdf:Seq><rdf:li>Jane Roe jane@example.com</rdf:li></rdf:Seq></dc:creator>"
    b"</rdf:Description></rdf:RDF></x:xmpmeta>"
)


def iptc_app13(by_line: bytes = b"Jane Roe") -> bytes:
    """A Photoshop APP13 segment with an IPTC-IIM By-line (2:80)."""
    iim = b"\x1c\x02\x50" + struct.pack(">H", len(by_line)) + by_line
    resource = b"8BIM\x04\x04\x00\x00" + struct.pack(">I", len(iim)) + iim + b"\x00" * (len(iim) & 1)
    payload = b"Photoshop 3.0\x00" + resource
    return b"\xff\xed" + struct.pack(">H", len(payload) + 2) + payload


def with_segment_after_soi(jpeg: bytes, segment: bytes) -> bytes:
    return jpeg[:2] + segment + jpeg[2:]


def pixels(data: bytes) -> bytes:
    with Image.open(io.BytesIO(data)) as image:
        frames = []
        for index in range(getattr(image, "n_frames", 1)):
            image.seek(index)
            frames.append(image.convert("RGBA").tobytes())
        return b"".join(frames)


def assert_clean(data: bytes, suffix: str) -> dict:
    tags = read_tags(data, suffix)
    text = repr(tags)
    for value in PERSONAL:
        assert value not in text, (value, tags)
    assert not [k for k in tags if "GPS" in k or "Serial" in k or "Artist" in k or "Owner" in k], tags
    for value in PERSONAL:
        assert value.encode() not in data, value
    return tags


def assert_provenance(tags: dict) -> None:
    assert tags["XMP-iptcExt:DigitalSourceType"] == DIGITAL_SOURCE_TYPE_AI
    assert tags["XMP-iptcExt:AISystemUsed"] == "openai"
    assert tags["XMP-iptcExt:AISystemVersionUsed"] == "gpt-image-1"
    assert (
        tags["XMP-iptcExt:AIPromptInformation"]
        == 'a fox <in> the "snow" & ]]> \x7f émoji 🦊\nNegative prompt: blurry'
    )
    assert tags["XMP-iptcExt:AIPromptWriterName"] == "Zoë Writer"


class TestJpeg:
    def hostile(self, **save) -> bytes:
        out = io.BytesIO()
        Image.new("RGB", (120, 80), (10, 200, 90)).save(
            out, format="JPEG", exif=personal_exif(), comment=b"by Jane", xmp=PERSONAL_XMP, **save
        )
        # an IPTC block, and a second image after the end marker as phones append (with its own EXIF)
        return with_segment_after_soi(out.getvalue(), iptc_app13()) + images.jpeg(exif=personal_exif())

    @pytest.mark.parametrize("progressive", [False, True])
    def test_a_jpeg_with_gps_leaves_without_personal_data_and_with_provenance(self, progressive):
        original = self.hostile(progressive=progressive)
        assert "GPS" in repr(read_tags(original, ".jpg"))  # the outside reader sees what there was
        served = rewrite_jpeg(original, xmp_packet(PROVENANCE, max_bytes=MAX_XMP_BYTES))
        tags = assert_clean(served, ".jpg")
        assert_provenance(tags)
        assert tags["IFD0:Orientation"] == "Rotate 90 CW"  # kept: without it the photo shows on its side
        assert pixels(served) == pixels(original)
        assert served.endswith(b"\xff\xd9")

    def test_a_jpeg_without_provenance_gets_no_xmp(self):
        served = rewrite_jpeg(self.hostile(), None)
        tags = assert_clean(served, ".jpg")
        assert not [k for k in tags if k.startswith("XMP")]

    def test_an_upright_jpeg_carries_no_exif_at_all(self):
        original = images.jpeg(exif=images.exif(ifd0={0x0112: 1, 0x013B: "Jane Roe"}))
        served = rewrite_jpeg(original, None)
        assert b"Exif\x00\x00" not in served
        assert pixels(served) == pixels(original)

    def test_the_icc_profile_stays(self):
        out = io.BytesIO()
        profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
        Image.new("RGB", (40, 30), (1, 2, 3)).save(out, format="JPEG", icc_profile=profile)
        served = rewrite_jpeg(out.getvalue(), None)
        assert Image.open(io.BytesIO(served)).info["icc_profile"] == profile

    def test_a_prompt_too_long_for_one_segment_is_cut_to_fit(self):
        long = XmpProvenance.of(provider="p", model="m", prompt="&<" * 60_000, negative_prompt="", writer="w")
        packet = xmp_packet(long, max_bytes=MAX_XMP_BYTES)
        assert MAX_XMP_BYTES - 1000 < len(packet) <= MAX_XMP_BYTES
        served = rewrite_jpeg(images.jpeg(), packet)
        prompt = read_tags(served, ".jpg")["XMP-iptcExt:AIPromptInformation"]
        assert prompt.startswith("&<&<") and prompt.endswith("\u2026")


class TestPng:
    def hostile(self) -> bytes:
        data = images.png(text={"Author": "Jane Roe", "Comment": "by Jane"})
        info = struct.unpack(">I", data[8:12])[0] + 20  # after IHDR
        extra = chunk(b"eXIf", personal_exif()[6:]) + chunk(
            b"zTXt", b"Copyright\x00\x00" + zlib.compress(b"Jane Roe")
        )
        extra += chunk(b"iTXt", b"Owner\x00\x00\x00\x00\x00jane@example.com") + chunk(b"prVt", b"SN-4242")
        return data[:info] + extra + data[info:]

    def test_a_png_with_exif_and_an_owner_in_text_leaves_clean_and_with_provenance(self):
        original = self.hostile()
        assert "Jane Roe" in repr(read_tags(original, ".png"))
        served = rewrite_png(original, xmp_packet(PROVENANCE))
        tags = assert_clean(served, ".png")
        assert_provenance(tags)
        assert pixels(served) == pixels(original)
        Image.open(io.BytesIO(served)).verify()  # every CRC checked

    def test_the_xmp_chunk_comes_before_the_image_data(self):
        served = rewrite_png(images.png(), xmp_packet(PROVENANCE))
        assert served.index(b"iTXtXML:com.adobe.xmp") < served.index(b"IDAT")

    def test_transparency_and_palette_stay(self):
        out = io.BytesIO()
        image = Image.new("P", (20, 20), 3)
        image.putpalette([i % 256 for i in range(768)])
        image.save(out, format="PNG", transparency=3)
        served = rewrite_png(out.getvalue(), None)
        assert pixels(served) == pixels(out.getvalue())


class TestWebp:
    @pytest.mark.parametrize("lossless", [False, True])
    def test_a_webp_with_exif_leaves_clean_and_with_provenance(self, lossless):
        out = io.BytesIO()
        Image.new("RGBA", (90, 70), (90, 20, 200, 128)).save(
            out, format="WEBP", exif=personal_exif(), xmp=PERSONAL_XMP, lossless=lossless
        )
        original = out.getvalue()
        assert "GPS" in repr(read_tags(original, ".webp"))
        served = rewrite_webp(original, xmp_packet(PROVENANCE))
        tags = assert_clean(served, ".webp")
        assert_provenance(tags)
        assert pixels(served) == pixels(original)

    @pytest.mark.parametrize("lossless", [False, True])
    def test_a_simple_webp_becomes_extended_with_its_canvas_and_alpha(self, lossless):
        out = io.BytesIO()
        mode = "RGBA" if lossless else "RGB"
        Image.new(mode, (333, 77), (1, 2, 3, 4) if lossless else (1, 2, 3)).save(
            out, format="WEBP", lossless=lossless
        )
        original = out.getvalue()
        assert original[12:16] in (b"VP8 ", b"VP8L")
        served = rewrite_webp(original, xmp_packet(PROVENANCE))
        assert served[12:16] == b"VP8X"
        tags = read_tags(served, ".webp")
        assert (tags["RIFF:ImageWidth"], tags["RIFF:ImageHeight"]) == (333, 77)
        assert "XMP" in tags["RIFF:WebP_Flags"] and ("Alpha" in tags["RIFF:WebP_Flags"]) == lossless
        assert_provenance(tags)
        assert pixels(served) == pixels(original)
        assert struct.unpack("<I", served[4:8])[0] == len(served) - 8

    def test_an_animated_webp_keeps_every_frame(self):
        original = images.animated_webp(3)
        served = rewrite_webp(original, xmp_packet(PROVENANCE))
        assert pixels(served) == pixels(original)
        assert_provenance(read_tags(served, ".webp"))

    def test_a_simple_webp_without_anything_to_add_stays_simple(self):
        original = images.webp()
        assert rewrite_webp(original, None) == original
