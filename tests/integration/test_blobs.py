"""The content-addressed blob store on the local disk."""

from __future__ import annotations

import asyncio
import hashlib
import os
from datetime import timedelta

import pytest

from storage.blobs.local import LocalBlobStore
from storage.images.procedural import render_png


async def test_the_same_bytes_are_one_blob_named_by_their_sha256(tmp_path):
    store = LocalBlobStore(tmp_path)
    data = render_png("a fox", 7, 64, 48)
    first, second = await asyncio.gather(store.put("scratch", data), store.put("scratch", data))
    assert first == second and first.key == hashlib.sha256(data).hexdigest() and first.size == len(data)
    assert await store.read("scratch", first.key) == data
    assert [p.name for p in tmp_path.rglob("*") if p.is_file()] == [first.key]  # no temp file left behind


async def test_delete_and_exists(tmp_path):
    store = LocalBlobStore(tmp_path)
    blob = await store.put("library", b"bytes")
    assert await store.exists("library", blob.key)
    assert await store.delete("library", blob.key) is True
    assert await store.delete("library", blob.key) is False
    assert not await store.exists("library", blob.key)


@pytest.mark.parametrize(
    ("area", "key"), [("scratch", "../../etc/passwd"), ("../x", "0" * 64), ("library", "A" * 64)]
)
def test_addresses_outside_the_store_are_refused(tmp_path, area, key):
    with pytest.raises(ValueError):
        LocalBlobStore(tmp_path).path(area, key)


def test_procedural_images_are_deterministic_real_pngs():
    from io import BytesIO

    from PIL import Image

    png = render_png("a lighthouse", 42, 120, 80)
    assert png == render_png("a lighthouse", 42, 120, 80) != render_png("a lighthouse", 43, 120, 80)
    with Image.open(BytesIO(png)) as image:
        assert (image.format, image.size) == ("PNG", (120, 80))


@pytest.mark.parametrize(
    "start", ["", "0" * 64, "ab", "abcd" + "0" * 60, "abcd" + "f" * 60, "ac" + "0" * 62, "b" * 64, "f" * 64]
)
async def test_a_crashed_write_s_temp_file_is_removed_by_a_stale_walk_from_any_start(tmp_path, start):
    store = LocalBlobStore(tmp_path)
    key = "abcd" + "1" * 60
    shard = store.path("renditions", key).parent
    shard.mkdir(parents=True)
    crashed = shard / ".tmp-crashed"
    crashed.write_bytes(b"half")
    os.utime(crashed, (1, 1))
    await store.stale_keys("renditions", untouched_for=timedelta(hours=1), limit=10, from_key=start)
    assert not crashed.exists()
