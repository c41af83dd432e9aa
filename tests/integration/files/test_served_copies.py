"""The served copies: made once per original and provenance, made again when either changes."""

from __future__ import annotations

import os
import time
from datetime import timedelta
from pathlib import Path

import pytest

from domain.files.model import Original, XmpProvenance
from storage.blobs.local import LocalBlobStore
from storage.files.served import ServedCopies
from tests import images


def provenance(writer: str) -> XmpProvenance:
    return XmpProvenance.of(
        provider="procedural", model="m", prompt="a fox", negative_prompt="", writer=writer
    )


def on_disk(location: str) -> tuple[int, int, bytes]:
    """(inode, size, bytes) of a file: a rewrite (temp file, rename) gives it another inode."""
    stat = Path(location).stat()
    return stat.st_ino, stat.st_size, Path(location).read_bytes()


@pytest.fixture
def blobs(tmp_path: Path) -> LocalBlobStore:
    return LocalBlobStore(tmp_path / "blobs")


@pytest.fixture
def copies(blobs: LocalBlobStore, tmp_path: Path) -> ServedCopies:
    return ServedCopies(blobs, tmp_path / "blobs" / "served")


class TestServedCopies:
    async def test_the_same_original_and_provenance_are_rewritten_once(self, blobs, copies):
        blob = await blobs.put("library", images.png(text={"Author": "Jane Roe"}))
        original = Original("library", blob.key, "image/png", provenance("Zoë"))
        first = await copies.prepare(original)
        made = on_disk(first.location)
        again = await copies.prepare(original)
        assert again == first and on_disk(again.location) == made
        assert b"Jane Roe" not in made[2] and first.size == len(made[2])

    async def test_another_provenance_makes_another_copy_with_another_tag(self, blobs, copies):
        blob = await blobs.put("library", images.png())
        tags = {
            (await copies.prepare(Original("library", blob.key, "image/png", p))).tag
            for p in (provenance("Zoë"), provenance("Ann"), None)
        }
        assert len(tags) == 3

    async def test_a_missing_blob_is_file_not_found_even_when_a_copy_was_made(self, blobs, copies):
        blob = await blobs.put("scratch", images.jpeg())
        original = Original("scratch", blob.key, "image/jpeg", None)
        await copies.prepare(original)
        await blobs.delete("scratch", blob.key)
        with pytest.raises(FileNotFoundError):
            await copies.prepare(original)
        with pytest.raises(FileNotFoundError):
            await copies.prepare(Original("library", "0" * 64, "image/png", None))

    async def test_the_sweep_removes_copies_not_served_for_a_day_and_they_come_back(self, blobs, copies):
        old_blob, fresh_blob = (
            await blobs.put("library", images.png()),
            await blobs.put("library", images.jpeg()),
        )
        old = await copies.prepare(Original("library", old_blob.key, "image/png", None))
        fresh = await copies.prepare(Original("library", fresh_blob.key, "image/jpeg", None))
        age(old.location, days=2)
        assert await copies.sweep(untouched_for=timedelta(days=1), limit=100) == 1
        assert not exists(old.location) and exists(fresh.location)
        again = await copies.prepare(Original("library", old_blob.key, "image/png", None))
        assert again == old and exists(again.location)

    async def test_serving_a_copy_keeps_it_from_the_sweep(self, blobs, copies):
        blob = await blobs.put("library", images.png())
        original = Original("library", blob.key, "image/png", None)
        copy = await copies.prepare(original)
        age(copy.location, days=2)
        await copies.prepare(original)  # downloaded again today
        assert await copies.sweep(untouched_for=timedelta(days=1), limit=100) == 0

    async def test_one_sweep_deletes_at_most_its_limit(self, blobs, copies):
        made = [
            await copies.prepare(
                Original(
                    "library",
                    (await blobs.put("library", images.png(color=(i, 0, 0)))).key,
                    "image/png",
                    None,
                )
            )
            for i in range(3)
        ]
        for copy in made:
            age(copy.location, days=2)
        assert await copies.sweep(untouched_for=timedelta(days=1), limit=2) == 2
        assert await copies.sweep(untouched_for=timedelta(days=1), limit=2) == 1


def age(location: str, *, days: int) -> None:
    then = time.time() - days * 86400
    os.utime(location, (then, then))


def exists(location: str) -> bool:
    return Path(location).exists()
